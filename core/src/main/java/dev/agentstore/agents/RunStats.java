package dev.agentstore.agents;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;

/**
 * Figures of one agent version over a period, or over one day of it, of the runs started in the period
 * (computed in SQL, from the daily rollup where it can). Latencies are the runs' durations.
 *
 * @param agentVersion the agent version
 * @param day the day (in the zone asked for), or null for the whole period
 * @param runs how many runs
 * @param successes how many succeeded
 * @param meanLatency mean duration, or null without runs
 * @param p50Latency median duration (continuous percentile; estimated from the daily rollup's latency histogram,
 *        within 5%, except for per-day figures in a zone other than UTC, which are exact), or null without runs
 * @param p95Latency 95th percentile of durations (continuous, interpolated; estimated like p50Latency), or null
 *        without runs
 * @param inputTokens sum of input tokens
 * @param outputTokens sum of output tokens
 * @param cost sum of the costs recorded (zero when none)
 * @param feedbackUp runs rated up
 * @param feedbackDown runs rated down
 * @param meanQuality mean quality score of the scored runs, or null when none is scored
 * @param scored how many runs have a quality score
 */
public record RunStats(AgentVersionId agentVersion, LocalDate day, long runs, long successes, Duration meanLatency,
        Duration p50Latency, Duration p95Latency, long inputTokens, long outputTokens, BigDecimal cost, long feedbackUp,
        long feedbackDown, Double meanQuality, long scored) {

    /**
     * The share of successful runs, 0 to 1; 0 without runs.
     *
     * @return the share of successful runs, 0 to 1; 0 without runs
     */
    public double successRate() {
        return runs == 0 ? 0 : (double) successes / runs;
    }

    /** Figures of a version without runs in the period. */
    static RunStats none(AgentVersionId version) {
        return new RunStats(version, null, 0, 0, null, null, null, 0, 0, BigDecimal.ZERO, 0, 0, null, 0);
    }
}
