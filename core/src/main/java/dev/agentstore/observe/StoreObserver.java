package dev.agentstore.observe;

import dev.agentstore.AgentStore;

/**
 * Receives the duration and outcome of every timed operation of an {@link AgentStore} (see {@link Operation}
 * for the list), set with {@link AgentStore.Builder#observer(StoreObserver)}. Views of the store (transactions,
 * {@link AgentStore#joining(java.sql.Connection)}) report to the same observer.
 *
 * <p>Implementations are called on the thread that ran the operation, right after it ended, so they must be
 * thread-safe and quick (no I/O): update a meter, nothing more. An exception thrown by an observer is logged and
 * otherwise ignored; it never changes the operation's result. Operations called by other operations (an
 * overload delegating to another, or a capability using another) are reported once, by the outermost timed call.
 *
 * <p>{@code agentstore-micrometer}'s {@code MicrometerStoreObserver} is the implementation most hosts want.
 */
public interface StoreObserver {

    /**
     * One operation ended.
     *
     * @param operation what ran
     * @param outcome {@link Outcome#SUCCESS}, or the category of the exception it threw
     * @param nanos how long it took, in nanoseconds (from {@link System#nanoTime()})
     * @param failure the exception it threw (and which is thrown on to the caller), or null on success
     */
    void completed(Operation operation, Outcome outcome, long nanos, Throwable failure);

    /**
     * The store was built with this observer (called once, at the end of {@link AgentStore.Builder#build()}),
     * e.g. to register gauges that read {@link AgentStore#poolStats()}. Does nothing by default.
     *
     * @param store the new store
     */
    default void storeOpened(AgentStore store) {
    }

    /**
     * The store was closed ({@link AgentStore#close()}), e.g. to remove the gauges registered by
     * {@link #storeOpened(AgentStore)}. Does nothing by default.
     *
     * @param store the closed store
     */
    default void storeClosed(AgentStore store) {
    }
}
