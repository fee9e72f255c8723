package dev.agentstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The provider that works on these machines: local binaries, no Docker. */
class LocalClusterProviderIT {

    private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)/");

    private static Path clusterDirOf(String jdbcUrl) throws Exception {
        Matcher m = PORT.matcher(jdbcUrl);
        assertThat(m.find()).isTrue();
        String port = m.group(1);
        try (var dirs = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")), LocalClusterProvider.DIR_PREFIX + "*")) {
            for (Path dir : dirs) {
                if (Files.exists(dir.resolve(".s.PGSQL." + port))) {
                    return dir;
                }
            }
        }
        throw new AssertionError("no cluster directory with a socket for port " + port);
    }

    @Test
    void starts_a_cluster_with_pgvector_on_loopback_and_deletes_it_when_stopped() throws Exception {
        LocalClusterProvider provider = new LocalClusterProvider(Settings.system());

        ServerCoordinates server = provider.start();

        assertThat(server.adminJdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
        try (Connection c = DriverManager.getConnection(server.adminJdbcUrl(), server.user(), server.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION vector");
            try (ResultSet rs = s.executeQuery("SELECT '[1,2,3]'::vector <-> '[1,2,4]'::vector, current_setting('listen_addresses')")) {
                rs.next();
                assertThat(rs.getDouble(1)).isEqualTo(1.0);
                assertThat(rs.getString(2)).isEqualTo("127.0.0.1");
            }
        }
        Path dir = clusterDirOf(server.adminJdbcUrl());

        LocalClusterProvider.stop(dir);

        assertThat(dir).doesNotExist();
    }

    @Test
    void a_cluster_whose_jvm_is_killed_is_stopped_and_deleted_by_its_watchdog() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StartClusterMain.class.getName())
                .redirectErrorStream(true).start();
        String url;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            url = out.lines().filter(l -> l.startsWith("URL ")).findFirst().orElseThrow().substring(4);
        }
        Path dir = clusterDirOf(url);
        assertThat(dir).exists();

        child.destroyForcibly(); // SIGKILL: no shutdown hook runs
        child.waitFor(10, TimeUnit.SECONDS);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Files.exists(dir) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(dir).as("cluster directory after its JVM was killed").doesNotExist();
        assertThat(canConnect(url)).as("server still accepting connections").isFalse();
    }

    private static boolean canConnect(String url) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Started in a child JVM by the test above: starts a cluster, prints its URL, waits to be killed. */
    public static final class StartClusterMain {
        public static void main(String[] args) throws Exception {
            ServerCoordinates server = new LocalClusterProvider(new Settings(k -> null, Map.<String, String>of()::get)).start();
            System.out.println("URL " + server.adminJdbcUrl());
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    @Test
    void the_explicit_url_provider_uses_a_running_server() throws Exception {
        TestPostgres shared = TestPostgres.shared();
        ExplicitUrlProvider provider = new ExplicitUrlProvider(new Settings(k -> null, Map.of(
                ExplicitUrlProvider.URL_ENV, shared.jdbcUrl(),
                ExplicitUrlProvider.USER_ENV, shared.user())::get));

        ServerCoordinates server = provider.start();

        assertThat(server.adminJdbcUrl()).isEqualTo(shared.jdbcUrl());
        assertThat(server.provider()).isEqualTo("explicit JDBC URL");
    }

    @Test
    void an_explicit_url_nobody_listens_on_says_it_cannot_connect() {
        ExplicitUrlProvider provider = new ExplicitUrlProvider(new Settings(k -> null, Map.of(
                ExplicitUrlProvider.URL_ENV, "jdbc:postgresql://127.0.0.1:1/postgres?connectTimeout=2")::get));

        org.assertj.core.api.Assertions.assertThatThrownBy(provider::start)
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("cannot connect to jdbc:postgresql://127.0.0.1:1/postgres")
                .hasMessageContaining("check the URL");
    }

    @Test
    void clusters_left_by_dead_jvms_are_reaped_on_the_next_start() throws Exception {
        Path stale = Files.createTempDirectory(LocalClusterProvider.DIR_PREFIX);
        Files.writeString(stale.resolve("owner.pid"), "2147483646"); // no such process
        Files.createDirectories(stale.resolve("data"));

        LocalClusterProvider.reapStaleClusters();

        assertThat(stale).doesNotExist();
        assertThat(List.of(stale)).isNotEmpty();
    }
}
