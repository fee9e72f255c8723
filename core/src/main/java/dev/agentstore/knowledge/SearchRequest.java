package dev.agentstore.knowledge;

import dev.agentstore.internal.Checks;
import dev.agentstore.InvalidInputException;
import dev.agentstore.document.KnowledgeBaseId;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * What to search for, where, and how: built with {@link #vector(float[])}, {@link #text(String)} or
 * {@link #hybrid(String, float[])}, then the builder's options.
 *
 * <pre>{@code
 * SearchRequest request = SearchRequest.vector(queryEmbedding)
 *         .limit(5)
 *         .knowledgeBases(kb)
 *         .filter(Filter.metadata("category").eq("billing"))
 *         .minScore(0.3)
 *         .build();
 * }</pre>
 *
 * <p>Options with their defaults:
 * <ul>
 *   <li>{@code limit} (k): {@value #DEFAULT_LIMIT}, 1 to {@value #MAX_LIMIT};</li>
 *   <li>{@code knowledgeBases}: none = every knowledge base of the tenant (they must share one metric
 *       for a vector search and one text-search configuration for a text search);</li>
 *   <li>{@code filter}: none;</li>
 *   <li>{@code minScore}: none (see {@link SearchHit} for the score of each mode and metric);</li>
 *   <li>{@code efSearch}: {@value #DEFAULT_EF_SEARCH} (pgvector's {@code hnsw.ef_search}, 1 to {@value #MAX_EF_SEARCH});
 *       raised to the candidate depth when that is larger;</li>
 *   <li>{@code iterativeScan}: {@link IterativeScan#RELAXED_ORDER};</li>
 *   <li>{@code maxScanTuples}: pgvector's default (20,000), 1 to {@value #MAX_SCAN_TUPLES};</li>
 *   <li>{@code candidateDepth}: how many nearest candidates the vector arm fetches before sorting, scoring
 *       and taking k: k without a filter, else max(k, efSearch); for hybrid search, also the depth of
 *       the text arm; k to {@value #MAX_CANDIDATE_DEPTH};</li>
 *   <li>{@code exact}: false; true compares the query with every chunk (no index): exact results, for
 *       small knowledge bases;</li>
 *   <li>{@code rrfK}: {@value #DEFAULT_RRF_K} and {@code weights}: 1.0 and 1.0 (hybrid only).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe. The builder is not thread-safe.
 */
public final class SearchRequest {

    /** Default number of hits. */
    public static final int DEFAULT_LIMIT = 10;
    /** Most hits one search returns. */
    public static final int MAX_LIMIT = 1000;
    /** Default {@code hnsw.ef_search}: 100 (pgvector's own default of 40 gave recall@10 0.92 on 100,000 768-d vectors, 100 gave 0.97). */
    public static final int DEFAULT_EF_SEARCH = 100;
    /** Largest {@code hnsw.ef_search} pgvector accepts. */
    public static final int MAX_EF_SEARCH = 1000;
    /** Largest candidate depth. */
    public static final int MAX_CANDIDATE_DEPTH = 1000;
    /** Largest {@code hnsw.max_scan_tuples} accepted. */
    public static final int MAX_SCAN_TUPLES = 10_000_000;
    /** Default Reciprocal Rank Fusion constant. */
    public static final int DEFAULT_RRF_K = 60;
    /** Longest query text, in characters. */
    public static final int MAX_TEXT_LENGTH = 10_000;
    /** Most knowledge bases one search may name. */
    public static final int MAX_KNOWLEDGE_BASES = 1000;

    private final SearchMode mode;
    private final float[] embedding;
    private final String text;
    private final int limit;
    private final List<KnowledgeBaseId> knowledgeBases;
    private final Filter filter;
    private final Double minScore;
    private final int efSearch;
    private final IterativeScan iterativeScan;
    private final Integer maxScanTuples;
    private final Integer candidateDepth;
    private final boolean exact;
    private final int rrfK;
    private final Fusion fusion;
    private final boolean includeEmbedding;
    private final boolean includeDocuments;
    private final double vectorWeight;
    private final double textWeight;

    private SearchRequest(Builder b) {
        this.mode = b.mode;
        this.embedding = b.embedding;
        this.text = b.text;
        this.limit = b.limit;
        this.knowledgeBases = List.copyOf(b.knowledgeBases);
        this.filter = b.filter;
        this.minScore = b.minScore;
        this.efSearch = b.efSearch;
        this.iterativeScan = b.iterativeScan;
        this.maxScanTuples = b.maxScanTuples;
        this.candidateDepth = b.candidateDepth;
        this.exact = b.exact;
        this.rrfK = b.rrfK;
        this.fusion = b.fusion;
        this.includeEmbedding = b.includeEmbedding;
        this.includeDocuments = b.includeDocuments;
        this.vectorWeight = b.vectorWeight;
        this.textWeight = b.textWeight;
    }

    /**
     * A vector search for the chunks nearest to {@code embedding}. The dimension is checked against the
     * store when the search runs ({@link dev.agentstore.DimensionMismatchException}).
     *
     * @param embedding the embedding
     * @return a vector search for the chunks nearest to {@code embedding}
     * @throws InvalidInputException when embedding is null, empty or holds NaN or infinity
     */
    public static Builder vector(float[] embedding) {
        return new Builder(SearchMode.VECTOR, checkEmbedding(embedding), null);
    }

    /**
     * A full-text search: chunks containing words of {@code text} (after the knowledge base's
     * text-search configuration drops stop words and stems), ranked by the summed rarity (idf) of the
     * query words each contains, so that chunks with more and rarer words of the question come first.
     * The search reads at most a bounded number of candidate rows (those containing the question's
     * rarest words), however many chunks contain its common words.
     *
     * @param text the text
     * @return a full-text search
     * @throws InvalidInputException when text is null, blank or longer than {@value #MAX_TEXT_LENGTH}
     */
    public static Builder text(String text) {
        return new Builder(SearchMode.TEXT, null, checkText(text));
    }

    /**
     * A hybrid search: the vector and the full-text candidates fused by their scores ({@link Fusion#SCORE},
     * default) or by Reciprocal Rank Fusion ({@link Fusion#RRF}).
     *
     * @param text the text
     * @param embedding the embedding
     * @return a hybrid search: the vector and the full-text candidates fused by their scores
     * @throws InvalidInputException when text is null, blank or too long, or the embedding is invalid
     */
    public static Builder hybrid(String text, float[] embedding) {
        return new Builder(SearchMode.HYBRID, checkEmbedding(embedding), checkText(text));
    }

    private static float[] checkEmbedding(float[] embedding) {
        if (embedding == null || embedding.length == 0) {
            throw new InvalidInputException("query embedding must not be " + (embedding == null ? "null" : "empty"));
        }
        for (int i = 0; i < embedding.length; i++) {
            if (!Float.isFinite(embedding[i])) {
                throw new InvalidInputException("query embedding holds " + embedding[i] + " at index " + i
                        + "; every component must be a finite number");
            }
        }
        return embedding.clone();
    }

    private static String checkText(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("query text must not be " + (text == null ? "null" : "blank")
                    + " (use SearchRequest.vector(...) to search by embedding alone)");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new InvalidInputException("query text has " + text.length() + " characters, more than the limit of "
                    + MAX_TEXT_LENGTH);
        }
        Checks.wellFormed(text, "query text");
        return text;
    }

    /**
     * Vector, text or hybrid.
     *
     * @return vector, text or hybrid
     */
    public SearchMode mode() {
        return mode;
    }

    /**
     * A copy of the query embedding, or null for a text search.
     *
     * @return a copy of the query embedding, or null for a text search
     */
    public float[] embedding() {
        return embedding == null ? null : embedding.clone();
    }

    float[] embeddingNoCopy() {
        return embedding;
    }

    /**
     * The query text, or null for a vector search.
     *
     * @return the query text, or null for a vector search
     */
    public String text() {
        return text;
    }

    /**
     * The most hits to return (k).
     *
     * @return the most hits to return (k)
     */
    public int limit() {
        return limit;
    }

    /**
     * The knowledge bases searched; empty means all of the tenant's.
     *
     * @return the knowledge bases searched; empty means all of the tenant's
     */
    public List<KnowledgeBaseId> knowledgeBases() {
        return knowledgeBases;
    }

    /**
     * The filter, or null.
     *
     * @return the filter, or null
     */
    public Filter filter() {
        return filter;
    }

    /**
     * The minimum score, or null.
     *
     * @return the minimum score, or null
     */
    public Double minScore() {
        return minScore;
    }

    /**
     * {@code hnsw.ef_search} requested (the search may raise it to the candidate depth).
     *
     * @return the ef search
     */
    public int efSearch() {
        return efSearch;
    }

    /**
     * The iterative scan mode.
     *
     * @return the iterative scan mode
     */
    public IterativeScan iterativeScan() {
        return iterativeScan;
    }

    /**
     * {@code hnsw.max_scan_tuples}, or null for pgvector's default.
     *
     * @return the integer
     */
    public Integer maxScanTuples() {
        return maxScanTuples;
    }

    /**
     * Whether the search skips the index and compares with every chunk.
     *
     * @return whether the search skips the index and compares with every chunk
     */
    public boolean exact() {
        return exact;
    }

    /**
     * How a hybrid search fuses its two rankings.
     *
     * @return how a hybrid search fuses its two rankings
     */
    public Fusion fusion() {
        return fusion;
    }

    /**
     * Whether hits carry the chunk's embedding ({@link SearchHit#embedding()}).
     *
     * @return whether hits carry the chunk's embedding ({@link SearchHit#embedding()})
     */
    public boolean includeEmbedding() {
        return includeEmbedding;
    }

    /**
     * Whether hits carry their documents ({@link SearchHit#document()}, {@link SearchHit#documents()}).
     *
     * @return whether hits carry their documents
     */
    public boolean includeDocuments() {
        return includeDocuments;
    }

    /**
     * The Reciprocal Rank Fusion constant (hybrid).
     *
     * @return the Reciprocal Rank Fusion constant (hybrid)
     */
    public int rrfK() {
        return rrfK;
    }

    /**
     * Weight of the vector ranking (hybrid).
     *
     * @return weight of the vector ranking (hybrid)
     */
    public double vectorWeight() {
        return vectorWeight;
    }

    /**
     * Weight of the text ranking (hybrid).
     *
     * @return weight of the text ranking (hybrid)
     */
    public double textWeight() {
        return textWeight;
    }

    /**
     * The candidate depth this search uses (explicit, or the default described in the class Javadoc).
     *
     * @return the candidate depth this search uses
     */
    public int candidateDepth() {
        if (candidateDepth != null) {
            return candidateDepth;
        }
        return filter == null && mode == SearchMode.VECTOR ? limit : Math.min(MAX_CANDIDATE_DEPTH, Math.max(limit, efSearch));
    }

    /** The {@code hnsw.ef_search} the search sets: efSearch, raised to the candidate depth. */
    int effectiveEfSearch() {
        return Math.min(MAX_EF_SEARCH, Math.max(efSearch, candidateDepth()));
    }

    /** Shows mode and options; never the text or the embedding. */
    @Override
    public String toString() {
        return "SearchRequest[mode=" + mode + ", limit=" + limit + ", knowledgeBases=" + knowledgeBases
                + ", filter=" + (filter != null) + ", minScore=" + minScore + ", efSearch=" + efSearch + ", iterativeScan="
                + iterativeScan + ", maxScanTuples=" + maxScanTuples + ", candidateDepth=" + candidateDepth()
                + ", exact=" + exact + ", includeEmbedding=" + includeEmbedding + ", includeDocuments=" + includeDocuments
                + (mode == SearchMode.HYBRID ? ", fusion=" + fusion + ", rrfK=" + rrfK + ", weights=" + vectorWeight + "/" + textWeight : "")
                + (embedding != null ? ", dimension=" + embedding.length : "") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchRequest r && mode == r.mode && Arrays.equals(embedding, r.embedding)
                && Objects.equals(text, r.text) && limit == r.limit && knowledgeBases.equals(r.knowledgeBases)
                && Objects.equals(filter, r.filter) && Objects.equals(minScore, r.minScore) && efSearch == r.efSearch
                && iterativeScan == r.iterativeScan && Objects.equals(maxScanTuples, r.maxScanTuples)
                && Objects.equals(candidateDepth, r.candidateDepth) && exact == r.exact && rrfK == r.rrfK
                && fusion == r.fusion && includeEmbedding == r.includeEmbedding && includeDocuments == r.includeDocuments
                && vectorWeight == r.vectorWeight && textWeight == r.textWeight;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, Arrays.hashCode(embedding), text, limit, knowledgeBases, filter, minScore, efSearch,
                iterativeScan, maxScanTuples, candidateDepth, exact, rrfK, vectorWeight, textWeight, fusion, includeEmbedding, includeDocuments);
    }

    /**
     * Sets a search's options; every setter rejects impossible values at once with an
     * {@link InvalidInputException} naming the option and its bounds. Not thread-safe.
     */
    public static final class Builder {

        private final SearchMode mode;
        private final float[] embedding;
        private final String text;
        private int limit = DEFAULT_LIMIT;
        private final LinkedHashSet<KnowledgeBaseId> knowledgeBases = new LinkedHashSet<>();
        private Filter filter;
        private Double minScore;
        private int efSearch = DEFAULT_EF_SEARCH;
        private IterativeScan iterativeScan = IterativeScan.RELAXED_ORDER;
        private Integer maxScanTuples;
        private Integer candidateDepth;
        private boolean exact;
        private int rrfK = DEFAULT_RRF_K;
        private Fusion fusion = Fusion.SCORE;
        private boolean includeEmbedding;
        private boolean includeDocuments = true;
        private double vectorWeight = 1.0;
        private double textWeight = 1.0;

        private Builder(SearchMode mode, float[] embedding, String text) {
            this.mode = mode;
            this.embedding = embedding;
            this.text = text;
        }

        /**
         * The most hits to return (k), 1 to {@value SearchRequest#MAX_LIMIT}; default {@value SearchRequest#DEFAULT_LIMIT}.
         *
         * @param k how many results
         * @return this builder
         */
        public Builder limit(int k) {
            this.limit = range(k, 1, MAX_LIMIT, "limit (k)");
            return this;
        }

        /**
         * Searches only these knowledge bases (adds to those given before).
         *
         * @param ids the ids
         * @return this builder
         */
        public Builder knowledgeBases(KnowledgeBaseId... ids) {
            return knowledgeBases(ids == null ? null : Arrays.asList(ids));
        }

        /**
         * Searches only these knowledge bases (adds to those given before).
         *
         * @param ids the ids
         * @return this builder
         */
        public Builder knowledgeBases(Collection<KnowledgeBaseId> ids) {
            if (ids == null) {
                throw new InvalidInputException("knowledgeBases must not be null");
            }
            for (KnowledgeBaseId id : ids) {
                if (id == null) {
                    throw new InvalidInputException("knowledgeBases must not hold null");
                }
                knowledgeBases.add(id);
            }
            if (knowledgeBases.size() > MAX_KNOWLEDGE_BASES) {
                throw new InvalidInputException("a search may name at most " + MAX_KNOWLEDGE_BASES
                        + " knowledge bases, but got " + knowledgeBases.size());
            }
            return this;
        }

        /**
         * Keeps only chunks of documents passing this filter; null for none.
         *
         * @param filter the filter
         * @return this builder
         */
        public Builder filter(Filter filter) {
            this.filter = filter;
            return this;
        }

        /**
         * Drops hits scoring below this (a finite number; see {@link SearchHit} for the scale).
         *
         * @param minScore the lowest score returned
         * @return this builder
         */
        public Builder minScore(double minScore) {
            if (!Double.isFinite(minScore)) {
                throw new InvalidInputException("minScore must be a finite number, but was " + minScore);
            }
            this.minScore = minScore;
            return this;
        }

        /**
         * {@code hnsw.ef_search} for this search, 1 to {@value SearchRequest#MAX_EF_SEARCH}; default {@value SearchRequest#DEFAULT_EF_SEARCH}.
         *
         * @param efSearch HNSW's ef_search
         * @return this builder
         */
        public Builder efSearch(int efSearch) {
            this.efSearch = range(efSearch, 1, MAX_EF_SEARCH, "efSearch");
            return this;
        }

        /**
         * The iterative scan mode; default {@link IterativeScan#RELAXED_ORDER}.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder iterativeScan(IterativeScan mode) {
            if (mode == null) {
                throw new InvalidInputException("iterativeScan must not be null (use IterativeScan.OFF)");
            }
            this.iterativeScan = mode;
            return this;
        }

        /**
         * {@code hnsw.max_scan_tuples}: how many tuples an iterative scan may visit, 1 to {@value SearchRequest#MAX_SCAN_TUPLES}.
         *
         * @param maxScanTuples the most tuples an iterative scan visits
         * @return this builder
         */
        public Builder maxScanTuples(int maxScanTuples) {
            this.maxScanTuples = range(maxScanTuples, 1, MAX_SCAN_TUPLES, "maxScanTuples");
            return this;
        }

        /**
         * How many candidates the vector (and text) arm fetches, at least k, at most {@value SearchRequest#MAX_CANDIDATE_DEPTH}.
         *
         * @param depth the depth
         * @return this builder
         */
        public Builder candidateDepth(int depth) {
            this.candidateDepth = range(depth, 1, MAX_CANDIDATE_DEPTH, "candidateDepth");
            return this;
        }

        /**
         * True to compare with every chunk instead of using the HNSW index (exact, for small knowledge bases).
         *
         * @param exact whether to search exactly, without the index
         * @return this builder
         */
        public Builder exact(boolean exact) {
            this.exact = exact;
            return this;
        }

        /**
         * How a hybrid search fuses its two rankings; default {@link Fusion#SCORE}.
         *
         * @param fusion how the arms are fused
         * @return this builder
         */
        public Builder fusion(Fusion fusion) {
            if (fusion == null) {
                throw new InvalidInputException("fusion must not be null (use Fusion.SCORE or Fusion.RRF)");
            }
            this.fusion = fusion;
            return this;
        }

        /**
         * True to have every hit carry its chunk's embedding ({@link SearchHit#embedding()}); default false (it costs a read of every candidate's vector).
         *
         * @param include whether to include it
         * @return this builder
         */
        public Builder includeEmbedding(boolean include) {
            this.includeEmbedding = include;
            return this;
        }

        /**
         * False to leave the documents out of the hits: {@link SearchHit#document()} is then null,
         * {@link SearchHit#documents()} empty and {@link SearchHit#chunkIndex()} -1, and the search reads no
         * document row for the hits (the filter still applies). Default true.
         *
         * @param include whether to include it
         * @return this builder
         */
        public Builder includeDocuments(boolean include) {
            this.includeDocuments = include;
            return this;
        }

        /**
         * The Reciprocal Rank Fusion constant k (hybrid), 1 to 10,000; default {@value SearchRequest#DEFAULT_RRF_K}.
         *
         * @param rrfK the Reciprocal Rank Fusion constant k
         * @return this builder
         */
        public Builder rrfK(int rrfK) {
            this.rrfK = range(rrfK, 1, 10_000, "rrfK");
            return this;
        }

        /**
         * Weights of the vector and the text ranking (hybrid), each 0 to 100, not both 0; default 1 and 1.
         *
         * @param vectorWeight the weight of the vector arm
         * @param textWeight the weight of the text arm
         * @return this builder
         */
        public Builder weights(double vectorWeight, double textWeight) {
            if (!(vectorWeight >= 0 && vectorWeight <= 100) || !(textWeight >= 0 && textWeight <= 100)
                    || vectorWeight == 0 && textWeight == 0) {
                throw new InvalidInputException("weights must be between 0 and 100 and not both 0, but were "
                        + vectorWeight + " and " + textWeight);
            }
            this.vectorWeight = vectorWeight;
            this.textWeight = textWeight;
            return this;
        }

        /**
         * The request.
         *
         * @return the request
         * @throws InvalidInputException when the candidate depth is below k
         */
        public SearchRequest build() {
            if (candidateDepth != null && candidateDepth < limit) {
                throw new InvalidInputException("candidateDepth (" + candidateDepth + ") must be at least limit (k = "
                        + limit + ")");
            }
            return new SearchRequest(this);
        }

        private static int range(int value, int min, int max, String name) {
            if (value < min || value > max) {
                throw new InvalidInputException(name + " must be between " + min + " and " + max + ", but was " + value);
            }
            return value;
        }
    }
}
