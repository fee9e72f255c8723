package dev.agentstore.spring.ai;

import dev.agentstore.AgentStore;
import dev.agentstore.ConflictException;
import dev.agentstore.TenantId;
import dev.agentstore.document.BulkIngestResult;
import dev.agentstore.document.ChunkInput;
import dev.agentstore.document.DistanceMetric;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.knowledge.DocumentRef;
import dev.agentstore.knowledge.SearchHit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.DocumentMetadata;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.observation.conventions.VectorStoreSimilarityMetric;
import org.springframework.ai.vectorstore.AbstractVectorStoreBuilder;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.observation.AbstractObservationVectorStore;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;

/**
 * Spring AI's {@link org.springframework.ai.vectorstore.VectorStore} on agentstore: one Spring AI
 * {@link Document} is one agentstore document (its id is the document's source URI) with one chunk, in
 * one knowledge base of one tenant.
 *
 * <pre>{@code
 * VectorStore vectorStore = AgentStoreVectorStore.builder(store, embeddingModel)
 *         .tenant("acme").knowledgeBase("handbook")
 *         .build();
 * vectorStore.add(documents);
 * List<Document> hits = vectorStore.similaritySearch(SearchRequest.builder().query("leave policy").topK(5).build());
 * }</pre>
 *
 * <ul>
 *   <li>{@link #add(List)} goes through agentstore's bulk path ({@code Documents.ingestAll}: binary
 *       {@code COPY}, content addressing): the embedding model is called only for texts the knowledge base
 *       does not hold yet, and adding an unchanged document again writes nothing. A document whose id
 *       exists is replaced (upsert). Identical texts are stored and embedded once, so documents with the
 *       same text share one embedding.</li>
 *   <li>{@link #similaritySearch(SearchRequest)} runs an HNSW vector search with the
 *       {@link Filter.Expression} mapped onto agentstore's typed, bound filters ({@link FilterExpressions});
 *       the similarity threshold applies to the score ({@code 1 − cosine distance} for cosine,
 *       {@code 1 / (1 + distance)} for L2, the inner product for inner product). Each result carries its
 *       score and the {@code distance} metadata entry, like Spring AI's other stores.</li>
 *   <li>{@link #delete(List)} and {@link #delete(Filter.Expression)} remove documents and the content no
 *       other document uses, through {@code Documents.deleteDocuments}: one transaction for a filter (same
 *       filter semantics as the search), one per 1,000 ids.</li>
 *   <li>Every operation is observed through Spring AI's vector-store observation conventions
 *       ({@code db.system = agentstore}).</li>
 * </ul>
 *
 * <p>The knowledge base is created on first use (with the store's dimension and the configured metric)
 * when the tenant has none of that name. Thread-safe.
 */
public final class AgentStoreVectorStore extends AbstractObservationVectorStore {

    /** The {@code db.system} value of this store's observations. */
    public static final String DB_SYSTEM = "agentstore";

    private final AgentStore store;
    private final TenantId tenant;
    private final String knowledgeBaseName;
    private final DistanceMetric metric;
    private final Documents documents;
    private volatile KnowledgeBaseId knowledgeBaseId;

    private AgentStoreVectorStore(Builder builder) {
        super(builder);
        this.store = builder.store;
        this.tenant = builder.tenant;
        this.knowledgeBaseName = builder.knowledgeBase;
        this.metric = builder.metric;
        this.documents = store.documents(tenant);
    }

    /**
     * A builder for a store over {@code store} that embeds with {@code embeddingModel}.
     *
     * @throws NullPointerException when an argument is null
     */
    public static Builder builder(AgentStore store, EmbeddingModel embeddingModel) {
        return new Builder(store, embeddingModel);
    }

    /** The tenant this store reads and writes. */
    public TenantId tenant() {
        return tenant;
    }

    /** The knowledge base's name. */
    public String knowledgeBaseName() {
        return knowledgeBaseName;
    }

    /** The knowledge base, created when the tenant has none of that name. */
    public KnowledgeBaseId knowledgeBaseId() {
        KnowledgeBaseId id = knowledgeBaseId;
        if (id == null) {
            synchronized (this) {
                if (knowledgeBaseId == null) {
                    knowledgeBaseId = findOrCreateKnowledgeBase().id();
                }
                id = knowledgeBaseId;
            }
        }
        return id;
    }

    private KnowledgeBase findOrCreateKnowledgeBase() {
        Optional<KnowledgeBase> existing = documents.findKnowledgeBase(knowledgeBaseName);
        if (existing.isPresent()) {
            return checked(existing.get());
        }
        try {
            return documents.createKnowledgeBase(KnowledgeBaseSpec.of(knowledgeBaseName, store.embeddingDimension())
                    .withMetric(metric)
                    .withDescription("Spring AI VectorStore"));
        } catch (ConflictException raced) {
            return checked(documents.findKnowledgeBase(knowledgeBaseName).orElseThrow(() -> raced));
        }
    }

    private KnowledgeBase checked(KnowledgeBase kb) {
        if (kb.metric() != metric) {
            throw new IllegalStateException("knowledge base '" + knowledgeBaseName + "' of tenant '" + tenant.value()
                    + "' uses the " + kb.metric().sqlName() + " metric, but this VectorStore is configured for "
                    + metric.sqlName() + ": configure metric " + kb.metric().sqlName()
                    + " (agentstore.vector-store.metric), or use another knowledge base");
        }
        return kb;
    }

    /** The agentstore behind this store. */
    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> getNativeClient() {
        return Optional.of((T) store);
    }

    @Override
    public void doAdd(List<Document> docs) {
        Objects.requireNonNull(docs, "documents");
        if (docs.isEmpty()) {
            return;
        }
        // one entry per id, the last one winning (an upsert, as the other stores do)
        Map<String, DocumentInput> byId = new LinkedHashMap<>();
        for (int i = 0; i < docs.size(); i++) {
            Document d = docs.get(i);
            if (d == null) {
                throw new IllegalArgumentException("documents[" + i + "] must not be null");
            }
            String text = d.getText();
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("document '" + d.getId() + "' (documents[" + i + "]) has no text;"
                        + " agentstore stores text documents only");
            }
            byId.remove(d.getId());
            byId.put(d.getId(), DocumentInput.ofChunks(d.getId(), List.of(ChunkInput.of(text)))
                    .withMetadata(d.getMetadata()));
        }
        BulkIngestResult ignored = documents.ingestAll(knowledgeBaseId(), new ArrayList<>(byId.values()),
                this.embeddingModel::embed);
    }

    @Override
    public void doDelete(List<String> ids) {
        Objects.requireNonNull(ids, "ids");
        KnowledgeBaseId kb = knowledgeBaseId();
        List<String> uris = new ArrayList<>(ids.size());
        for (String id : ids) {
            if (id != null && !id.isBlank()) {
                uris.add(id);
            }
        }
        // one transaction per batch of ids (a source URI filter takes at most Filter.MAX_VALUES values)
        for (int from = 0; from < uris.size(); from += dev.agentstore.knowledge.Filter.MAX_VALUES) {
            documents.deleteDocuments(kb, dev.agentstore.knowledge.Filter.sourceUris(
                    uris.subList(from, Math.min(uris.size(), from + dev.agentstore.knowledge.Filter.MAX_VALUES))));
        }
    }

    @Override
    protected void doDelete(Filter.Expression filterExpression) {
        Objects.requireNonNull(filterExpression, "filterExpression");
        dev.agentstore.knowledge.Filter filter = FilterExpressions.toFilter(filterExpression);
        documents.deleteDocuments(knowledgeBaseId(), filter);
    }

    @Override
    public List<Document> doSimilaritySearch(SearchRequest request) {
        Objects.requireNonNull(request, "request");
        int topK = request.getTopK();
        if (topK < 1 || topK > dev.agentstore.knowledge.SearchRequest.MAX_LIMIT) {
            throw new IllegalArgumentException("topK must be between 1 and " + dev.agentstore.knowledge.SearchRequest.MAX_LIMIT
                    + ", but was " + topK);
        }
        float[] query = this.embeddingModel.embed(request.getQuery());
        dev.agentstore.knowledge.SearchRequest.Builder search = dev.agentstore.knowledge.SearchRequest.vector(query)
                .limit(topK)
                .knowledgeBases(knowledgeBaseId());
        if (request.getFilterExpression() != null) {
            search.filter(FilterExpressions.toFilter(request.getFilterExpression()));
        }
        if (request.getSimilarityThreshold() > SearchRequest.SIMILARITY_THRESHOLD_ACCEPT_ALL) {
            search.minScore(request.getSimilarityThreshold());
        }
        List<SearchHit> hits = store.knowledge(tenant).search(search.build());
        List<Document> result = new ArrayList<>(topK);
        for (SearchHit hit : hits) {
            // identical texts share one chunk: every document holding it that passes the filter is a result
            for (DocumentRef ref : hit.documents()) {
                if (result.size() == topK) {
                    return result;
                }
                if (!ref.matchesFilter()) {
                    continue;
                }
                Map<String, Object> metadata = new LinkedHashMap<>(ref.metadata());
                if (hit.distance() != null) {
                    metadata.put(DocumentMetadata.DISTANCE.value(), hit.distance().floatValue());
                }
                result.add(Document.builder()
                        .id(ref.sourceUri())
                        .text(hit.text())
                        .metadata(metadata)
                        .score(hit.score())
                        .build());
            }
        }
        return result;
    }

    @Override
    public VectorStoreObservationContext.Builder createObservationContextBuilder(String operationName) {
        return VectorStoreObservationContext.builder(DB_SYSTEM, operationName)
                .collectionName(knowledgeBaseName)
                .dimensions(store.embeddingDimension())
                .namespace(store.schema())
                .similarityMetric(switch (metric) {
                    case COSINE -> VectorStoreSimilarityMetric.COSINE.value();
                    case L2 -> VectorStoreSimilarityMetric.EUCLIDEAN.value();
                    case INNER_PRODUCT -> VectorStoreSimilarityMetric.DOT.value();
                });
    }

    @Override
    public String toString() {
        return "AgentStoreVectorStore[tenant=" + tenant.value() + ", knowledgeBase=" + knowledgeBaseName + ", metric="
                + metric.sqlName() + "]";
    }

    /** Configures an {@link AgentStoreVectorStore}; observation settings come from Spring AI's builder. */
    public static final class Builder extends AbstractVectorStoreBuilder<Builder> {

        /** The knowledge base used unless configured otherwise. */
        public static final String DEFAULT_KNOWLEDGE_BASE = "spring-ai";

        private final AgentStore store;
        private TenantId tenant = TenantId.of("default");
        private String knowledgeBase = DEFAULT_KNOWLEDGE_BASE;
        private DistanceMetric metric = DistanceMetric.COSINE;

        private Builder(AgentStore store, EmbeddingModel embeddingModel) {
            super(Objects.requireNonNull(embeddingModel, "embeddingModel"));
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The tenant (default {@code default}). */
        public Builder tenant(String tenant) {
            this.tenant = TenantId.of(tenant);
            return this;
        }

        /** The knowledge base's name (default {@value #DEFAULT_KNOWLEDGE_BASE}); created on first use. */
        public Builder knowledgeBase(String name) {
            if (name == null || name.isBlank() || name.length() > KnowledgeBaseSpec.MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("knowledgeBase must have 1 to " + KnowledgeBaseSpec.MAX_NAME_LENGTH
                        + " characters and not be blank, but was " + (name == null ? "null" : "'" + name + "'"));
            }
            this.knowledgeBase = name;
            return this;
        }

        /** The metric of a knowledge base this store creates (default cosine); must match an existing one. */
        public Builder metric(DistanceMetric metric) {
            this.metric = Objects.requireNonNull(metric, "metric");
            return this;
        }

        @Override
        public AgentStoreVectorStore build() {
            return new AgentStoreVectorStore(this);
        }
    }
}
