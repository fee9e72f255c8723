package dev.agentstore.hardening;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentstore.AgentStore;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A login role bound by row-level security, created for one test database the way the README tells
 * operators to: {@code CREATE ROLE ... NOSUPERUSER NOBYPASSRLS} and {@code agentstore_grant_runtime_role}.
 */
final class RuntimeRole implements AutoCloseable {

    private final TestDatabase db;
    final String name;
    private final List<HikariDataSource> pools = new ArrayList<>();

    private RuntimeRole(TestDatabase db, String name) {
        this.db = db;
        this.name = name;
    }

    static RuntimeRole create(TestDatabase db) throws SQLException {
        String name = ("agentstore_rt_" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36)).toLowerCase(Locale.ROOT);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + name + " LOGIN PASSWORD 'runtime' NOSUPERUSER NOBYPASSRLS");
            try (PreparedStatement ps = c.prepareStatement("SELECT \"" + db.schema() + "\".agentstore_grant_runtime_role(?)")) {
                ps.setString(1, name);
                ps.execute();
            }
        }
        return new RuntimeRole(db, name);
    }

    DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(db.jdbcUrl());
        ds.setUser(name);
        ds.setPassword("runtime");
        return ds;
    }

    /**
     * A store on a pool of this role's connections, built with {@code requireRowLevelSecurity(true)}; the pool is
     * closed with the role (close the store first).
     */
    AgentStore store(int poolSize, String poolName) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(dataSource());
        config.setMaximumPoolSize(poolSize);
        config.setPoolName(poolName);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return AgentStore.builder().dataSource(pool).requireRowLevelSecurity(true).build();
    }

    Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    @Override
    public void close() throws SQLException {
        pools.forEach(HikariDataSource::close);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + name + "'");
            s.execute("DROP OWNED BY " + name);
            s.execute("DROP ROLE " + name);
        }
    }
}
