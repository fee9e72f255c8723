package dev.agentstore.internal;

import java.time.Clock;
import java.util.Objects;
import org.jooq.DSLContext;

/**
 * What every capability facade needs from the store: the jOOQ context (schema mapping applied),
 * the embedding dimension, the limits and the clock. Immutable, thread-safe.
 *
 * @param dsl jOOQ context over the store's data source
 * @param schema the agentstore schema name
 * @param embeddingDimension dimension of every embedding column
 * @param limits size limits and batch sizes
 * @param clock source of "now" for retention and recency
 */
public record StoreContext(DSLContext dsl, String schema, int embeddingDimension, Limits limits, Clock clock) {

    public StoreContext {
        Objects.requireNonNull(dsl, "dsl");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(clock, "clock");
    }
}
