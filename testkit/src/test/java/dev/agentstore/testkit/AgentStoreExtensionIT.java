package dev.agentstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@AgentStoreTest(dimension = 5)
class AgentStoreExtensionIT {

    static TestDatabase fromBeforeAll;

    @BeforeAll
    static void remember(TestDatabase db) {
        fromBeforeAll = db;
    }

    @Test
    void a_test_method_gets_the_same_migrated_database_as_before_all(TestDatabase db) throws Exception {
        assertThat(db).isSameAs(fromBeforeAll);
        assertThat(db.embeddingDimension()).isEqualTo(5);
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT max(version) FROM agentstore.agentstore_schema_history WHERE success")) {
            rs.next();
            assertThat(rs.getString(1)).isNotNull();
        }
    }

    @Test
    void the_server_itself_can_be_injected(TestPostgres server, TestDatabase db) {
        assertThat(server).isSameAs(TestPostgres.shared());
        assertThat(db.jdbcUrl()).contains(db.name());
    }

    @AgentStoreTest(migrated = false)
    @Nested
    class AnotherClass {
        @Test
        void gets_its_own_database(TestDatabase db) {
            assertThat(db.name()).isNotEqualTo(fromBeforeAll.name());
        }
    }
}
