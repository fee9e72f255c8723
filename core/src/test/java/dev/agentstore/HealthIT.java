package dev.agentstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

@AgentStoreTest(dimension = 3)
class HealthIT {

    @Test
    void a_plain_data_source_has_no_pool_statistics(TestDatabase db) {
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).build()) {
            Health health = store.health();

            assertThat(health.pool()).isNull();
            assertThat(health.report()).contains("host data source (no statistics)");
        }
    }

    @Test
    void health_reports_versions_and_the_statistics_of_the_pool_the_store_owns(TestDatabase db) throws Exception {
        try (AgentStore store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password())
                .poolSize(3).build()) {

            Health health = store.health();

            assertThat(health.serverVersion()).isEqualTo(one(db, "SHOW server_version"));
            assertThat(health.pgvectorVersion()).isEqualTo(one(db, "SELECT extversion FROM pg_extension WHERE extname = 'vector'"));
            assertThat(health.schemaVersion()).isEqualTo(one(db,
                    "SELECT version FROM agentstore.agentstore_schema_history WHERE success ORDER BY installed_rank DESC LIMIT 1"));
            assertThat(health.embeddingDimension()).isEqualTo(3);
            assertThat(health.ok()).isTrue();
            assertThat(health.pool()).isNotNull();
            assertThat(health.pool().maximum()).isEqualTo(3);
            assertThat(health.pool().active() + health.pool().idle()).isEqualTo(health.pool().total());
            assertThat(health.report()).contains("pgvector        " + health.pgvectorVersion(), "of at most 3 open");
            assertThat(store.ownsPool()).isTrue();
        }
    }

    @Test
    void a_host_data_source_is_used_as_is_and_never_closed(TestDatabase db) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(2);
        try (HikariDataSource host = new HikariDataSource(config)) {
            AgentStore store = AgentStore.builder().dataSource(host).build();

            assertThat(store.health().pool().maximum()).as("a host Hikari pool is still reported").isEqualTo(2);
            store.close();

            assertThat(host.isClosed()).isFalse();
            assertThat(store.ownsPool()).isFalse();
        }
    }

    private static String one(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
