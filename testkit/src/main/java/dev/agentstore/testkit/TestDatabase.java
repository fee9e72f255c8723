package dev.agentstore.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One database on the test server, created for one test class (or one program) alone.
 * Immutable and thread-safe; {@link #dataSource()} opens a new, unpooled connection per call.
 */
public final class TestDatabase {

    private final String name;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String schema;
    private final int embeddingDimension;

    TestDatabase(String name, String jdbcUrl, String user, String password, String schema, int embeddingDimension) {
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.schema = schema;
        this.embeddingDimension = embeddingDimension;
    }

    /** The database name. */
    public String name() {
        return name;
    }

    /** Its JDBC URL. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The login, a user that owns the database. */
    public String user() {
        return user;
    }

    /** The password of {@link #user()}, possibly empty. */
    public String password() {
        return password;
    }

    /** The agentstore schema it was migrated with, or null for an empty database. */
    public String schema() {
        return schema;
    }

    /** The embedding dimension it was migrated with, or 0 for an empty database. */
    public int embeddingDimension() {
        return embeddingDimension;
    }

    /** A new unpooled data source for this database. */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    /** Opens a connection; the caller closes it. */
    public Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    @Override
    public String toString() {
        return "TestDatabase[" + name + ", " + ServerCoordinates.redact(jdbcUrl) + ", schema=" + schema
                + ", dimension=" + embeddingDimension + "]";
    }
}
