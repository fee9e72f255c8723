package dev.agentstore.internal;

/**
 * Size limits, batch sizes and knowledge-storage thresholds, set through {@code AgentStore.Builder}.
 *
 * @param maxMessageLength longest message content, in characters
 * @param maxChunkLength longest chunk text, in characters
 * @param maxMemoryLength longest semantic memory content, in characters
 * @param embeddingBatchSize texts per call of a host embedding function
 * @param maxMetadataLength longest JSON text of one metadata object (sessions, messages and their
 *        sources, knowledge bases, documents, chunks, memories), in characters
 * @param maxMemoryValueLength longest JSON text of one key/value memory entry, in characters
 * @param bulkLoadThreshold chunk positions from which an {@code ingestAll} call loads a new segment and
 *     builds its indexes after the load (below: row by row into the live range)
 * @param maxIndexRanges index ranges of a knowledge base (besides the live one) above which a bulk load
 *     compacts them into one
 * @param exactSearchMaxChunks knowledge bases with fewer chunks than this are searched exactly
 * @param indexBuildMemoryMb {@code maintenance_work_mem} for index builds of bulk loads and compactions, in MB
 * @param indexBuildWorkers {@code max_parallel_maintenance_workers} for those index builds (0: the building
 *     backend alone)
 * @param ingestLease the processing lease an ordinary ingest of an existing document holds while it embeds
 *     (renewed after each embedding batch that ends past half of it)
 */
public record Limits(int maxMessageLength, int maxChunkLength, int maxMemoryLength, int embeddingBatchSize,
        int maxMetadataLength, int maxMemoryValueLength, int bulkLoadThreshold, int maxIndexRanges,
        int exactSearchMaxChunks, int indexBuildMemoryMb, int indexBuildWorkers, java.time.Duration ingestLease) {

    /** The builder option that raises {@link #maxMetadataLength()}. */
    public static final String MAX_METADATA_OPTION = "AgentStore.Builder.maxMetadataLength(...)";
    /** The builder option that raises {@link #maxMemoryValueLength()}. */
    public static final String MAX_MEMORY_VALUE_OPTION = "AgentStore.Builder.maxMemoryValueLength(...)";
    /** Default of {@link #maxMetadataLength()}. */
    public static final int DEFAULT_MAX_METADATA_LENGTH = 65_536;
    /** Default of {@link #maxMemoryValueLength()}. */
    public static final int DEFAULT_MAX_MEMORY_VALUE_LENGTH = 1_048_576;
    /** Default of {@link #bulkLoadThreshold}. */
    public static final int DEFAULT_BULK_LOAD_THRESHOLD = 2_000;
    /** Default of {@link #maxIndexRanges}. */
    public static final int DEFAULT_MAX_INDEX_RANGES = 4;
    /** Default of {@link #exactSearchMaxChunks}. */
    public static final int DEFAULT_EXACT_SEARCH_MAX_CHUNKS = 5_000;
    /** Default of {@link #indexBuildMemoryMb}. */
    public static final int DEFAULT_INDEX_BUILD_MEMORY_MB = 1024;
    /** Default of {@link #ingestLease}: the database's own default for a writer that sets no lease. */
    public static final java.time.Duration DEFAULT_INGEST_LEASE = java.time.Duration.ofMinutes(10);

    /** @throws NullPointerException when ingestLease is null */
    public Limits {
        java.util.Objects.requireNonNull(ingestLease, "ingestLease");
    }

    /** Limits with the default ingest lease. */
    public Limits(int maxMessageLength, int maxChunkLength, int maxMemoryLength, int embeddingBatchSize,
            int maxMetadataLength, int maxMemoryValueLength, int bulkLoadThreshold, int maxIndexRanges,
            int exactSearchMaxChunks, int indexBuildMemoryMb, int indexBuildWorkers) {
        this(maxMessageLength, maxChunkLength, maxMemoryLength, embeddingBatchSize, maxMetadataLength, maxMemoryValueLength,
                bulkLoadThreshold, maxIndexRanges, exactSearchMaxChunks, indexBuildMemoryMb, indexBuildWorkers,
                DEFAULT_INGEST_LEASE);
    }

    /**
     * Default of {@link #indexBuildWorkers}: one parallel worker per processor of this machine besides
     * the building backend itself, at most 8 (assumes the database runs on a machine like this one).
     */
    public static int defaultIndexBuildWorkers() {
        return Math.max(0, Math.min(8, Runtime.getRuntime().availableProcessors() - 1));
    }

    /** Limits with the default JSON limits and knowledge-storage thresholds. */
    public Limits(int maxMessageLength, int maxChunkLength, int maxMemoryLength, int embeddingBatchSize) {
        this(maxMessageLength, maxChunkLength, maxMemoryLength, embeddingBatchSize, DEFAULT_MAX_METADATA_LENGTH,
                DEFAULT_MAX_MEMORY_VALUE_LENGTH);
    }

    /** Limits with the default knowledge-storage thresholds. */
    public Limits(int maxMessageLength, int maxChunkLength, int maxMemoryLength, int embeddingBatchSize,
            int maxMetadataLength, int maxMemoryValueLength) {
        this(maxMessageLength, maxChunkLength, maxMemoryLength, embeddingBatchSize, maxMetadataLength, maxMemoryValueLength,
                DEFAULT_BULK_LOAD_THRESHOLD, DEFAULT_MAX_INDEX_RANGES, DEFAULT_EXACT_SEARCH_MAX_CHUNKS,
                DEFAULT_INDEX_BUILD_MEMORY_MB, defaultIndexBuildWorkers());
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
