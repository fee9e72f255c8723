package dev.agentstore.agents;

/**
 * Two versions of one agent side by side over the same period.
 *
 * @param a the figures of the first version (zero runs when it had none)
 * @param b the figures of the second version
 */
public record VersionComparison(RunStats a, RunStats b) {

    /**
     * b's success rate minus a's, in percentage points / 100 (e.g. 0.05 = five points better).
     *
     * @return b's success rate minus a's, in percentage points / 100 (e.g
     */
    public double successRateChange() {
        return b.successRate() - a.successRate();
    }

    /**
     * b's p95 latency divided by a's (below 1 = faster), or NaN when either has none.
     *
     * @return b's p95 latency divided by a's (below 1 = faster), or NaN when either has none
     */
    public double p95LatencyRatio() {
        if (a.p95Latency() == null || b.p95Latency() == null || a.p95Latency().isZero()) {
            return Double.NaN;
        }
        return (double) b.p95Latency().toNanos() / a.p95Latency().toNanos();
    }
}
