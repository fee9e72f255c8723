package dev.agentstore.knowledge;

/**
 * How a hybrid search combines its vector and full-text candidates ({@link SearchRequest.Builder#fusion}).
 */
public enum Fusion {

    /**
     * Score-aware (default): every candidate of either arm gets
     * {@code vectorWeight · similarity + textWeight · 0.2 · s / s_max}, with the similarity of its embedding to the
     * query and {@code s} its full-text score relative to the best candidate's. On the real-text benchmark this gave
     * a higher MRR@10 and hit@5 than the vector search alone and than Reciprocal Rank Fusion (README, "Real-text
     * retrieval benchmark").
     */
    SCORE,

    /** Reciprocal Rank Fusion: {@code Σ weight / (rrfK + rank)} over the two rankings a candidate appears in. */
    RRF;

    /** The factor of the relative full-text score in {@link #SCORE} fusion (chosen on the real-text benchmark). */
    public static final double TEXT_SCALE = 0.2;
}
