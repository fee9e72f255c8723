package dev.agentstore.internal;

import dev.agentstore.observe.Operation;
import dev.agentstore.observe.Outcome;
import dev.agentstore.observe.StoreObserver;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times the facades' operations for the store's {@link StoreObserver}: each public operation is one expression,
 * {@code return timing.call(Operation.MESSAGE_APPEND, () -> addMessagesUntimed(sessionId, messages));}. Without an
 * observer that is a field read, a branch and the call: no clock read, and {@link #call} is small enough to be
 * inlined always, so that the JIT can drop the lambda's allocation (measured by the {@code observe} benchmark). With one, an operation
 * called inside another timed operation of the same thread (an overload, or {@code Erasure} using
 * {@code Documents}) is not reported again.
 *
 * One per store (kept in {@link StoreContext#shared}); thread-safe.
 */
public final class Timing {

    private static final Logger LOG = LoggerFactory.getLogger(Timing.class);
    private static final Timing OFF = new Timing(null);
    /** {@link #start()}'s value for a call nested in another timed call. */
    private static final long NESTED = Long.MIN_VALUE;

    private final StoreObserver observer;
    private final ThreadLocal<int[]> depth;

    private Timing(StoreObserver observer) {
        this.observer = observer;
        this.depth = observer == null ? null : ThreadLocal.withInitial(() -> new int[1]);
    }

    /**
     * Installs the store's observer in its context; called once, by the store, before any facade exists.
     *
     * @param context the store's context
     * @param observer the observer, or null for none
     */
    public static void install(StoreContext context, StoreObserver observer) {
        Timing timing = context.shared(Timing.class, c -> observer == null ? OFF : new Timing(observer));
        if (timing.observer != observer) {
            throw new IllegalStateException("the store's observer is already installed");
        }
    }

    /**
     * The timing of the store a context belongs to.
     *
     * @param context a context of the store (or of one of its tenants or transactions)
     * @return the store's timing; one without an observer when none was installed
     */
    public static Timing of(StoreContext context) {
        return context.shared(Timing.class, c -> OFF);
    }

    /** Whether an observer is installed. */
    public boolean enabled() {
        return observer != null;
    }

    /**
     * Runs and times an operation.
     *
     * @param operation what runs
     * @param work the operation
     * @param <T> its result type
     * @return its result
     */
    public <T> T call(Operation operation, Supplier<T> work) {
        // the whole method is this one expression, so that the JIT always inlines it: the caller's lambda then
        // has an exact type, its get() is inlined too and the lambda is never allocated
        return observer == null ? work.get() : timed(operation, work);
    }

    private <T> T timed(Operation operation, Supplier<T> work) {
        long started = start();
        try {
            T result = work.get();
            end(operation, started, null);
            return result;
        } catch (RuntimeException | Error e) {
            end(operation, started, e);
            throw e;
        }
    }

    /**
     * Runs and times an operation with an {@code int} result (boxed only when an observer is installed).
     *
     * @param operation what runs
     * @param work the operation
     * @return its result
     */
    public int callInt(Operation operation, IntSupplier work) {
        return observer == null ? work.getAsInt() : timed(operation, work::getAsInt);
    }

    /**
     * Runs and times an operation without a result.
     *
     * @param operation what runs
     * @param work the operation
     */
    public void run(Operation operation, Runnable work) {
        if (observer == null) {
            work.run();
        } else {
            timed(operation, () -> {
                work.run();
                return null;
            });
        }
    }

    /** Before the operation (an observer is installed): the value to hand to {@link #end}. */
    private long start() {
        int[] d = depth.get();
        return d[0]++ > 0 ? NESTED : System.nanoTime();
    }

    /** After the operation returned ({@code failure} null) or threw (the caller rethrows). */
    private void end(Operation operation, long started, Throwable failure) {
        long nanos = System.nanoTime() - started;
        depth.get()[0]--;
        if (started == NESTED) {
            return;
        }
        try {
            observer.completed(operation, Outcome.of(failure), nanos, failure);
        } catch (RuntimeException e) {
            LOG.warn("the store observer {} failed on {} (ignored)", observer, operation, e);
        }
    }
}
