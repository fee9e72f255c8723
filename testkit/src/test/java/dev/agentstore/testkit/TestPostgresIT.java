package dev.agentstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestPostgresIT {

    private static String one(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void the_shared_server_has_pgvector_and_says_which_provider_started_it() throws Exception {
        TestPostgres server = TestPostgres.shared();

        assertThat(server.provider()).isNotBlank();
        assertThat(TestPostgres.shared()).as("one server per JVM").isSameAs(server);
        try (Connection c = server.connectAdmin()) {
            assertThat(one(c, "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")).isEqualTo("1");
        }
    }

    @Test
    void each_migrated_database_is_new_isolated_and_at_the_requested_dimension() throws Exception {
        TestDatabase a = TestPostgres.shared().createDatabase("agentstore", 3);
        TestDatabase b = TestPostgres.shared().createDatabase("agentstore", 3);

        assertThat(a.name()).isNotEqualTo(b.name());
        try (Connection c = a.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO agentstore.knowledge_base (tenant_id, name, embedding_dimension) VALUES ('t', 'only-in-a', 3)");
            assertThat(one(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                    + "WHERE attrelid = 'agentstore.memory'::regclass AND attname = 'embedding'")).isEqualTo("vector(3)");
        }
        try (Connection c = b.connect()) {
            assertThat(one(c, "SELECT count(*) FROM agentstore.knowledge_base")).isEqualTo("0");
        }
    }

    @Test
    void a_database_can_be_migrated_under_another_schema_name_and_dimension() throws Exception {
        TestDatabase db = TestPostgres.shared().createDatabase("tenant_kb", 768);

        try (Connection c = db.connect()) {
            assertThat(one(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                    + "WHERE attrelid = 'tenant_kb.memory'::regclass AND attname = 'embedding'")).isEqualTo("vector(768)");
            assertThat(one(c, "SELECT to_regclass('agentstore.chunk')")).isNull();
        }
    }

    @Test
    void an_empty_database_has_neither_schema_nor_extension() throws Exception {
        TestDatabase db = TestPostgres.shared().createEmptyDatabase();

        try (Connection c = db.connect()) {
            assertThat(one(c, "SELECT count(*) FROM pg_extension WHERE extname = 'vector'")).isEqualTo("0");
            assertThat(one(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'agentstore'")).isEqualTo("0");
        }
        assertThat(db.schema()).isNull();
    }
}
