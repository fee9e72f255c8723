package dev.agentstore.memory;

import dev.agentstore.InvalidInputException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A recall: the {@code k} best memories among the {@code candidates} nearest to a query embedding
 * that pass a filter, ranked by {@link RecallScoring}. Immutable.
 *
 * <pre>{@code
 * RecallQuery q = RecallQuery.of(MemoryFilter.agent("planner").withUser("u-42"), embed(question), 5);
 * }</pre>
 *
 * @param filter whose memories (agent required; kind, user, session, metadata optional)
 * @param embedding the query embedding, of the store's dimension, every component finite
 * @param k how many memories to return, 1 to {@value #MAX_K}
 * @param candidates how many nearest memories (by cosine distance, from the HNSW index) are scored,
 *                   k to {@value #MAX_CANDIDATES}; default {@code max(40, 4·k)} capped at the maximum.
 *                   A memory that is not among the candidates is not returned however important or
 *                   recent it is.
 * @param scoring the weights and half-life of the score
 */
public record RecallQuery(MemoryFilter filter, float[] embedding, int k, int candidates, RecallScoring scoring) {

    /** The largest k accepted. */
    public static final int MAX_K = 1000;
    /** The largest candidate depth accepted (pgvector's largest {@code hnsw.ef_search}). */
    public static final int MAX_CANDIDATES = 1000;

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when a component is missing or out of range
     */
    public RecallQuery {
        if (filter == null) {
            throw new InvalidInputException("filter must not be null; use MemoryFilter.agent(agentId)");
        }
        if (embedding == null) {
            throw new InvalidInputException("query embedding must not be null");
        }
        embedding = embedding.clone();
        if (k < 1 || k > MAX_K) {
            throw new InvalidInputException("k must be between 1 and " + MAX_K + ", but was " + k);
        }
        if (candidates < k || candidates > MAX_CANDIDATES) {
            throw new InvalidInputException("candidates must be between k (" + k + ") and " + MAX_CANDIDATES + ", but was " + candidates);
        }
        if (scoring == null) {
            throw new InvalidInputException("scoring must not be null; use RecallScoring.DEFAULT");
        }
    }

    /**
     * The k best memories with the default candidate depth and scoring.
     *
     * @param filter the filter
     * @param embedding the embedding
     * @param k how many results
     * @return the k best memories with the default candidate depth and scoring
     */
    public static RecallQuery of(MemoryFilter filter, float[] embedding, int k) {
        if (k < 1 || k > MAX_K) {
            throw new InvalidInputException("k must be between 1 and " + MAX_K + ", but was " + k);
        }
        return new RecallQuery(filter, embedding, k, defaultCandidates(k), RecallScoring.DEFAULT);
    }

    /**
     * {@code max(40, 4·k)}, at most {@value #MAX_CANDIDATES}.
     *
     * @param k how many results
     * @return the default candidates
     */
    public static int defaultCandidates(int k) {
        return (int) Math.min(MAX_CANDIDATES, Math.max(40L, 4L * k));
    }

    /**
     * This query with another candidate depth (k to {@value #MAX_CANDIDATES}).
     *
     * @param candidates how many candidates to rank
     * @return this query with another candidate depth (k to {@value #MAX_CANDIDATES})
     */
    public RecallQuery withCandidates(int candidates) {
        return new RecallQuery(filter, embedding, k, candidates, scoring);
    }

    /**
     * This query with other weights.
     *
     * @param scoring how recall scores
     * @return this query with other weights
     */
    public RecallQuery withScoring(RecallScoring scoring) {
        return new RecallQuery(filter, embedding, k, candidates, scoring);
    }

    /**
     * A copy of the embedding.
     *
     * @return a copy of the embedding
     */
    @Override
    public float[] embedding() {
        return embedding.clone();
    }

    float[] embeddingNoCopy() {
        return embedding;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecallQuery q && filter.equals(q.filter) && Arrays.equals(embedding, q.embedding) && k == q.k
                && candidates == q.candidates && scoring.equals(q.scoring);
    }

    @Override
    public int hashCode() {
        return Objects.hash(filter, Arrays.hashCode(embedding), k, candidates, scoring);
    }

    /** Never shows the embedding. */
    @Override
    public String toString() {
        return "RecallQuery[filter=" + filter + ", embedding=<" + embedding.length + " dimensions>, k=" + k
                + ", candidates=" + candidates + ", scoring=" + scoring + "]";
    }
}
