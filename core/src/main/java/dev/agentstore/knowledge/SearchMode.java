package dev.agentstore.knowledge;

/** What a search ranks by. */
public enum SearchMode {
    /** Nearest chunk embeddings to a query embedding, by the knowledge base's distance metric. */
    VECTOR,
    /** Full-text match of the query text's words (any of them) against chunk text, ranked by {@code ts_rank_cd}. */
    TEXT,
    /** Both rankings fused by Reciprocal Rank Fusion. */
    HYBRID
}
