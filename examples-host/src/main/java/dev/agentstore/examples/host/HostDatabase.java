package dev.agentstore.examples.host;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentstore.AgentStore;
import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;

/**
 * The host application's own connection pool: {@code AGENTSTORE_JDBC_URL} (with {@code AGENTSTORE_JDBC_USER}
 * and {@code AGENTSTORE_JDBC_PASSWORD}) when set, otherwise a fresh database on the embedded default, a
 * throw-away PostgreSQL with pgvector from agentstore's test kit. agentstore is handed this pool and never
 * closes it.
 */
final class HostDatabase {

    private HostDatabase() {
    }

    static HikariDataSource pool() {
        HikariConfig config = new HikariConfig();
        String url = System.getenv(AgentStore.ENV_JDBC_URL);
        if (url != null && !url.isBlank()) {
            config.setJdbcUrl(url);
            config.setUsername(System.getenv(AgentStore.ENV_JDBC_USER));
            config.setPassword(System.getenv(AgentStore.ENV_JDBC_PASSWORD));
        } else {
            TestDatabase db = TestPostgres.shared().createEmptyDatabase();
            config.setJdbcUrl(db.jdbcUrl());
            config.setUsername(db.user());
            config.setPassword(db.password());
        }
        config.setMaximumPoolSize(4);
        config.setPoolName("host");
        return new HikariDataSource(config);
    }
}
