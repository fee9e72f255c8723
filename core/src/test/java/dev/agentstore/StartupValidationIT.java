package dev.agentstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** build() refuses a database that does not fit, saying what to run or change. */
class StartupValidationIT {

    private final TestPostgres server = TestPostgres.shared();

    private static void exec(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void a_database_without_pgvector_is_refused_with_how_to_install_it() {
        TestDatabase db = server.createEmptyDatabase();

        assertThatThrownBy(() -> AgentStore.builder().dataSource(db.dataSource()).build())
                .isInstanceOf(SchemaValidationException.class)
                .hasMessageContaining("the pgvector extension is not installed in database '" + db.name() + "'")
                .hasMessageContaining("AgentStore.migrate()")
                .hasMessageContaining("CREATE EXTENSION vector");
    }

    @Test
    void an_unmigrated_schema_is_refused_with_the_expected_version_and_the_call_to_make() throws Exception {
        TestDatabase db = server.createEmptyDatabase();
        exec(db, "CREATE EXTENSION vector");

        assertThatThrownBy(() -> AgentStore.builder().dataSource(db.dataSource()).build())
                .isInstanceOf(SchemaValidationException.class)
                .hasMessageContaining("agentstore schema 'agentstore' is not migrated (this library expects version ")
                .hasMessageContaining("call AgentStore.migrate(), or build with migrateOnStart(true) (AGENTSTORE_MIGRATE_ON_START=true)");
    }

    @Test
    void a_dimension_other_than_the_schemas_is_refused_with_both_numbers() {
        TestDatabase db = server.createDatabase("agentstore", 3);

        assertThatThrownBy(() -> AgentStore.builder().dataSource(db.dataSource()).embeddingDimension(1536).build())
                .isInstanceOf(DimensionMismatchException.class)
                .hasMessageContaining("schema 'agentstore' has 3 dimensions, but this store is built for 1536")
                .hasMessageContaining("set embeddingDimension(3) (AGENTSTORE_EMBEDDING_DIMENSION)");
    }

    @Test
    void without_a_configured_dimension_the_store_takes_the_schemas() {
        TestDatabase db = server.createDatabase("agentstore", 3);

        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).build()) {
            assertThat(store.embeddingDimension()).isEqualTo(3);
        }
    }

    @Test
    void a_schema_newer_than_the_library_is_refused() throws Exception {
        TestDatabase db = server.createDatabase("agentstore", 3);
        exec(db, "INSERT INTO agentstore.agentstore_schema_history (installed_rank, version, description, type, script, "
                + "checksum, installed_by, execution_time, success) VALUES (999, '999', 'from the future', 'SQL', "
                + "'V999__from_the_future.sql', 0, 'test', 0, true)");

        assertThatThrownBy(() -> AgentStore.builder().dataSource(db.dataSource()).build())
                .isInstanceOf(SchemaValidationException.class)
                .hasMessageContaining("is at version 999, newer than this library knows")
                .hasMessageContaining("upgrade agentstore");
    }

    @Test
    void migrating_as_a_user_who_may_not_create_pgvector_says_a_superuser_must() throws Exception {
        TestDatabase db = server.createEmptyDatabase();
        String role = "agentstore_app_" + ThreadLocalRandom.current().nextInt(1_000_000);
        try (Connection c = server.connectAdmin(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'app-pw'");
            s.execute("GRANT CREATE ON DATABASE " + db.name() + " TO " + role);
        }

        assertThatThrownBy(() -> AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(role).password("app-pw")
                .poolSize(1).migrateOnStart(true).build())
                .isInstanceOf(SchemaValidationException.class)
                .hasMessageContaining("agentstore needs the pgvector extension, and only a superuser can create it")
                .hasMessageContaining("Ask a superuser to run \"CREATE EXTENSION vector;\" in database \"" + db.name() + "\"");

        // once a superuser created it, the same user migrates fine
        exec(db, "CREATE EXTENSION vector");
        try (AgentStore store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(role).password("app-pw")
                .poolSize(1).migrateOnStart(true).build()) {
            assertThat(store.health().schemaVersion()).isNotNull();
        }
    }

    @Test
    void an_unreachable_database_is_reported_without_the_password() {
        assertThatThrownBy(() -> AgentStore.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/app?connectTimeout=2")
                .user("app").password("hunter2").connectionTimeout(java.time.Duration.ofMillis(500)).build())
                .isInstanceOf(AgentStoreException.class)
                .hasMessageContaining("cannot connect to jdbc:postgresql://127.0.0.1:1/app")
                .hasMessageContaining("as user 'app'")
                .hasMessageNotContaining("hunter2");
    }
}
