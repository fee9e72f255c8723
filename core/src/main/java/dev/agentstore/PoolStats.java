package dev.agentstore;

/**
 * Connection pool statistics at one instant.
 *
 * @param active connections in use
 * @param idle connections waiting in the pool
 * @param waiting threads waiting for a connection
 * @param total connections open
 * @param maximum the pool's maximum size
 */
public record PoolStats(int active, int idle, int waiting, int total, int maximum) {

    @Override
    public String toString() {
        return active + " active, " + idle + " idle, " + waiting + " waiting (" + total + " of at most " + maximum + " open)";
    }
}
