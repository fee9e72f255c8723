package dev.agentstore.testkit;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a running PostgreSQL server is and how to log in as a user that may create databases.
 *
 * @param provider which provider started or found the server, for messages
 * @param adminJdbcUrl JDBC URL of a database to connect to for {@code CREATE DATABASE}
 * @param user login name
 * @param password password, may be empty; never shown by {@link #toString()}
 */
record ServerCoordinates(String provider, String adminJdbcUrl, String user, String password) {

    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?$");

    ServerCoordinates {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(adminJdbcUrl, "adminJdbcUrl");
        if (!URL.matcher(adminJdbcUrl).matches()) {
            throw new IllegalArgumentException("expected a JDBC URL of the form jdbc:postgresql://host:port/database[?params], "
                    + "but was " + redact(adminJdbcUrl));
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /** The JDBC URL of another database on the same server, keeping the URL's parameters. */
    String jdbcUrl(String database) {
        Matcher m = URL.matcher(adminJdbcUrl);
        if (!m.matches()) {
            throw new IllegalStateException("unparseable JDBC URL");
        }
        return m.group(1) + database + (m.group(3) == null ? "" : m.group(3));
    }

    /** The URL with any password parameter masked. */
    static String redact(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return "ServerCoordinates[provider=" + provider + ", url=" + redact(adminJdbcUrl) + ", user=" + user
                + ", password=" + (password.isEmpty() ? "" : "***") + "]";
    }
}
