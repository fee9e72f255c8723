package dev.agentstore.conversation;

/**
 * What a message-level retention run deleted.
 *
 * @param messagesDeleted how many messages went (their sessions stay)
 * @param batches how many transactions it took
 */
public record MessageRetentionResult(long messagesDeleted, int batches) {
}
