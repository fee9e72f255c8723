package dev.agentstore.langchain4j;

import dev.agentstore.AgentStore;
import dev.agentstore.ConflictException;
import dev.agentstore.DimensionMismatchException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.TenantId;
import dev.agentstore.document.ChunkInput;
import dev.agentstore.document.DistanceMetric;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.knowledge.Filter;
import dev.agentstore.knowledge.Knowledge;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchRequest;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An agentstore knowledge base as a LangChain4j {@link EmbeddingStore} of {@link TextSegment}s.
 *
 * <pre>{@code
 * EmbeddingStore<TextSegment> store = AgentStoreEmbeddingStore.builder()
 *         .store(agentStore).tenant("acme").knowledgeBase("handbook").dimension(384).build();
 * store.addAll(embeddings, segments);
 * List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
 *         .queryEmbedding(query).maxResults(5).minScore(0.7).filter(metadataKey("lang").isEqualTo("en")).build()).matches();
 * }</pre>
 *
 * <h2>What maps to what</h2>
 * <ul>
 *   <li>Each entry is one agentstore document of the knowledge base: its source URI is the entry's id, its
 *       metadata the segment's metadata, and its one chunk holds the segment's text exactly as given (none for
 *       {@link #add(Embedding)}) and the embedding. The chunk is identified by the entry's key
 *       ({@link ChunkInput#keyed(String, String, float[])}), so entries with equal texts keep their own
 *       embeddings and are found separately.</li>
 *   <li>{@link #addAll(List, List, List)} goes through {@link Documents#ingestAll}, agentstore's bulk path
 *       ({@code COPY}, index built after a large load); adding an id again replaces its entry.</li>
 *   <li>{@link #search(EmbeddingSearchRequest)} is agentstore's vector search of the knowledge base (HNSW,
 *       exact below a size), with the filter mapped onto agentstore's typed metadata filters (bound values).
 *       Scores follow LangChain4j's convention, relevance in [0, 1]: for cosine {@code (1 + cosine) / 2},
 *       for inner product {@code (1 + product) / 2} clamped to [0, 1], for L2 {@code 1 / (1 + distance)}.
 *       {@code minScore} keeps a match whose score equals it.</li>
 *   <li>The removals delete documents ({@link Documents#deleteDocuments(KnowledgeBaseId, Filter)}): by ids,
 *       by filter, or all of them; content no entry uses any more goes with them, in one transaction.</li>
 * </ul>
 *
 * <p>Metadata values (String, UUID, Integer, Long, Float, Double) are stored as JSON; they come back as
 * String, Integer, Long or Double, which {@link Metadata}'s getters convert ({@code getUUID},
 * {@code getFloat}, ...); keys used in filters must match {@value Filter#KEY_PATTERN}. {@code maxResults} above
 * {@value SearchRequest#MAX_LIMIT} is capped at that. Thread-safe.
 */
public final class AgentStoreEmbeddingStore implements EmbeddingStore<TextSegment> {

    /** The knowledge base name when none is configured. */
    public static final String DEFAULT_KNOWLEDGE_BASE = "langchain4j";

    private final Documents documents;
    private final Knowledge knowledge;
    private final KnowledgeBase knowledgeBase;
    private final KnowledgeBaseId kb;
    private final DistanceMetric metric;

    private AgentStoreEmbeddingStore(Builder b) {
        this.documents = b.store.documents(b.tenant);
        this.knowledge = b.store.knowledge(b.tenant);
        this.knowledgeBase = findOrCreate(documents, b);
        this.kb = knowledgeBase.id();
        this.metric = knowledgeBase.metric();
    }

    private static KnowledgeBase findOrCreate(Documents documents, Builder b) {
        KnowledgeBase found = documents.findKnowledgeBase(b.knowledgeBase).orElse(null);
        if (found == null) {
            if (b.dimension == null) {
                throw new InvalidInputException("knowledge base '" + b.knowledgeBase + "' does not exist yet; give its "
                        + "dimension to create it: AgentStoreEmbeddingStore.builder().dimension(384)");
            }
            KnowledgeBaseSpec spec = KnowledgeBaseSpec.of(b.knowledgeBase, b.dimension).withMetric(b.metric);
            try {
                return documents.createKnowledgeBase(spec);
            } catch (ConflictException raced) {
                found = documents.findKnowledgeBase(b.knowledgeBase).orElseThrow(() -> raced);
            }
        }
        if (b.dimension != null && found.dimension() != b.dimension) {
            throw new DimensionMismatchException("knowledge base '" + b.knowledgeBase + "'", found.dimension(), b.dimension,
                    "use the knowledge base's dimension, or another knowledge base name for this embedding model");
        }
        if (b.metricSet && found.metric() != b.metric) {
            throw new InvalidInputException("knowledge base '" + b.knowledgeBase + "' uses metric " + found.metric()
                    + ", not " + b.metric + "; drop the metric setting or use another knowledge base name");
        }
        return found;
    }

    /** A builder; {@link Builder#store}, {@link Builder#tenant} and (for a new knowledge base) {@link Builder#dimension} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The knowledge base the entries live in. */
    public KnowledgeBase knowledgeBase() {
        return knowledgeBase;
    }

    @Override
    public String add(Embedding embedding) {
        String id = UUID.randomUUID().toString();
        add(id, embedding);
        return id;
    }

    @Override
    public void add(String id, Embedding embedding) {
        addAll(List.of(id), List.of(embedding), null);
    }

    @Override
    public String add(Embedding embedding, TextSegment textSegment) {
        String id = UUID.randomUUID().toString();
        List<TextSegment> segments = new ArrayList<>(1);
        segments.add(textSegment);
        addAll(List.of(id), List.of(embedding), segments);
        return id;
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings) {
        List<String> ids = generateIds(embeddings.size());
        addAll(ids, embeddings, null);
        return ids;
    }

    /**
     * Adds (or replaces) entries through agentstore's bulk ingestion.
     *
     * @param ids one id per embedding, not blank; an id given twice keeps its last entry
     * @param embeddings the embeddings, of the knowledge base's dimension
     * @param embedded one segment per embedding, or null (or a null element) for entries without text
     */
    @Override
    public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> embedded) {
        if (ids == null || embeddings == null || ids.size() != embeddings.size()
                || embedded != null && embedded.size() != embeddings.size()) {
            throw new IllegalArgumentException("ids, embeddings and embedded must have the same size, but had "
                    + (ids == null ? "null" : ids.size()) + ", " + (embeddings == null ? "null" : embeddings.size()) + " and "
                    + (embedded == null ? "null" : embedded.size()));
        }
        Map<String, DocumentInput> byId = new LinkedHashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("ids[" + i + "] must not be null or blank");
            }
            Embedding e = embeddings.get(i);
            if (e == null) {
                throw new IllegalArgumentException("embeddings[" + i + "] must not be null");
            }
            TextSegment segment = embedded == null ? null : embedded.get(i);
            ChunkInput chunk = ChunkInput.keyed(id, segment == null ? null : segment.text(), e.vector());
            DocumentInput doc = DocumentInput.ofChunks(id, List.of(chunk));
            if (segment != null && !segment.metadata().toMap().isEmpty()) {
                doc = doc.withMetadata(MetadataValues.toStored(segment.metadata()));
            }
            byId.remove(id); // the last entry of an id wins, in its position
            byId.put(id, doc);
        }
        if (byId.isEmpty()) {
            return;
        }
        documents.ingestAll(kb, new ArrayList<>(byId.values()), null);
    }

    /**
     * Removes the entries with these ids (unknown ids are ignored).
     *
     * @throws IllegalArgumentException when ids is null or empty
     */
    @Override
    public void removeAll(Collection<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw new IllegalArgumentException("ids cannot be null or empty");
        }
        List<String> list = new ArrayList<>(ids);
        for (int from = 0; from < list.size(); from += Filter.MAX_VALUES) {
            documents.deleteDocuments(kb, Filter.sourceUris(list.subList(from, Math.min(list.size(), from + Filter.MAX_VALUES))));
        }
    }

    /**
     * Removes the entries whose metadata passes the filter.
     *
     * @throws IllegalArgumentException when filter is null
     */
    @Override
    public void removeAll(dev.langchain4j.store.embedding.filter.Filter filter) {
        if (filter == null) {
            throw new IllegalArgumentException("filter cannot be null");
        }
        documents.deleteDocuments(kb, Filters.map(filter));
    }

    /** Removes every entry (the knowledge base stays). */
    @Override
    public void removeAll() {
        documents.deleteAllDocuments(kb);
    }

    @Override
    public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request cannot be null");
        }
        SearchRequest.Builder search = SearchRequest.vector(request.queryEmbedding().vector())
                .knowledgeBases(kb)
                .limit(Math.min(request.maxResults(), SearchRequest.MAX_LIMIT))
                .includeEmbedding(true);
        if (request.filter() != null) {
            search.filter(Filters.map(request.filter()));
        }
        List<SearchHit> hits = knowledge.search(search.build());
        List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>(hits.size());
        for (SearchHit hit : hits) {
            double score = score(hit.distance());
            if (score < request.minScore()) {
                continue; // inclusive: a match whose score equals minScore stays
            }
            TextSegment segment = hit.text() == null ? null
                    : TextSegment.from(hit.text(), MetadataValues.fromStored(hit.document().metadata()));
            matches.add(new EmbeddingMatch<>(score, hit.document().sourceUri(), Embedding.from(hit.embedding()), segment));
        }
        return new EmbeddingSearchResult<>(matches);
    }

    /** LangChain4j's relevance score, in [0, 1], of a distance by the knowledge base's metric. */
    double score(double distance) {
        return switch (metric) {
            case COSINE -> clamp(1 - distance / 2); // (1 + cosine similarity) / 2
            case INNER_PRODUCT -> clamp((1 - distance) / 2); // pgvector's distance is the negative product
            case L2 -> 1 / (1 + distance);
        };
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    @Override
    public String toString() {
        return "AgentStoreEmbeddingStore[tenant=" + documents.tenant() + ", knowledgeBase=" + knowledgeBase.name()
                + ", dimension=" + knowledgeBase.dimension() + ", metric=" + metric + "]";
    }

    /** Configures an {@link AgentStoreEmbeddingStore}. */
    public static final class Builder {

        private AgentStore store;
        private TenantId tenant;
        private String knowledgeBase = DEFAULT_KNOWLEDGE_BASE;
        private Integer dimension;
        private DistanceMetric metric = DistanceMetric.COSINE;
        private boolean metricSet;

        private Builder() {
        }

        /** The store; required. */
        public Builder store(AgentStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The tenant owning the knowledge base; required. */
        public Builder tenant(String tenant) {
            this.tenant = TenantId.of(tenant);
            return this;
        }

        /** The tenant owning the knowledge base; required. */
        public Builder tenant(TenantId tenant) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
            return this;
        }

        /** The knowledge base's name (default {@value AgentStoreEmbeddingStore#DEFAULT_KNOWLEDGE_BASE}); created when missing. */
        public Builder knowledgeBase(String name) {
            this.knowledgeBase = name;
            return this;
        }

        /** The embedding dimension: required to create the knowledge base, checked against an existing one. */
        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        /** The distance metric of a knowledge base created by {@link #build()} (default cosine); checked against an existing one. */
        public Builder metric(DistanceMetric metric) {
            this.metric = Objects.requireNonNull(metric, "metric");
            this.metricSet = true;
            return this;
        }

        /**
         * Finds the knowledge base, or creates it with the dimension and metric.
         *
         * @throws InvalidInputException when the store or tenant is missing, or the knowledge base is missing and no dimension was given
         * @throws DimensionMismatchException when the existing knowledge base has another dimension
         */
        public AgentStoreEmbeddingStore build() {
            if (store == null) {
                throw new InvalidInputException("store must be set: AgentStoreEmbeddingStore.builder().store(agentStore)");
            }
            if (tenant == null) {
                throw new InvalidInputException("tenant must be set: AgentStoreEmbeddingStore.builder().tenant(\"acme\")");
            }
            if (knowledgeBase == null || knowledgeBase.isBlank()) {
                throw new InvalidInputException("knowledgeBase must not be null or blank");
            }
            return new AgentStoreEmbeddingStore(this);
        }
    }
}
