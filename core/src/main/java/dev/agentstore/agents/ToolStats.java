package dev.agentstore.agents;

import java.time.Duration;

/**
 * Figures of one tool as called by one agent version over a period.
 *
 * @param agentVersion the agent version
 * @param tool the tool name
 * @param calls how many calls
 * @param errors how many ended in an error
 * @param timeouts how many timed out
 * @param meanLatency mean latency
 * @param p95Latency 95th percentile of latencies (continuous, interpolated)
 */
public record ToolStats(AgentVersionId agentVersion, String tool, long calls, long errors, long timeouts, Duration meanLatency,
        Duration p95Latency) {

    /**
     * The share of calls that failed or timed out, 0 to 1.
     *
     * @return the share of calls that failed or timed out, 0 to 1
     */
    public double errorRate() {
        return calls == 0 ? 0 : (double) (errors + timeouts) / calls;
    }
}
