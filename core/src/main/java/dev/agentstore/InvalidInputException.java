package dev.agentstore;

/**
 * An argument was out of its allowed range: blank text, a negative duration, an embedding of the
 * wrong dimension, and so on. Thrown before any SQL runs wherever possible; nothing was written.
 * Retrying with the same input fails again. The message names the parameter, the value (never
 * message text or embeddings) and what is allowed.
 */
public class InvalidInputException extends AgentStoreException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception naming what was wrong.
     *
     * @param message the message
     */
    public InvalidInputException(String message) {
        super(message);
    }

    /**
     * An exception naming what was wrong, with the database error that revealed it.
     *
     * @param message the message
     * @param cause the underlying exception
     */
    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
