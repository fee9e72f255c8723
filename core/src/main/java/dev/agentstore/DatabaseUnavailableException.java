package dev.agentstore;

/**
 * The database could not serve the call for a reason outside the call itself: no pooled connection
 * became free in time, the connection was lost (server restart, {@code pg_terminate_backend}, network),
 * or the server is starting up or shutting down. The call's transaction was rolled back by the server,
 * unless the connection broke while the commit itself was under way (then its outcome is unknown:
 * read before writing again). Retrying later, with back-off, can succeed; the store itself stays usable
 * and replaces broken pooled connections on its own.
 */
public class DatabaseUnavailableException extends AgentStoreException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception naming what was unavailable and what to change or do.
     *
     * @param message the message
     * @param cause the underlying exception
     */
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
