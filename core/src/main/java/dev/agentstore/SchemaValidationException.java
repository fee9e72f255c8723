package dev.agentstore;

/**
 * The database does not fit this library: pgvector is missing, the schema is not migrated (or is
 * older or newer than this version of agentstore expects), or it was migrated with another embedding
 * dimension. The message says what was found, what was expected, and what to run or change.
 */
public class SchemaValidationException extends AgentStoreException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception saying what does not fit and how to fix it.
     *
     * @param message the message
     */
    public SchemaValidationException(String message) {
        super(message);
    }

    /**
     * An exception saying what does not fit and how to fix it, with the underlying error.
     *
     * @param message the message
     * @param cause the underlying exception
     */
    public SchemaValidationException(String message, Throwable cause) {
        super(message, cause);
    }
}
