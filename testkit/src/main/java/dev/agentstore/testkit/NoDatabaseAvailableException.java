package dev.agentstore.testkit;

import java.util.List;

/**
 * No provider could yield a PostgreSQL server with pgvector. The message lists every provider that
 * was tried, why it did not work, and how to fix it.
 */
public final class NoDatabaseAvailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    NoDatabaseAvailableException(List<String> attempts) {
        super(message(attempts));
    }

    private static String message(List<String> attempts) {
        StringBuilder sb = new StringBuilder("No PostgreSQL server with pgvector is available for agentstore's test kit. Tried, in order:");
        for (int i = 0; i < attempts.size(); i++) {
            sb.append("\n  ").append(i + 1).append(". ").append(attempts.get(i));
        }
        sb.append("\nFix one of them: set ").append(ExplicitUrlProvider.URL_ENV)
                .append(" (or -D").append(ExplicitUrlProvider.URL_PROPERTY)
                .append(") to a server you may create databases on; start Docker; or run scripts/install-pgvector.sh "
                        + "to install PostgreSQL and pgvector locally.");
        return sb.toString();
    }
}
