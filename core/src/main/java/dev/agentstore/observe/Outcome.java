package dev.agentstore.observe;

import dev.agentstore.AgentStoreException;
import dev.agentstore.ConflictException;
import dev.agentstore.DatabaseUnavailableException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.SchemaValidationException;
import dev.agentstore.document.EmbeddingFailedException;
import java.util.Locale;

/**
 * How an {@link Operation} ended: a success, or the category of the exception it threw. A small, fixed set, so
 * that it can be a metric tag ({@link #tag()}).
 */
public enum Outcome {
    /** The operation returned normally. */
    SUCCESS,
    /** {@link InvalidInputException} (including {@link dev.agentstore.DimensionMismatchException}): bad input. */
    INVALID_INPUT,
    /** {@link NotFoundException}: an id named nothing visible to the tenant. */
    NOT_FOUND,
    /** {@link ConflictException} (including {@link dev.agentstore.memory.VersionConflictException}). */
    CONFLICT,
    /** {@link EmbeddingFailedException}: the host's embedding function failed. */
    EMBEDDING_FAILED,
    /** {@link DatabaseUnavailableException}: no connection, or the database went away. */
    DATABASE_UNAVAILABLE,
    /** {@link SchemaValidationException} (including {@link dev.agentstore.MissingPrivilegeException}). */
    SCHEMA,
    /** Any other {@link AgentStoreException}: the database failed the statement. */
    DATABASE_ERROR,
    /** Anything else: an exception of the host's code (e.g. a progress listener's) or an {@link Error}. */
    ERROR;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /**
     * The outcome's metric tag value: the constant's name in lower case, e.g. {@code not_found}.
     *
     * @return the tag value
     */
    public String tag() {
        return tag;
    }

    /**
     * The category of an exception an operation threw.
     *
     * @param failure the exception, or null for a success
     * @return {@link #SUCCESS} for null, otherwise the failure's category
     */
    public static Outcome of(Throwable failure) {
        if (failure == null) {
            return SUCCESS;
        }
        if (failure instanceof InvalidInputException) {
            return INVALID_INPUT;
        }
        if (failure instanceof NotFoundException) {
            return NOT_FOUND;
        }
        if (failure instanceof ConflictException) {
            return CONFLICT;
        }
        if (failure instanceof EmbeddingFailedException) {
            return EMBEDDING_FAILED;
        }
        if (failure instanceof DatabaseUnavailableException) {
            return DATABASE_UNAVAILABLE;
        }
        if (failure instanceof SchemaValidationException) {
            return SCHEMA;
        }
        if (failure instanceof AgentStoreException) {
            return DATABASE_ERROR;
        }
        return ERROR;
    }
}
