package dev.agentstore;

/**
 * Another writer changed the same data first (a version conflict, a concurrent update, a
 * serialization failure). Nothing of this call was written; reading again and retrying can succeed.
 */
public class ConflictException extends AgentStoreException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception describing the conflict.
     *
     * @param message the message
     */
    public ConflictException(String message) {
        super(message);
    }

    /**
     * An exception describing the conflict, with the database error behind it.
     *
     * @param message the message
     * @param cause the underlying exception
     */
    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
