package dev.agentstore.internal;

/**
 * Size limits and batch sizes, set through {@code AgentStore.Builder}.
 *
 * @param maxMessageLength longest message content, in characters
 * @param maxChunkLength longest chunk text, in characters
 * @param maxMemoryLength longest semantic memory content, in characters
 * @param embeddingBatchSize texts per call of a host embedding function
 * @param maxMetadataLength longest JSON text of one metadata object (sessions, messages and their
 *        sources, knowledge bases, documents, chunks, memories), in characters
 * @param maxMemoryValueLength longest JSON text of one key/value memory entry, in characters
 */
public record Limits(int maxMessageLength, int maxChunkLength, int maxMemoryLength, int embeddingBatchSize,
        int maxMetadataLength, int maxMemoryValueLength) {

    /** The builder option that raises {@link #maxMetadataLength()}. */
    public static final String MAX_METADATA_OPTION = "AgentStore.Builder.maxMetadataLength(...)";
    /** The builder option that raises {@link #maxMemoryValueLength()}. */
    public static final String MAX_MEMORY_VALUE_OPTION = "AgentStore.Builder.maxMemoryValueLength(...)";
    /** Default of {@link #maxMetadataLength()}. */
    public static final int DEFAULT_MAX_METADATA_LENGTH = 65_536;
    /** Default of {@link #maxMemoryValueLength()}. */
    public static final int DEFAULT_MAX_MEMORY_VALUE_LENGTH = 1_048_576;

    /** Limits with the default JSON limits. */
    public Limits(int maxMessageLength, int maxChunkLength, int maxMemoryLength, int embeddingBatchSize) {
        this(maxMessageLength, maxChunkLength, maxMemoryLength, embeddingBatchSize, DEFAULT_MAX_METADATA_LENGTH,
                DEFAULT_MAX_MEMORY_VALUE_LENGTH);
    }

    /** A metadata map as JSON, within {@link #maxMetadataLength()} (see {@link Json#object(java.util.Map, String, int, String)}). */
    public org.jooq.JSONB metadata(java.util.Map<String, ?> map, String name) {
        return Json.object(map, name, maxMetadataLength, MAX_METADATA_OPTION);
    }

    /** JSON text given for a key/value memory entry, checked (see {@link Json#parse}) within {@link #maxMemoryValueLength()}. */
    public org.jooq.JSONB memoryValue(String json, String name) {
        return Json.parse(json, name, maxMemoryValueLength, MAX_MEMORY_VALUE_OPTION);
    }
}
