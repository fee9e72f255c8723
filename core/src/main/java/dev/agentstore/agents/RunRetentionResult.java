package dev.agentstore.agents;

/**
 * What a retention run of runs deleted.
 *
 * @param runsDeleted how many runs went (each with its retrieved chunks and tool calls)
 * @param batches how many transactions it took
 */
public record RunRetentionResult(long runsDeleted, int batches) {
}
