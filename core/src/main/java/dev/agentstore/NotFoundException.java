package dev.agentstore;

/**
 * The id given does not name a row visible to this tenant: it never existed, was deleted, or belongs
 * to another tenant (which is indistinguishable by design). Nothing was written.
 */
public class NotFoundException extends AgentStoreException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception naming what was not found.
     *
     * @param message the message
     */
    public NotFoundException(String message) {
        super(message);
    }
}
