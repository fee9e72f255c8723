package dev.agentstore.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Uses the server named by {@value #URL_ENV} (or the system property {@value #URL_PROPERTY}). */
final class ExplicitUrlProvider implements PostgresProvider {

    static final String URL_ENV = "AGENTSTORE_TEST_JDBC_URL";
    static final String URL_PROPERTY = "agentstore.test.jdbcUrl";
    static final String USER_ENV = "AGENTSTORE_TEST_JDBC_USER";
    static final String USER_PROPERTY = "agentstore.test.jdbcUser";
    static final String PASSWORD_ENV = "AGENTSTORE_TEST_JDBC_PASSWORD";
    static final String PASSWORD_PROPERTY = "agentstore.test.jdbcPassword";

    private final Settings settings;

    ExplicitUrlProvider(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "explicit JDBC URL";
    }

    /** Whether a URL is configured at all. */
    boolean configured() {
        return settings.get(URL_PROPERTY, URL_ENV) != null;
    }

    @Override
    public ServerCoordinates start() throws ProviderUnavailableException {
        String url = settings.get(URL_PROPERTY, URL_ENV);
        if (url == null) {
            throw new ProviderUnavailableException(name() + ": neither " + URL_ENV + " nor -D" + URL_PROPERTY + " is set");
        }
        ServerCoordinates server;
        try {
            server = new ServerCoordinates(name(), url, settings.get(USER_PROPERTY, USER_ENV),
                    settings.get(PASSWORD_PROPERTY, PASSWORD_ENV));
        } catch (IllegalArgumentException e) {
            throw new ProviderUnavailableException(name() + ": " + URL_ENV + " is not usable: " + e.getMessage(), e);
        }
        try (Connection c = DriverManager.getConnection(url, server.user(), server.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")) {
            rs.next();
            if (rs.getInt(1) == 0) {
                throw new ProviderUnavailableException(name() + ": the server at " + ServerCoordinates.redact(url)
                        + " has no pgvector extension available; install pgvector on that server");
            }
        } catch (SQLException e) {
            throw new ProviderUnavailableException(name() + ": cannot connect to " + ServerCoordinates.redact(url)
                    + " (" + e.getMessage() + "); check the URL, " + USER_ENV + " and " + PASSWORD_ENV, e);
        }
        return server;
    }
}
