package dev.agentstore.knowledge;

/** What a search ranks by. */
public enum SearchMode {
    /** Nearest chunk embeddings to a query embedding, by the knowledge base's distance metric. */
    VECTOR,
    /**
     * Full-text match of the query text's words against chunk text: candidates contain its rarest words, ranked by
     * the summed rarity (idf) of the query words each contains.
     */
    TEXT,
    /** Both arms fused by score ({@link Fusion#SCORE}, default) or by Reciprocal Rank Fusion ({@link Fusion#RRF}). */
    HYBRID
}
