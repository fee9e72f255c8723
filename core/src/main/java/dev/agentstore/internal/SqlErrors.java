package dev.agentstore.internal;

import dev.agentstore.AgentStore;
import dev.agentstore.AgentStoreException;
import dev.agentstore.ConflictException;
import dev.agentstore.DatabaseUnavailableException;
import dev.agentstore.InvalidInputException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Translates database errors into agentstore's exceptions, once, at the boundary, keeping the cause.
 * Constraint names appear in messages; values never do. The one place that maps SQLSTATEs: bad values
 * ({@code 22xxx}, {@code 23502}, {@code 23514}) become {@link InvalidInputException}, key and
 * concurrency conflicts {@link ConflictException}, a pool timeout or a lost connection
 * {@link DatabaseUnavailableException}; everything else an {@link AgentStoreException}.
 */
public final class SqlErrors {

    /** The pool name of the HikariCP pool a store creates from a JDBC URL. */
    public static final String POOL_NAME = "agentstore";

    /** Check constraints whose violation has a better explanation than the constraint name. */
    private static final Map<String, String> CONSTRAINT_HINTS = Map.of(
            "chunk_embedding_nonzero_ck", "a chunk embedding of a cosine knowledge base is all zeros; cosine distance to a"
                    + " zero vector is undefined (NaN); check the embedding model's output",
            "memory_embedding_nonzero_ck", "a memory embedding is all zeros; cosine distance to a zero vector is undefined"
                    + " (NaN); check the embedding model's output");

    private SqlErrors() {
    }

    /**
     * The agentstore exception for a failure while doing {@code what} (e.g. "append a message").
     * AgentStore exceptions pass through unchanged.
     */
    public static AgentStoreException translate(Throwable e, String what) {
        if (e instanceof AgentStoreException a) {
            return a;
        }
        SQLTransientConnectionException timeout = poolTimeout(e);
        if (timeout != null) {
            return poolTimeout(timeout, what);
        }
        String state = sqlState(e);
        String detail = serverMessage(e);
        String constraint = constraint(e);
        if (constraint != null && CONSTRAINT_HINTS.containsKey(constraint)) {
            return new InvalidInputException("cannot " + what + ": " + CONSTRAINT_HINTS.get(constraint)
                    + " [constraint " + constraint + "]; nothing was written", e);
        }
        if (state != null) {
            switch (state) {
                case "22021": // character_not_in_repertoire: NUL in text
                case "22P05": // untranslatable_character: \u0000 in JSON
                    return new InvalidInputException("cannot " + what + ": the database refused a text that holds a NUL "
                            + "character (U+0000), which PostgreSQL cannot store (" + detail + "); remove or replace it; "
                            + "nothing was written", e);
                case "42501": // insufficient_privilege, including row-level security violations
                    return new AgentStoreException("cannot " + what + ": the database refused access (" + detail + "); "
                            + "check the grants of the database user, and that it writes only rows of its own tenant "
                            + "(README, Guarantees)", e);
                case "57014": // query_canceled: statement_timeout or a cancel request
                    return new AgentStoreException("cannot " + what + ": the statement was cancelled (" + detail
                            + ") by statement_timeout or a cancel request; nothing of this call was written", e);
                case "23505": // unique_violation
                    return new ConflictException("cannot " + what + ": a row with the same key exists (" + detail + ")", e);
                case "23503": // foreign_key_violation
                    return new ConflictException("cannot " + what + ": a foreign key refused it (" + detail + ")"
                            + (detail != null && detail.startsWith("update or delete on table")
                                    ? "; a host table referencing agentstore rows needs ON DELETE CASCADE or ON DELETE SET NULL"
                                            + " (column), or the host deletes its referencing rows first" : ""), e);
                case "40001": // serialization_failure
                case "40P01": // deadlock_detected
                case "55P03": // lock_not_available
                    return new ConflictException("cannot " + what + ": a concurrent transaction interfered (" + detail
                            + "); nothing was written, retry", e);
                case "23514": // check_violation
                case "23502": // not_null_violation
                case "22001": // string_data_right_truncation
                case "22P02": // invalid_text_representation
                case "22023": // invalid_parameter_value
                case "22000": // data_exception (e.g. pgvector dimension errors)
                    return new InvalidInputException("cannot " + what + ": the database refused a value (" + detail + ")", e);
                default:
                    if (connectionLost(state)) {
                        return new DatabaseUnavailableException("cannot " + what + ": the database connection was lost or "
                                + "refused (SQLSTATE " + state + ": " + detail + "); the transaction of this call was rolled back"
                                + " unless the commit itself was under way; retry when the database is back", e);
                    }
                    break;
            }
        }
        return new AgentStoreException("cannot " + what + ": " + (detail == null ? e.toString() : detail), e);
    }

    /**
     * Whether a SQLSTATE means the connection or server is gone rather than the statement failed:
     * class 08 (connection exception), 57P01-57P03 (admin or crash shutdown, cannot connect now).
     */
    public static boolean connectionLost(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }

    private static SQLTransientConnectionException poolTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException s && s.getMessage() != null
                    && s.getMessage().contains("Connection is not available")) {
                return s;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static AgentStoreException poolTimeout(SQLTransientConnectionException e, String what) {
        String message = e.getMessage();
        int dash = message.indexOf(" - ");
        String pool = dash > 0 ? message.substring(0, dash) : null;
        String state = dash > 0 ? message.substring(dash + 3) : message;
        Throwable cause = e.getCause();
        String unreachable = cause instanceof SQLException s && connectionLost(s.getSQLState())
                ? " The pool cannot open connections either: " + s.getMessage() + "." : "";
        String fix = POOL_NAME.equals(pool)
                ? " Raise poolSize (" + AgentStore.ENV_POOL_SIZE + ") if the database can take more connections, or"
                        + " connectionTimeout (" + AgentStore.ENV_CONNECTION_TIMEOUT_MS + ") to wait longer; or hold"
                        + " connections for a shorter time (e.g. do not call a model or embed while a transaction is open)."
                : " The pool is the host's data source (pool " + pool + "): raise its maximum pool size or connection"
                        + " timeout in the host's pool configuration.";
        return new DatabaseUnavailableException("cannot " + what + ": no database connection became free in time (" + state
                + ")." + unreachable + fix, e);
    }

    /** The constraint named by the first PSQLException with a server message, or null. */
    private static String constraint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException p && p.getServerErrorMessage() != null) {
                return p.getServerErrorMessage().getConstraint();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** The SQLSTATE of the first SQLException in the cause chain, or null. */
    public static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** The server's message (with constraint name and hint when present) of the first PSQLException, else the first message. */
    public static String serverMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException p && p.getServerErrorMessage() != null) {
                ServerErrorMessage m = p.getServerErrorMessage();
                StringBuilder sb = new StringBuilder(String.valueOf(m.getMessage()));
                if (m.getConstraint() != null) {
                    sb.append(" [constraint ").append(m.getConstraint()).append(']');
                }
                if (m.getHint() != null) {
                    sb.append(". ").append(m.getHint());
                }
                return sb.toString();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return t.getMessage();
            }
        }
        return e == null ? null : e.getMessage();
    }
}
