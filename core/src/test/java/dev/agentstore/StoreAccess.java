package dev.agentstore;

import dev.agentstore.internal.StoreContext;

/** For tests of package-private workers: the context a store hands its capabilities. */
public final class StoreAccess {

    private StoreAccess() {
    }

    /** The store's context. */
    public static StoreContext context(AgentStore store) {
        return store.context();
    }
}
