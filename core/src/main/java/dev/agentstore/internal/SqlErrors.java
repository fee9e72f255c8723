package dev.agentstore.internal;

import dev.agentstore.AgentStoreException;
import dev.agentstore.ConflictException;
import dev.agentstore.InvalidInputException;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Translates database errors into agentstore's exceptions, once, at the boundary, keeping the cause.
 * Constraint names appear in messages; values never do.
 */
public final class SqlErrors {

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
        String state = sqlState(e);
        String detail = serverMessage(e);
        if (state != null) {
            switch (state) {
                case "23505": // unique_violation
                    return new ConflictException("cannot " + what + ": a row with the same key exists (" + detail + ")", e);
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
                    break;
            }
        }
        return new AgentStoreException("cannot " + what + ": " + (detail == null ? e.toString() : detail), e);
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
