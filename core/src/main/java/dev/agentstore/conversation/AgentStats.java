package dev.agentstore.conversation;

import java.time.Duration;
import java.time.LocalDate;

/**
 * Figures of one agent over a period, or over one day of it. Computed in SQL over the messages
 * appended in the period; response times count only messages that have one.
 *
 * @param agentId the agent, or null for sessions opened without one
 * @param day the day (in the zone asked for), or null for figures over the whole period
 * @param messages how many messages (all roles)
 * @param feedbackUp how many messages were rated up
 * @param feedbackDown how many messages were rated down
 * @param meanResponseTime the mean response time, or null when no message has one
 * @param p95ResponseTime the 95th percentile of response times (continuous, interpolated), or null when no message has one
 * @param inputTokens the sum of input tokens (0 when none recorded)
 * @param outputTokens the sum of output tokens (0 when none recorded)
 */
public record AgentStats(String agentId, LocalDate day, long messages, long feedbackUp, long feedbackDown,
        Duration meanResponseTime, Duration p95ResponseTime, long inputTokens, long outputTokens) {
}
