package dev.agentstore.internal;

/**
 * Size limits and batch sizes, set through {@code AgentStore.Builder}.
 *
 * @param maxMessageLength longest message content, in characters
 * @param maxChunkLength longest chunk text, in characters
 * @param maxMemoryLength longest semantic memory content, in characters
 * @param embeddingBatchSize texts per call of a host embedding function
 */
public record Limits(int maxMessageLength, int maxChunkLength, int maxMemoryLength, int embeddingBatchSize) {
}
