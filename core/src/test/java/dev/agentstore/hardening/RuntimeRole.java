package dev.agentstore.hardening;

import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
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

    Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + name + "'");
            s.execute("DROP OWNED BY " + name);
            s.execute("DROP ROLE " + name);
        }
    }
}
