package dev.agentstore.micrometer;

import dev.agentstore.AgentStore;
import dev.agentstore.PoolStats;
import dev.agentstore.observe.Operation;
import dev.agentstore.observe.Outcome;
import dev.agentstore.observe.StoreObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToIntFunction;

/**
 * Micrometer metrics for an {@link AgentStore}: a {@link Timer} {@value #TIMER} per operation and outcome, tagged
 * {@code capability}, {@code operation} and {@code outcome} (see {@link Operation} and {@link Outcome}), and gauges
 * over the store's connection pool ({@value #POOL_PREFIX}{@code active}, {@code idle}, {@code pending},
 * {@code total}, {@code max}, tagged with the store's {@code schema}).
 *
 * <pre>{@code
 * MeterRegistry registry = new SimpleMeterRegistry();
 * AgentStore store = AgentStore.builder().fromEnvironment()
 *         .observer(MicrometerStoreObserver.of(registry))
 *         .build();
 * }</pre>
 *
 * <p>Each timer is registered on first use and then looked up in an array: recording an operation allocates
 * nothing. The pool gauges read {@link AgentStore#poolStats()} (HikariCP's pool MXBean, no database round trip)
 * when the registry is scraped; a store over a host's data source that is not a HikariCP pool has none (the
 * host's own pool metrics apply). They are removed when the store closes. Thread-safe; one observer may serve
 * several stores (give each different {@link #of(MeterRegistry, Iterable) tags} when they share a schema name).
 */
public final class MicrometerStoreObserver implements StoreObserver {

    /** Name of the operation timers. */
    public static final String TIMER = "agentstore.operation";
    /** Prefix of the pool gauges' names. */
    public static final String POOL_PREFIX = "agentstore.pool.";

    private static final Operation[] OPERATIONS = Operation.values();
    private static final Outcome[] OUTCOMES = Outcome.values();

    private final MeterRegistry registry;
    private final Tags tags;
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(OPERATIONS.length * OUTCOMES.length);
    private final Map<AgentStore, List<Meter>> gauges = new IdentityHashMap<>();

    private MicrometerStoreObserver(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
    }

    /**
     * An observer recording into a registry.
     *
     * @param registry where the timers and gauges go
     * @return the observer, for {@link AgentStore.Builder#observer}
     * @throws NullPointerException when registry is null
     */
    public static MicrometerStoreObserver of(MeterRegistry registry) {
        return of(registry, Tags.empty());
    }

    /**
     * An observer recording into a registry with extra tags on every meter (e.g. {@code store=orders} when one
     * application has several stores).
     *
     * @param registry where the timers and gauges go
     * @param tags extra tags on every meter; none of them may be named {@code capability}, {@code operation},
     *        {@code outcome} or {@code schema}
     * @return the observer, for {@link AgentStore.Builder#observer}
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when a tag uses one of the observer's own tag names
     */
    public static MicrometerStoreObserver of(MeterRegistry registry, Iterable<Tag> tags) {
        Objects.requireNonNull(registry, "registry");
        Tags extra = Tags.of(Objects.requireNonNull(tags, "tags"));
        for (Tag tag : extra) {
            if (List.of("capability", "operation", "outcome", "schema").contains(tag.getKey())) {
                throw new IllegalArgumentException("tag '" + tag.getKey() + "' is set by the observer itself; rename it");
            }
        }
        return new MicrometerStoreObserver(registry, extra);
    }

    /**
     * The registry the meters go to.
     *
     * @return the registry
     */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void completed(Operation operation, Outcome outcome, long nanos, Throwable failure) {
        int slot = operation.ordinal() * OUTCOMES.length + outcome.ordinal();
        Timer timer = timers.get(slot);
        if (timer == null) {
            // registering twice returns the same timer, so a race here is harmless
            timer = Timer.builder(TIMER)
                    .description("Duration of agentstore operations, by capability, operation and outcome")
                    .tags(tags)
                    .tag("capability", operation.capability())
                    .tag("operation", operation.operation())
                    .tag("outcome", outcome.tag())
                    .register(registry);
            timers.set(slot, timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void storeOpened(AgentStore store) {
        if (store.poolStats().isEmpty()) {
            return;
        }
        Tags poolTags = tags.and("schema", store.schema());
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge(store, "active", "Connections in use", poolTags, PoolStats::active));
        meters.add(gauge(store, "idle", "Connections idle in the pool", poolTags, PoolStats::idle));
        meters.add(gauge(store, "pending", "Threads waiting for a connection", poolTags, PoolStats::waiting));
        meters.add(gauge(store, "total", "Connections open", poolTags, PoolStats::total));
        meters.add(gauge(store, "max", "The pool's maximum size", poolTags, PoolStats::maximum));
        synchronized (gauges) {
            gauges.put(store, meters);
        }
    }

    @Override
    public void storeClosed(AgentStore store) {
        List<Meter> meters;
        synchronized (gauges) {
            meters = gauges.remove(store);
        }
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    private Gauge gauge(AgentStore store, String name, String description, Tags poolTags, ToIntFunction<PoolStats> value) {
        // the gauge holds the store weakly (Micrometer's default): a store dropped without close() reads NaN
        return Gauge.builder(POOL_PREFIX + name, store, s -> s.poolStats().map(p -> (double) value.applyAsInt(p)).orElse(Double.NaN))
                .description(description)
                .tags(poolTags)
                .baseUnit(name.equals("pending") ? "threads" : "connections")
                .register(registry);
    }

    @Override
    public String toString() {
        return "MicrometerStoreObserver[" + registry.getClass().getSimpleName() + (tags.iterator().hasNext() ? ", " + tags : "")
                + "]";
    }
}
