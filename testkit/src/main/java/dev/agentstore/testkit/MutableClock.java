package dev.agentstore.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves by hand, for {@code AgentStore.Builder.clock(...)}: retention, expiry and
 * recency become deterministic. Always in UTC; thread-safe.
 */
public final class MutableClock extends Clock {

    private volatile Instant now;

    /** A clock standing at {@code start}. */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /** Moves the clock to an instant (also backwards). */
    public void set(Instant instant) {
        now = instant;
    }

    /** Moves the clock forward by d. */
    public void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** This clock: it is always UTC. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
