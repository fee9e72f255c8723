package dev.agentstore.internal;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import javax.sql.DataSource;
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
    private final DataSource dataSource;
    private final boolean rowLevelSecurity;
    /** For a context whose every statement runs on one connection of a transaction ({@link #bound}), that connection. */
    private final BoundConnection bound;

    /**
     * @param dsl jOOQ context over the store's data source
     * @param schema the agentstore schema name
     * @param embeddingDimension dimension of every embedding column
     * @param limits size limits and batch sizes
     * @param clock source of "now" for retention and recency
     */
    public StoreContext(DSLContext dsl, String schema, int embeddingDimension, Limits limits, Clock clock) {
        this(dsl, null, false, schema, embeddingDimension, limits, clock, new ConcurrentHashMap<>());
    }

    /**
     * @param dsl jOOQ context over the store's data source
     * @param dataSource the store's data source, for tenant-bound connections
     * @param rowLevelSecurity whether the database enforces the tenant policies for the store's role, so
     *        that every transaction must set the tenant ({@link #forTenant(String)})
     * @param schema the agentstore schema name
     * @param embeddingDimension dimension of every embedding column
     * @param limits size limits and batch sizes
     * @param clock source of "now" for retention and recency
     */
    public StoreContext(DSLContext dsl, DataSource dataSource, boolean rowLevelSecurity, String schema,
            int embeddingDimension, Limits limits, Clock clock) {
        this(dsl, dataSource, rowLevelSecurity, schema, embeddingDimension, limits, clock, new ConcurrentHashMap<>());
    }

    private StoreContext(DSLContext dsl, DataSource dataSource, boolean rowLevelSecurity, String schema,
            int embeddingDimension, Limits limits, Clock clock, ConcurrentMap<Class<?>, Object> shared) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        this.dataSource = dataSource;
        this.rowLevelSecurity = rowLevelSecurity;
        if (rowLevelSecurity && dataSource == null) {
            throw new IllegalArgumentException("row-level security needs the data source");
        }
        this.schema = Objects.requireNonNull(schema, "schema");
        this.embeddingDimension = embeddingDimension;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.shared = shared;
        this.bound = null;
    }

    /**
     * The context a capability facade of this tenant uses: when the database enforces row-level
     * security for the store's role, one whose connections set the tenant in every transaction
     * ({@link TenantConnections}); otherwise this context itself (the library's own
     * {@code tenant_id} filters then isolate tenants). Shares {@link #shared} state with this one.
     */
    public StoreContext forTenant(String tenant) {
        if (!rowLevelSecurity) {
            return this;
        }
        if (bound != null) {
            // the transaction's connection, bound to the tenant for that transaction
            return new StoreContext(dsl(tenant), this);
        }
        return new StoreContext(dsl(tenant), dataSource, true, schema, embeddingDimension, limits, clock, shared);
    }

    /**
     * A jOOQ context whose every transaction sets this tenant for the row-level security policies. For a
     * bound context: the transaction's connection, on which the tenant is set for the rest of that
     * transaction (and again whenever another tenant's context used it in between).
     */
    public DSLContext dsl(String tenant) {
        if (bound != null) {
            return DSL.using(dsl.configuration().derive(TenantConnections.joining(bound, tenant)));
        }
        if (dataSource == null) {
            throw new IllegalStateException("this context has no data source for tenant-bound connections");
        }
        return DSL.using(dsl.configuration().derive(new TenantConnections(dataSource, tenant)));
    }

    /** Whether the database enforces the tenant policies for the store's role. */
    public boolean rowLevelSecurity() {
        return rowLevelSecurity;
    }

    private StoreContext(DSLContext dsl, StoreContext base) {
        this(dsl, base, base.bound);
    }

    private StoreContext(DSLContext dsl, StoreContext base, BoundConnection bound) {
        this.dsl = dsl;
        this.dataSource = base.dataSource;
        this.rowLevelSecurity = base.rowLevelSecurity;
        this.bound = bound;
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
        return new StoreContext(DSL.using(dsl.configuration().derive(connection)), this, connection);
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
