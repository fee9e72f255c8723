/**
 * Observing what a store does: a {@link dev.agentstore.observe.StoreObserver} set with
 * {@link dev.agentstore.AgentStore.Builder#observer(StoreObserver)} is told the duration and
 * {@link dev.agentstore.observe.Outcome} of every timed {@link dev.agentstore.observe.Operation}, and may
 * register gauges over the store's connection pool when the store is built. Without an observer (the
 * default) nothing is measured: no clock is read and nothing is allocated for it. The
 * {@code agentstore-micrometer} module implements the observer with Micrometer timers and gauges.
 */
package dev.agentstore.observe;
