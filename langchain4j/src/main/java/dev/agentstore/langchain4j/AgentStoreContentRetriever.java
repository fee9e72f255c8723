package dev.agentstore.langchain4j;

import dev.agentstore.AgentStore;
import dev.agentstore.InvalidInputException;
import dev.agentstore.TenantId;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.knowledge.Filter;
import dev.agentstore.knowledge.Knowledge;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchMode;
import dev.agentstore.knowledge.SearchRequest;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A LangChain4j {@link ContentRetriever} on agentstore's search: hybrid (vector + full text, fused by
 * score, {@code Fusion.SCORE}) by default, over one or more knowledge bases, with metadata filters.
 *
 * <pre>{@code
 * ContentRetriever retriever = AgentStoreContentRetriever.builder()
 *         .store(agentStore).tenant("acme").knowledgeBase("handbook")
 *         .embeddingModel(embeddingModel).maxResults(4)
 *         .filter(metadataKey("lang").isEqualTo("en")).build();
 * }</pre>
 *
 * <p>It works on any knowledge base: one filled through {@link AgentStoreEmbeddingStore}, or by
 * agentstore's own ingestion ({@code Documents.ingest}/{@code ingestAll}). Each content's segment holds the
 * chunk text with its document's metadata plus {@value #SOURCE_URI_KEY} (and {@value #TITLE_KEY} when the
 * document has a title); {@link ContentMetadata#SCORE} is agentstore's score of the mode (the fused score for
 * hybrid search, see {@code SearchHit}) and {@link ContentMetadata#EMBEDDING_ID} the chunk id. Chunks without
 * text are skipped. Thread-safe.
 */
public final class AgentStoreContentRetriever implements ContentRetriever {

    /** Segment metadata key of the document's source URI. */
    public static final String SOURCE_URI_KEY = "source_uri";
    /** Segment metadata key of the document's title. */
    public static final String TITLE_KEY = "title";
    /** Results when none are configured. */
    public static final int DEFAULT_MAX_RESULTS = 4;

    private final Knowledge knowledge;
    private final List<KnowledgeBaseId> knowledgeBases;
    private final EmbeddingModel embeddingModel;
    private final SearchMode mode;
    private final int maxResults;
    private final Function<Query, dev.langchain4j.store.embedding.filter.Filter> filter;

    private AgentStoreContentRetriever(Builder b, List<KnowledgeBaseId> knowledgeBases) {
        this.knowledge = b.store.knowledge(b.tenant);
        this.knowledgeBases = List.copyOf(knowledgeBases);
        this.embeddingModel = b.embeddingModel;
        this.mode = b.mode;
        this.maxResults = b.maxResults;
        this.filter = b.filter;
    }

    /** A builder; store, tenant, at least one knowledge base and (except for text search) an embedding model are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<Content> retrieve(Query query) {
        if (query == null || query.text() == null || query.text().isBlank()) {
            throw new InvalidInputException("query text must not be null or blank");
        }
        String text = query.text();
        SearchRequest.Builder request = switch (mode) {
            case VECTOR -> SearchRequest.vector(embed(text));
            case TEXT -> SearchRequest.text(text);
            case HYBRID -> SearchRequest.hybrid(text, embed(text));
        };
        request.knowledgeBases(knowledgeBases).limit(maxResults);
        dev.langchain4j.store.embedding.filter.Filter f = filter.apply(query);
        if (f != null) {
            request.filter(Filters.map(f));
        }
        List<SearchHit> hits = knowledge.search(request.build());
        List<Content> contents = new ArrayList<>(hits.size());
        for (SearchHit hit : hits) {
            if (hit.text() == null) {
                continue;
            }
            Metadata metadata = MetadataValues.fromStored(hit.document().metadata());
            metadata.put(SOURCE_URI_KEY, hit.document().sourceUri());
            if (hit.document().title() != null) {
                metadata.put(TITLE_KEY, hit.document().title());
            }
            Map<ContentMetadata, Object> contentMetadata = new EnumMap<>(ContentMetadata.class);
            contentMetadata.put(ContentMetadata.SCORE, hit.score());
            contentMetadata.put(ContentMetadata.EMBEDDING_ID, hit.chunkId().toString());
            contents.add(Content.from(TextSegment.from(hit.text(), metadata), contentMetadata));
        }
        return contents;
    }

    private float[] embed(String text) {
        return embeddingModel.embed(text).content().vector();
    }

    @Override
    public String toString() {
        return "AgentStoreContentRetriever[tenant=" + knowledge.tenant() + ", knowledgeBases=" + knowledgeBases + ", mode="
                + mode + ", maxResults=" + maxResults + "]";
    }

    /** Configures an {@link AgentStoreContentRetriever}. */
    public static final class Builder {

        private AgentStore store;
        private TenantId tenant;
        private final List<String> knowledgeBaseNames = new ArrayList<>();
        private final List<KnowledgeBaseId> knowledgeBaseIds = new ArrayList<>();
        private EmbeddingModel embeddingModel;
        private SearchMode mode = SearchMode.HYBRID;
        private int maxResults = DEFAULT_MAX_RESULTS;
        private Function<Query, dev.langchain4j.store.embedding.filter.Filter> filter = q -> null;

        private Builder() {
        }

        /** The store; required. */
        public Builder store(AgentStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The tenant; required. */
        public Builder tenant(String tenant) {
            this.tenant = TenantId.of(tenant);
            return this;
        }

        /** The tenant; required. */
        public Builder tenant(TenantId tenant) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
            return this;
        }

        /** A knowledge base to search, by name (must exist when {@link #build()} runs); may be called repeatedly. */
        public Builder knowledgeBase(String name) {
            knowledgeBaseNames.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        /** A knowledge base to search; may be called repeatedly. */
        public Builder knowledgeBase(KnowledgeBaseId id) {
            knowledgeBaseIds.add(Objects.requireNonNull(id, "id"));
            return this;
        }

        /** The model that embeds queries (the knowledge bases' model); required except for {@link SearchMode#TEXT}. */
        public Builder embeddingModel(EmbeddingModel embeddingModel) {
            this.embeddingModel = embeddingModel;
            return this;
        }

        /** Hybrid (default), vector or full-text search. */
        public Builder mode(SearchMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Contents per query, 1 to {@value SearchRequest#MAX_LIMIT} (default {@value AgentStoreContentRetriever#DEFAULT_MAX_RESULTS}). */
        public Builder maxResults(int maxResults) {
            if (maxResults < 1 || maxResults > SearchRequest.MAX_LIMIT) {
                throw new InvalidInputException("maxResults must be between 1 and " + SearchRequest.MAX_LIMIT + ", but was "
                        + maxResults);
            }
            this.maxResults = maxResults;
            return this;
        }

        /** The same metadata filter for every query (LangChain4j's filter, mapped onto agentstore's), or null for none. */
        public Builder filter(dev.langchain4j.store.embedding.filter.Filter filter) {
            this.filter = q -> filter;
            return this;
        }

        /** A metadata filter chosen per query (e.g. from the user in {@code query.metadata()}); may return null. */
        public Builder dynamicFilter(Function<Query, dev.langchain4j.store.embedding.filter.Filter> filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /**
         * The retriever.
         *
         * @throws InvalidInputException when something required is missing or a named knowledge base does not exist
         */
        public AgentStoreContentRetriever build() {
            if (store == null || tenant == null) {
                throw new InvalidInputException("store and tenant must be set: AgentStoreContentRetriever.builder()"
                        + ".store(agentStore).tenant(\"acme\")");
            }
            if (mode != SearchMode.TEXT && embeddingModel == null) {
                throw new InvalidInputException("embeddingModel must be set for " + mode + " search (only TEXT search needs none)");
            }
            List<KnowledgeBaseId> ids = new ArrayList<>(knowledgeBaseIds);
            for (String name : knowledgeBaseNames) {
                KnowledgeBase kb = store.documents(tenant).findKnowledgeBase(name).orElseThrow(() -> new InvalidInputException(
                        "knowledge base '" + name + "' does not exist for tenant '" + tenant.value() + "'; create it first"
                                + " (Documents.createKnowledgeBase or AgentStoreEmbeddingStore.builder()...build())"));
                ids.add(kb.id());
            }
            if (ids.isEmpty()) {
                throw new InvalidInputException("at least one knowledge base must be set: builder.knowledgeBase(\"handbook\")");
            }
            return new AgentStoreContentRetriever(this, ids);
        }
    }
}
