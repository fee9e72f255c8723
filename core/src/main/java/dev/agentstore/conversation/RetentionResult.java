package dev.agentstore.conversation;

/**
 * What a retention run deleted.
 *
 * @param sessionsDeleted how many sessions went (each with its messages and session memory)
 * @param batches how many transactions it took
 */
public record RetentionResult(long sessionsDeleted, int batches) {
}
