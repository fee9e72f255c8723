package dev.agentstore.internal;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * What every capability facade needs from the store: the jOOQ context (schema mapping applied),
 * the embedding dimension, the limits and the clock, plus a cache of objects a capability builds
 * once per store (e.g. pre-rendered statements). One per {@code AgentStore}; thread-safe.
 */
public final class StoreContext {

    private final DSLContext dsl;
    private final String schema;
    private final int embeddingDimension;
    private final Limits limits;
    private final Clock clock;
    private final ConcurrentMap<Class<?>, Object> shared;

    /**
     * @param dsl jOOQ context over the store's data source
     * @param schema the agentstore schema name
     * @param embeddingDimension dimension of every embedding column
     * @param limits size limits and batch sizes
     * @param clock source of "now" for retention and recency
     */
    public StoreContext(DSLContext dsl, String schema, int embeddingDimension, Limits limits, Clock clock) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.embeddingDimension = embeddingDimension;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.shared = new ConcurrentHashMap<>();
    }

    private StoreContext(DSLContext dsl, StoreContext base) {
        this.dsl = dsl;
        this.schema = base.schema;
        this.embeddingDimension = base.embeddingDimension;
        this.limits = base.limits;
        this.clock = base.clock;
        this.shared = base.shared;
    }

    /**
     * The same context with every statement on one connection (a transaction's), sharing this
     * context's cache. Capabilities built from it take their connections from it like from any
     * context: nothing in them changes.
     */
    public StoreContext bound(BoundConnection connection) {
        Objects.requireNonNull(connection, "connection");
        return new StoreContext(DSL.using(dsl.configuration().derive(connection)), this);
    }

    /** jOOQ context over the store's data source (or, for a bound context, the transaction's connection). */
    public DSLContext dsl() {
        return dsl;
    }

    /** The agentstore schema name. */
    public String schema() {
        return schema;
    }

    /** Dimension of every embedding column. */
    public int embeddingDimension() {
        return embeddingDimension;
    }

    /** Size limits and batch sizes. */
    public Limits limits() {
        return limits;
    }

    /** Source of "now". */
    public Clock clock() {
        return clock;
    }

    /**
     * The store's single instance of {@code type}, created by {@code factory} on first use. For state a
     * capability derives once per store (never mutable data).
     */
    public <T> T shared(Class<T> type, Function<StoreContext, T> factory) {
        return type.cast(shared.computeIfAbsent(type, t -> factory.apply(this)));
    }
}
