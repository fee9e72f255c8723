package dev.agentstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration errors are caught before any connection is made. */
class AgentStoreBuilderTest {

    @Test
    void build_without_a_database_explains_how_to_provide_one() {
        assertThatThrownBy(() -> AgentStore.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no database: call dataSource(yourDataSource), or jdbcUrl(")
                .hasMessageContaining("AGENTSTORE_JDBC_URL");
    }

    @Test
    void a_data_source_and_a_url_together_are_refused() {
        AgentStore.Builder b = AgentStore.builder().dataSource(new org.postgresql.ds.PGSimpleDataSource())
                .jdbcUrl("jdbc:postgresql://localhost/db");
        assertThatThrownBy(b::build).hasMessage("give either dataSource(...) or jdbcUrl(...), not both");
    }

    @Test
    void impossible_pool_settings_name_the_option_and_its_bounds() {
        assertThatThrownBy(() -> AgentStore.builder().poolSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("poolSize must be between 1 and 1000, but was 0");
        assertThatThrownBy(() -> AgentStore.builder().minimumIdle(-1))
                .hasMessage("minimumIdle must be 0 or more, but was -1");
        assertThatThrownBy(() -> AgentStore.builder().connectionTimeout(Duration.ofMillis(10)))
                .hasMessage("connectionTimeout must be at least 250 ms, but was PT0.01S");
        assertThatThrownBy(() -> AgentStore.builder().jdbcUrl("jdbc:postgresql://h/db").poolSize(2).minimumIdle(5).build())
                .hasMessage("minimumIdle (5) must not exceed poolSize (2)");
    }

    @Test
    void pool_settings_for_a_host_data_source_are_refused() {
        AgentStore.Builder b = AgentStore.builder().dataSource(new org.postgresql.ds.PGSimpleDataSource()).poolSize(20);
        assertThatThrownBy(b::build).hasMessageContaining("configure the pool of your own dataSource instead");
    }

    @Test
    void malformed_environment_variables_are_named() {
        assertThatThrownBy(() -> AgentStore.builder().fromEnvironment(Map.of("AGENTSTORE_POOL_SIZE", "ten")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("environment variable AGENTSTORE_POOL_SIZE: must be a whole number, but was 'ten'");
        assertThatThrownBy(() -> AgentStore.builder().fromEnvironment(Map.of("AGENTSTORE_POOL_SIZE", "0")))
                .hasMessage("environment variable AGENTSTORE_POOL_SIZE: poolSize must be between 1 and 1000, but was 0");
        assertThatThrownBy(() -> AgentStore.builder().fromEnvironment(Map.of("AGENTSTORE_MIGRATE_ON_START", "yes")))
                .hasMessage("AGENTSTORE_MIGRATE_ON_START must be true or false, but was 'yes'");
        assertThatThrownBy(() -> AgentStore.builder().fromEnvironment(Map.of("AGENTSTORE_JDBC_URL", "mysql://x")))
                .hasMessageStartingWith("environment variable AGENTSTORE_JDBC_URL: jdbcUrl must start with jdbc:postgresql:");
        assertThatThrownBy(() -> AgentStore.builder().fromEnvironment(Map.of("AGENTSTORE_EMBEDDING_DIMENSION", "4096")))
                .hasMessageContaining("embeddingDimension must be between 1 and 2000");
    }

    @Test
    void environment_variables_configure_the_builder() {
        AgentStore.Builder b = AgentStore.builder().fromEnvironment(Map.of(
                "AGENTSTORE_JDBC_URL", "jdbc:postgresql://db.internal:5432/app",
                "AGENTSTORE_JDBC_USER", "app",
                "AGENTSTORE_JDBC_PASSWORD", "s3cret",
                "AGENTSTORE_SCHEMA", "agents",
                "AGENTSTORE_POOL_SIZE", "25",
                "AGENTSTORE_MIGRATE_ON_START", "true"));

        assertThat(b.toString())
                .contains("jdbcUrl=jdbc:postgresql://db.internal:5432/app", "user=app", "schema=agents", "poolSize=25",
                        "migrateOnStart=true")
                .doesNotContain("s3cret");
    }

    @Test
    void passwords_are_masked_in_descriptions_and_urls() {
        AgentStore.Builder b = AgentStore.builder().jdbcUrl("jdbc:postgresql://h/db?password=hunter2").user("u").password("hunter2");

        assertThat(b.toString()).doesNotContain("hunter2").contains("password=***");
    }

    @Test
    void schema_names_and_dimensions_are_checked_at_once() {
        assertThatThrownBy(() -> AgentStore.builder().schema("Robert'); DROP TABLE x;--"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("schema must be 1 to 63 lower-case letters, digits or underscores");
        assertThatThrownBy(() -> AgentStore.builder().embeddingDimension(0))
                .hasMessage("embeddingDimension must be between 1 and 2000 (pgvector indexes at most 2000 dimensions), but was 0");
        assertThatThrownBy(() -> AgentStore.builder().jdbcUrl("jdbc:mysql://h/db"))
                .hasMessage("jdbcUrl must start with jdbc:postgresql:, but was 'jdbc:mysql://h/db'");
    }
}
