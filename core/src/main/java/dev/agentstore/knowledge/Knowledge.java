package dev.agentstore.knowledge;

import dev.agentstore.AgentStoreException;
import dev.agentstore.DimensionMismatchException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.TenantId;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.internal.Timing;
import dev.agentstore.internal.Transactions;
import dev.agentstore.observe.Operation;
import java.util.List;
import java.util.Objects;

/**
 * Search over the chunks of one tenant's knowledge bases: vector, full-text and hybrid, with typed
 * filters on the documents. Obtained from {@code AgentStore.knowledge(tenant)}.
 *
 * <pre>{@code
 * Knowledge knowledge = store.knowledge(TenantId.of("acme"));
 * List<SearchHit> hits = knowledge.search(SearchRequest.vector(queryEmbedding)
 *         .limit(5)
 *         .filter(Filter.docType("faq").and(Filter.metadata("category").eq("billing")))
 *         .build());
 * }</pre>
 *
 * <p>Each search is one round trip of two statements in one implicit transaction: the first sets pgvector's
 * parameters ({@code hnsw.ef_search}, {@code hnsw.iterative_scan}, {@code hnsw.max_scan_tuples}) with
 * {@code set_config(..., true)} — transaction-local, so a pooled connection is never left modified — and reads
 * the layouts of the knowledge bases; the second is the search (a hybrid search is one statement too), built for
 * the layouts the store saw last. When they changed meanwhile the search is sent again (the first search of a
 * tenant reads the layouts first). Inside a host's transaction the two statements run one after the other.
 * Vector searches use the HNSW index of the knowledge base's metric unless the request asks for an
 * exact search.
 *
 * <p>Thread-safe and immutable; cheap to create.
 */
public final class Knowledge {

    private final StoreContext context;
    private final TenantId tenant;

    private final Timing timing;

    /**
     * Obtained from {@code AgentStore.knowledge(tenant)}.
     *
     * @throws NullPointerException when an argument is null
     */
    Knowledge(StoreContext context, TenantId tenant) {
        this.timing = Timing.of(context);
        this.context = Objects.requireNonNull(context, "context");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
    }

    /**
     * The tenant this facade searches.
     *
     * @return the tenant this facade searches
     */
    public TenantId tenant() {
        return tenant;
    }

    /**
     * Runs a search and returns its hits, best first (highest score; for a vector search, nearest first).
     * Fewer than k hits come back when fewer chunks match, when {@code minScore} drops some, or, for a
     * filtered vector search, when the iterative scan reaches {@code maxScanTuples}.
     *
     * @param request what to search (see {@link SearchRequest})
     * @return the hits, never null; empty when the tenant has no knowledge base
     * @throws DimensionMismatchException when the query embedding's dimension is not that of a knowledge base searched
     *         (both numbers in the message)
     * @throws InvalidInputException when request is null, or the knowledge bases searched mix distance metrics
     *         (vector, hybrid) or text search configurations (text, hybrid)
     * @throws NotFoundException when a knowledge base named in the request does not exist for this tenant
     * @throws AgentStoreException when the database fails
     */
    public List<SearchHit> search(SearchRequest request) {
        return timing.call(searchOperation(request), () -> searchUntimed(request));
    }

    private List<SearchHit> searchUntimed(SearchRequest request) {
        Checks.notNull(request, "request");
        if (request.embeddingNoCopy() != null) {
            // finite components here; the dimension is checked against the knowledge bases searched
            Checks.embedding(request.embeddingNoCopy(), request.embeddingNoCopy().length, "query embedding");
            Checks.requireNonZero(request.embeddingNoCopy(), "query embedding", "cosine distance (and the inner product)");
        }
        try {
            SearchQuery query = new SearchQuery(SearchStatements.of(context), tenant.value(), request, context.schema(),
                    context.limits().exactSearchMaxChunks());
            // one round trip in auto-commit mode; inside a transaction (or when the layouts kept changing) two statements
            List<SearchHit> hits = context.dsl().connectionResult(c -> c.getAutoCommit() ? query.run(c) : null);
            return hits != null ? hits : Transactions.inJdbcTransaction(context, query::runTwoStatements);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "search (" + request.mode().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
    }

    /** The operation a search request is timed as (its mode's; vector when the request is null). */
    private static Operation searchOperation(SearchRequest request) {
        return request == null ? Operation.SEARCH_VECTOR : Operation.search(request.mode());
    }

    @Override
    public String toString() {
        return "Knowledge[tenant=" + tenant + "]";
    }
}
