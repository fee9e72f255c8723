package dev.agentstore;

/**
 * The root of every exception agentstore throws. Unchecked: most callers cannot recover from a
 * database failure in the middle of a chat turn, and those that can catch the subclass that fits
 * ({@link NotFoundException}, {@link ConflictException}, {@link InvalidInputException},
 * {@link SchemaValidationException}). Database errors are wrapped once, with the original
 * {@link java.sql.SQLException} or jOOQ exception kept as the cause.
 */
public class AgentStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message that says what happened and what to do.
     *
     * @param message the message
     */
    public AgentStoreException(String message) {
        super(message);
    }

    /**
     * An exception with a message and the underlying cause.
     *
     * @param message the message
     * @param cause the underlying exception
     */
    public AgentStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
