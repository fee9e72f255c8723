/**
 * Micrometer metrics for agentstore: {@link dev.agentstore.micrometer.MicrometerStoreObserver} times every
 * operation and registers gauges over the store's connection pool; set it with
 * {@link dev.agentstore.AgentStore.Builder#observer(dev.agentstore.observe.StoreObserver)}.
 */
package dev.agentstore.micrometer;
