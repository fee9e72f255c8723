package dev.agentstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provider behaviour that needs no database. */
class ProvidersTest {

    private static Settings settings(Map<String, String> env) {
        return new Settings(k -> null, env::get);
    }

    @Test
    void when_no_provider_works_one_message_lists_every_attempt_and_every_fix(@TempDir Path empty) {
        Settings none = settings(Map.of());
        List<PostgresProvider> chain = List.of(
                new ExplicitUrlProvider(none),
                new LocalClusterProvider(none, List.of(empty)));

        assertThatThrownBy(() -> TestPostgres.startFirst(chain))
                .isInstanceOf(NoDatabaseAvailableException.class)
                .hasMessageContaining("1. explicit JDBC URL: neither AGENTSTORE_TEST_JDBC_URL")
                .hasMessageContaining("2. local PostgreSQL binaries: no directory with initdb and postgres found")
                .hasMessageContaining("set AGENTSTORE_TEST_JDBC_URL")
                .hasMessageContaining("start Docker")
                .hasMessageContaining("scripts/install-pgvector.sh");
    }

    @Test
    void local_binaries_without_pgvector_are_reported_with_the_install_script(@TempDir Path bin) throws Exception {
        // a fake installation: initdb and postgres exist, pg_config points at a share dir without vector.control
        for (String tool : List.of("initdb", "postgres")) {
            Path p = bin.resolve(tool);
            java.nio.file.Files.writeString(p, "#!/bin/sh\nexit 1\n");
            p.toFile().setExecutable(true);
        }
        Path pgConfig = bin.resolve("pg_config");
        java.nio.file.Files.writeString(pgConfig, "#!/bin/sh\necho " + bin.resolve("share") + "\n");
        pgConfig.toFile().setExecutable(true);

        LocalClusterProvider provider = new LocalClusterProvider(settings(Map.of()), List.of(bin));

        assertThatThrownBy(provider::start)
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("has no pgvector")
                .hasMessageContaining("vector.control is missing")
                .hasMessageContaining("run scripts/install-pgvector.sh");
    }

    @Test
    void the_explicit_bin_directory_setting_comes_first(@TempDir Path bin, @TempDir Path other) throws Exception {
        for (Path dir : List.of(bin, other)) {
            for (String tool : List.of("initdb", "postgres")) {
                Path p = dir.resolve(tool);
                java.nio.file.Files.writeString(p, "#!/bin/sh\n");
                p.toFile().setExecutable(true);
            }
        }
        LocalClusterProvider provider = new LocalClusterProvider(
                settings(Map.of(LocalClusterProvider.BIN_ENV, bin.toString())), List.of(other));

        assertThat(provider.findBinDir()).contains(bin);
    }

    @Test
    void an_unparseable_explicit_url_is_refused_with_the_expected_form() {
        ExplicitUrlProvider provider = new ExplicitUrlProvider(settings(Map.of(ExplicitUrlProvider.URL_ENV, "postgres://localhost/db")));

        assertThatThrownBy(provider::start)
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("jdbc:postgresql://host:port/database");
    }

    @Test
    void without_docker_the_testcontainers_provider_says_to_start_docker() throws Exception {
        TestcontainersProvider provider = new TestcontainersProvider(settings(Map.of()));
        if (provider.dockerLikelyPresent()) {
            // a machine with Docker: the provider must then really start the pinned image
            ServerCoordinates server = provider.start();
            assertThat(server.provider()).contains(TestcontainersProvider.IMAGE);
        } else {
            assertThatThrownBy(provider::start)
                    .isInstanceOf(ProviderUnavailableException.class)
                    .hasMessageContaining("no Docker environment")
                    .hasMessageContaining("start Docker");
        }
    }

    @Test
    void passwords_never_appear_in_server_descriptions() {
        ServerCoordinates s = new ServerCoordinates("p", "jdbc:postgresql://h:5432/db?user=u&password=hunter2", "u", "hunter2");

        assertThat(s.toString()).doesNotContain("hunter2").contains("password=***");
        assertThat(s.jdbcUrl("other")).isEqualTo("jdbc:postgresql://h:5432/other?user=u&password=hunter2");
    }
}
