package dev.agentstore.benchmarks;

import dev.agentstore.AgentStore;
import dev.agentstore.document.ChunkInput;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.internal.Timing;
import dev.agentstore.micrometer.MicrometerStoreObserver;
import dev.agentstore.observe.Operation;
import dev.agentstore.testkit.TestDatabase;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What observing costs ("no cost when absent"): first the hook alone (the timing wrapper every operation
 * has, millions of times in a loop: nanoseconds and bytes allocated per operation, without an observer and with
 * the Micrometer one), then chat turns and vector searches through a store without an observer and through one with
 * {@code MicrometerStoreObserver} over a {@code SimpleMeterRegistry}, interleaved in rounds on the same database
 * and data, with the ratio printed. The hand-written baseline here is the store without an observer: the path
 * every operation took before the hook existed, plus one field read and one branch.
 */
final class ObserverBenchmark implements Benchmark {

    private static final int DIMENSION = 384;

    @Override
    public String name() {
        return "observe";
    }

    @Override
    public void run(BenchEnv env) throws Exception {
        TestDatabase db = env.database(DIMENSION);
        int rounds = env.size(1, 5);
        int turns = env.size(20, 400);
        int searches = env.size(20, 400);
        int chunks = env.size(400, 10_000);
        int loop = env.size(2_000_000, 20_000_000);
        Random random = new Random(42);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AgentStore plain = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(2)
                        .connectionTimeout(Duration.ofSeconds(30)).build();
                AgentStore observed = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(2)
                        .connectionTimeout(Duration.ofSeconds(30)).observer(MicrometerStoreObserver.of(registry)).build();
                // the hook loop records millions of operations: into a registry of its own
                AgentStore hooked = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(2)
                        .connectionTimeout(Duration.ofSeconds(30)).observer(MicrometerStoreObserver.of(new SimpleMeterRegistry()))
                        .build()) {

            // 1. the hook alone. Without an observer first, before any store with one has run an operation: the JIT
            // compiles Timing.call with the branch profile of an application without observers (once a store with
            // an observer has run in the same JVM, the profile holds both branches and the no-observer calls may
            // allocate their 16-byte lambda again)
            Timing off = Timing.of(context(plain));
            Timing on = Timing.of(context(hooked));
            for (int warm = 0; warm < 2; warm++) { // until the JIT has compiled the loop and the calls
                hook(off, loop);
            }
            double[] offFigures = hook(off, loop);
            for (int warm = 0; warm < 2; warm++) {
                hook(on, loop);
            }
            double[] onFigures = hook(on, loop);
            env.out().printf("hook alone, no observer        : %.2f ns/op, %.3f bytes/op (%,d ops)%n", offFigures[0], offFigures[1], loop);
            env.out().printf("hook alone, Micrometer observer: %.2f ns/op, %.3f bytes/op (%,d ops)%n", onFigures[0], onFigures[1], loop);

            // 2. whole operations
            Documents docs = plain.documents("acme");
            KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("kb", DIMENSION));
            List<DocumentInput> load = new ArrayList<>();
            for (int d = 0; d < chunks / 10; d++) {
                List<ChunkInput> cs = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    cs.add(ChunkInput.of("document " + d + " chunk " + i + " about topic " + random.nextInt(500), vector(random)));
                }
                load.add(DocumentInput.ofChunks("load-" + d, cs));
            }
            docs.ingestAll(kb.id(), load, null);
            env.out().printf("loaded %,d chunks of %d dimensions%n", chunks, DIMENSION);

            Stats[] turn = {new Stats(rounds * turns), new Stats(rounds * turns)};
            Stats[] search = {new Stats(rounds * searches), new Stats(rounds * searches)};
            AgentStore[] stores = {plain, observed};
            for (int r = 0; r < rounds + 1; r++) { // round 0 warms up both
                for (int k = 0; k < 2; k++) {
                    int which = (r + k) % 2; // alternate who goes first
                    AgentStore store = stores[which];
                    boolean record = r > 0;
                    PairedWorkloads.chatTurns(store, "acme", turns, turn[which], record);
                    PairedWorkloads.vectorSearches(store, "acme", kb.id(), searches, random, DIMENSION, search[which], record);
                }
            }
            print(env, "chat turn (append 2 + last 20)", turn);
            print(env, "vector search (k=10)", search);
            Timer appends = registry.find(MicrometerStoreObserver.TIMER).tags("operation", "message.append").timer();
            Timer vector = registry.find(MicrometerStoreObserver.TIMER).tags("operation", "search.vector").timer();
            env.out().printf("Micrometer saw: message.append %,d, search.vector %,d (mean %.3f ms)%n",
                    appends == null ? 0 : appends.count(), vector == null ? 0 : vector.count(),
                    vector == null ? Double.NaN : vector.mean(java.util.concurrent.TimeUnit.MILLISECONDS));
        }
    }

    /**
     * ns/op and bytes allocated/op of the timing wrapper of an operation: {@code timing.call(operation, () -> ...)}
     * with a lambda capturing the operation's argument, as every facade method has it.
     */
    private static double[] hook(Timing timing, int n) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Object[] arguments = {"a", "b", "c", "d"};
        long sink = 0;
        long bytes0 = threads.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Object argument = arguments[i & 3];
            Object result = timing.call(Operation.MESSAGE_APPEND, () -> argument);
            if (result == arguments[0]) {
                sink++;
            }
        }
        long nanos = System.nanoTime() - t0;
        long bytes = threads.getCurrentThreadAllocatedBytes() - bytes0;
        if (sink != n / 4 + (n % 4 > 0 ? 1 : 0)) {
            throw new IllegalStateException("the timed calls returned wrong results");
        }
        return new double[] {(double) nanos / n, (double) bytes / n};
    }

    /** The store's context (internal; the benchmarks run on the class path). */
    private static StoreContext context(AgentStore store) throws ReflectiveOperationException {
        Field f = AgentStore.class.getDeclaredField("context");
        f.setAccessible(true);
        return (StoreContext) f.get(store);
    }

    private static void print(BenchEnv env, String what, Stats[] s) {
        env.out().printf("%-32s no observer: %s%n", what, s[0].summary());
        env.out().printf("%-32s Micrometer : %s%n", what, s[1].summary());
        env.out().printf("%-32s ratio Micrometer/none: p50 %.3f, mean %.3f%n", what,
                s[1].percentileMillis(50) / s[0].percentileMillis(50), s[1].meanMillis() / s[0].meanMillis());
    }

    private static float[] vector(Random random) {
        return PairedWorkloads.gaussian(random, DIMENSION);
    }
}
