package dev.agentstore.document;

import static dev.agentstore.schema.Tables.DOCUMENT;
import static dev.agentstore.schema.Tables.KNOWLEDGE_BASE;

import dev.agentstore.ContentHash;
import dev.agentstore.DimensionMismatchException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.TenantId;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.Json;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.internal.Timing;
import dev.agentstore.observe.Operation;
import dev.agentstore.schema.tables.records.DocumentRecord;
import dev.agentstore.schema.tables.records.KnowledgeBaseRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Knowledge bases, documents and their content-addressed chunks, for one tenant, with idempotent
 * ingestion: the host's embedding model is only ever called for text the knowledge base has never
 * seen, and re-ingesting an unchanged document writes nothing.
 *
 * <pre>{@code
 * Documents docs = store.documents("acme");
 * KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("handbook", store.embeddingDimension()));
 * IngestResult r = docs.ingest(kb.id(), DocumentInput.of("file:///leave.md", chunks), model::embed);
 * // again, unchanged: r.status() == UNCHANGED, r.embeddingCalls() == 0, nothing written
 * }</pre>
 *
 * <p>Chunks are addressed by {@link ContentHash} within a knowledge base: identical texts (after the
 * documented normalisation) are stored and embedded once, however many documents or positions use
 * them; each document keeps its full ordered chunk list with per-position metadata. Removing or
 * replacing a document removes exactly the content no other document uses.
 *
 * <p>Obtained from {@code AgentStore.documents(tenant)}; every call sees only this tenant's rows.
 * Thread-safe: any number of threads and hosts may ingest into the same knowledge base at once
 * (overlapping content ends up stored once; no constraint violation or deadlock reaches the caller).
 * Invalid input fails with {@link InvalidInputException} before any SQL; database failures are
 * translated into {@link dev.agentstore.AgentStoreException}s.
 */
public final class Documents {

    /** Chunk positions per write transaction of {@link #ingestAll}. */
    static final int BULK_GROUP_CHUNKS = 4000;
    /**
     * Documents per write transaction of {@link #ingestAll}: each holds one advisory lock, and locks
     * count against the server's lock table ({@code max_locks_per_transaction}).
     */
    static final int BULK_GROUP_DOCUMENTS = 200;

    private final StoreContext context;
    private final TenantId tenant;
    private final Ingestor ingestor;
    private final KnowledgeBases knowledgeBases;

    private final Timing timing;

    /**
     * The documents of one tenant; obtained from {@code AgentStore.documents(tenant)}.
     *
     * @throws NullPointerException when an argument is null
     */
    Documents(StoreContext context, TenantId tenant) {
        this.timing = Timing.of(context);
        this.context = Objects.requireNonNull(context, "context");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.ingestor = new Ingestor(context, tenant.value());
        this.knowledgeBases = new KnowledgeBases(context, tenant.value(), ingestor);
    }

    /**
     * The upload pipeline of this tenant: register documents as pending, list them by status, type and
     * time, claim them from several workers with leases, recover what dead workers left processing.
     *
     * @return the upload pipeline of this tenant
     */
    public DocumentPipeline pipeline() {
        return new DocumentPipeline(context, tenant);
    }

    /**
     * The tenant these documents belong to.
     *
     * @return the tenant these documents belong to
     */
    public TenantId tenant() {
        return tenant;
    }

    private DSLContext dsl() {
        return context.dsl();
    }

    private String t() {
        return tenant.value();
    }

    // ------------------------------------------------------------------------------------------
    // knowledge bases

    /**
     * Creates a knowledge base with its own storage: a partition for its chunks and one for its chunk
     * links, with its own vector and full-text indexes (see {@code docs/design/knowledge-storage.md}).
     *
     * @param spec the specification
     * @return the knowledge base
     * @throws InvalidInputException when spec is null, or its dimension (or the store's, for
     * {@link KnowledgeBaseSpec#STORE_DIMENSION}) is more than its vector type can index
     * @throws dev.agentstore.ConflictException when the tenant already has a knowledge base of that name
     */
    public KnowledgeBase createKnowledgeBase(KnowledgeBaseSpec spec) {
        return timing.call(Operation.KNOWLEDGE_BASE_CREATE, () -> createKnowledgeBaseUntimed(spec));
    }

    private KnowledgeBase createKnowledgeBaseUntimed(KnowledgeBaseSpec spec) {
        return knowledgeBases.create(spec);
    }

    /**
     * Creates many knowledge bases at once, cheaper than one {@link #createKnowledgeBase} call each: they are
     * written {@value KnowledgeBases#CREATE_BATCH} per transaction, with one statement for all their rows and
     * one for all their storage. Every spec is checked before any SQL runs. A batch is created completely or
     * not at all; when one fails (e.g. a name the tenant already has), the batches before it stay created and
     * the exception says how many knowledge bases that is.
     *
     * @param specs the knowledge bases, each with a name of its own
     * @return the knowledge bases, in the order of {@code specs}
     * @throws InvalidInputException when specs or one of them is null, two have the same name, or one's
     *         dimension is more than its vector type can index
     * @throws dev.agentstore.ConflictException when the tenant already has a knowledge base of one of the names
     */
    public List<KnowledgeBase> createKnowledgeBases(List<KnowledgeBaseSpec> specs) {
        return knowledgeBases.createAll(specs);
    }

    /**
     * The knowledge base with this id.
     *
     * @param id the id
     * @return the knowledge base with this id
     * @throws NotFoundException when this tenant has none with this id
     */
    public KnowledgeBase getKnowledgeBase(KnowledgeBaseId id) {
        return findKnowledgeBase(id).orElseThrow(() -> new NotFoundException("knowledge base " + id + " not found"));
    }

    /**
     * The knowledge base with this id, if this tenant has it.
     *
     * @param id the id
     * @return the knowledge base with this id, if this tenant has it
     */
    public Optional<KnowledgeBase> findKnowledgeBase(KnowledgeBaseId id) {
        return knowledgeBases.find(id);
    }

    /**
     * The knowledge base with this name, if this tenant has it.
     *
     * @param name the name
     * @return the knowledge base with this name, if this tenant has it
     * @throws InvalidInputException when name is null or blank
     */
    public Optional<KnowledgeBase> findKnowledgeBase(String name) {
        return knowledgeBases.find(name);
    }

    /**
     * This tenant's knowledge bases, by name; empty when none.
     *
     * @return this tenant's knowledge bases, by name; empty when none
     */
    public List<KnowledgeBase> listKnowledgeBases() {
        return knowledgeBases.list();
    }

    /**
     * Deletes a knowledge base with all its documents and chunks. Takes the same time whatever its
     * size: its two partitions are dropped (no row-by-row delete, nothing left for VACUUM). Waits for
     * the writers of this knowledge base to finish; for the moment of the drop, writers of every
     * knowledge base of the store wait (PostgreSQL locks the partitioned parents), searches do not.
     *
     * @param id the id
     * @return whether it existed
     */
    public boolean deleteKnowledgeBase(KnowledgeBaseId id) {
        return timing.call(Operation.KNOWLEDGE_BASE_DELETE, () -> deleteKnowledgeBaseUntimed(id));
    }

    private boolean deleteKnowledgeBaseUntimed(KnowledgeBaseId id) {
        return knowledgeBases.delete(id);
    }

    /**
     * Renames a knowledge base. Readers that look it up by name see the new name from the commit on.
     *
     * @param id the id
     * @param newName the new name
     * @return the knowledge base as renamed
     * @throws InvalidInputException when the name is blank or longer than {@value KnowledgeBaseSpec#MAX_NAME_LENGTH}
     * @throws NotFoundException when this tenant has no such knowledge base
     * @throws dev.agentstore.ConflictException when the tenant has another knowledge base of that name
     */
    public KnowledgeBase renameKnowledgeBase(KnowledgeBaseId id, String newName) {
        return knowledgeBases.rename(id, newName);
    }

    /**
     * Swaps the names of two knowledge bases in one transaction: a reader that resolves a name with
     * {@link #findKnowledgeBase(String)} gets the knowledge base that had it before the swap or the one
     * that has it after, never none. This is how readers move to a knowledge base rebuilt with another
     * embedding model without downtime: create it under a temporary name, ingest into it, swap, then
     * delete the old one.
     *
     * @param a the first
     * @param b the second
     * @throws NotFoundException when this tenant lacks either knowledge base
     * @throws InvalidInputException when both ids are the same
     */
    public void swapKnowledgeBaseNames(KnowledgeBaseId a, KnowledgeBaseId b) {
        knowledgeBases.swapNames(a, b);
    }

    /**
     * Merges the index ranges a knowledge base's bulk loads created into one: one HNSW and one GIN
     * index build over their rows, no row rewritten. Bulk loads compact on their own when a knowledge
     * base has more than {@code maxIndexRanges} ranges; call this to do it now (e.g. after several
     * appends, before a busy period). Writers of this knowledge base wait while the indexes are built;
     * searches keep running and see the old ranges until commit.
     *
     * @param id the id
     * @return how many index ranges were merged into one (0 when there were fewer than two)
     * @throws NotFoundException when this tenant has no such knowledge base
     */
    public int compactKnowledgeBase(KnowledgeBaseId id) {
        return knowledgeBases.compact(id);
    }

    // ------------------------------------------------------------------------------------------
    // ingestion

    /**
     * Ingests one document: hashes its chunks, embeds (with {@code embeddingFunction}, in batches of
     * {@code embeddingBatchSize}) only the texts the knowledge base lacks and that have no precomputed
     * embedding, then writes the document, the new content and its chunk links in one transaction.
     *
     * <p>Re-ingesting a source URI with the same chunk texts, chunk metadata and attributes writes
     * nothing and calls nothing ({@link IngestStatus#UNCHANGED}). With other content, the document's
     * chunk list is replaced and content no other document uses any more is removed
     * ({@link IngestStatus#UPDATED}); the document is {@link DocumentStatus#PROCESSING} meanwhile.
     *
     * <p>In every failure case below nothing of the document is written; a document that existed
     * keeps its previous chunks and is marked {@link DocumentStatus#FAILED} with the message (input
     * refused before any SQL leaves it untouched).
     *
     * @param embeddingFunction the host's model; may be null only when every chunk carries an embedding
     * @param knowledgeBaseId the knowledge base
     * @param document the document
     * @return the ingest result
     * @throws InvalidInputException before any SQL or embedding call, when a chunk is longer than
     * {@code maxChunkLength} or a precomputed embedding has the wrong dimension or a non-finite
     * component (the message names the chunk); also when a vector returned by the function
     * is invalid ({@link DimensionMismatchException} for the dimension)
     * @throws EmbeddingFailedException when the function throws or returns the wrong number of vectors
     * @throws NotFoundException when the knowledge base does not exist for this tenant (before any embedding call)
     * @throws dev.agentstore.ConflictException when concurrent writers kept removing content this call
     * needed through all retries (nothing written; retrying can succeed)
     */
    public IngestResult ingest(KnowledgeBaseId knowledgeBaseId, DocumentInput document, EmbeddingFunction embeddingFunction) {
        return timing.call(Operation.INGEST, () -> ingestUntimed(knowledgeBaseId, document, embeddingFunction));
    }

    private IngestResult ingestUntimed(KnowledgeBaseId knowledgeBaseId, DocumentInput document, EmbeddingFunction embeddingFunction) {
        long start = System.nanoTime();
        Checks.notNull(knowledgeBaseId, "knowledgeBaseId");
        Checks.notNull(document, "document");
        KbStorage kb = kb(knowledgeBaseId);
        PreparedDocument prepared = ingestor.preparation().prepare(document, embeddingFunction != null, kb);
        IngestCounters c = new IngestCounters();
        Ingestor.Outcome o = ingestor.ingestGroup(kb, List.of(prepared), embeddingFunction, false, c).get(0);
        return new IngestResult(DocumentId.of(o.documentId()), o.status(), (int) c.inserted, (int) c.reused,
                (int) c.removed, c.embeddingCalls, (int) c.textsEmbedded, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Ingests one document whose chunks all carry precomputed embeddings; otherwise like
     * {@link #ingest(KnowledgeBaseId, DocumentInput, EmbeddingFunction)}.
     *
     * @param knowledgeBaseId the knowledge base
     * @param document the document
     * @return the ingest result
     * @throws InvalidInputException when a chunk has no embedding, or an invalid one
     */
    public IngestResult ingest(KnowledgeBaseId knowledgeBaseId, DocumentInput document) {
        return ingest(knowledgeBaseId, document, null);
    }

    /**
     * Ingests many documents (distinct source URIs), streaming new content and chunk links to
     * PostgreSQL with binary {@code COPY} and merging with {@code INSERT … ON CONFLICT DO NOTHING}.
     * Documents are written in batches of at most {@value #BULK_GROUP_CHUNKS} chunks (or one larger
     * document) and {@value #BULK_GROUP_DOCUMENTS} documents, each batch in one transaction; unchanged
     * documents are skipped without embedding. Needs the TEMPORARY privilege on the database (granted
     * to everyone by default) for the transaction-scoped staging table.
     *
     * <p>On a failure the batches already reported to {@code progress} stay committed; nothing of the
     * failing batch is written, and its documents that existed are marked {@link DocumentStatus#FAILED}.
     * The exception names the document and chunk, as for {@link #ingest}.
     *
     * @param documents the documents, each source URI at most once
     * @param embeddingFunction the host's model; may be null only when every chunk carries an embedding
     * @param progress told at the start and after each committed batch; may be null
     * @param knowledgeBaseId the knowledge base
     * @return the bulk ingest result
     * @throws InvalidInputException when a source URI repeats or a document is invalid (before any SQL)
     */
    public BulkIngestResult ingestAll(KnowledgeBaseId knowledgeBaseId, List<DocumentInput> documents,
            EmbeddingFunction embeddingFunction, IngestProgressListener progress) {
        return timing.call(Operation.INGEST_ALL, () -> ingestAllUntimed(knowledgeBaseId, documents, embeddingFunction, progress));
    }

    private BulkIngestResult ingestAllUntimed(KnowledgeBaseId knowledgeBaseId, List<DocumentInput> documents,
            EmbeddingFunction embeddingFunction, IngestProgressListener progress) {
        long start = System.nanoTime();
        Checks.notNull(knowledgeBaseId, "knowledgeBaseId");
        Checks.notNull(documents, "documents");
        for (int i = 0; i < documents.size(); i++) {
            if (documents.get(i) == null) {
                throw new InvalidInputException("documents[" + i + "] must not be null");
            }
        }
        KbStorage kb = kb(knowledgeBaseId);
        List<PreparedDocument> prepared = new ArrayList<>(documents.size());
        Set<String> uris = new HashSet<>();
        long chunksTotal = 0;
        for (int i = 0; i < documents.size(); i++) {
            DocumentInput d = documents.get(i);
            if (d == null) {
                throw new InvalidInputException("documents[" + i + "] must not be null");
            }
            if (!uris.add(d.sourceUri())) {
                throw new InvalidInputException("documents[" + i + "] repeats source URI '" + d.sourceUri()
                        + "'; give each document once per call");
            }
            prepared.add(ingestor.preparation().prepare(d, embeddingFunction != null, kb));
            chunksTotal += d.chunkCount();
        }
        if (chunksTotal >= context.limits().bulkLoadThreshold()) {
            return new BulkLoader(context, tenant.value(), ingestor, knowledgeBases)
                    .load(kb, prepared, embeddingFunction, progress, chunksTotal, start);
        }
        IngestCounters c = new IngestCounters();
        int docsDone = 0;
        long chunksDone = 0;
        if (progress != null) {
            progress.onProgress(new IngestProgress(0, documents.size(), 0, chunksTotal));
        }
        int from = 0;
        while (from < prepared.size()) {
            int to = from;
            long chunks = 0;
            while (to < prepared.size() && (to == from || (to - from < BULK_GROUP_DOCUMENTS
                    && chunks + prepared.get(to).hashes().length <= BULK_GROUP_CHUNKS))) {
                chunks += prepared.get(to).hashes().length;
                to++;
            }
            // PostgreSQL refuses COPY FROM into a table whose row-level security binds the role: insert instead
            ingestor.ingestGroup(kb, prepared.subList(from, to), embeddingFunction, !context.rowLevelSecurity(), c);
            docsDone += to - from;
            chunksDone += chunks;
            if (progress != null) {
                progress.onProgress(new IngestProgress(docsDone, documents.size(), chunksDone, chunksTotal));
            }
            from = to;
        }
        return new BulkIngestResult(c.created, c.updated, c.unchanged, c.inserted, c.reused, c.removed, c.embeddingCalls,
                c.textsEmbedded, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * {@link #ingestAll(KnowledgeBaseId, List, EmbeddingFunction, IngestProgressListener)} without a progress listener.
     *
     * @param knowledgeBaseId the knowledge base
     * @param documents the documents
     * @param embeddingFunction the host's embedding model; may be null when every chunk carries an embedding
     * @return the bulk ingest result
     */
    public BulkIngestResult ingestAll(KnowledgeBaseId knowledgeBaseId, List<DocumentInput> documents,
            EmbeddingFunction embeddingFunction) {
        return ingestAll(knowledgeBaseId, documents, embeddingFunction, null);
    }

    private KbStorage kb(KnowledgeBaseId id) {
        return knowledgeBases.kb(id);
    }

    // ------------------------------------------------------------------------------------------
    // documents

    /**
     * The document with this id.
     *
     * @param id the id
     * @return the document with this id
     * @throws NotFoundException when this tenant has none with this id
     */
    public Document getDocument(DocumentId id) {
        return timing.call(Operation.DOCUMENT_READ, () -> getDocumentUntimed(id));
    }

    private Document getDocumentUntimed(DocumentId id) {
        return findDocument(id).orElseThrow(() -> new NotFoundException("document " + id + " not found"));
    }

    /**
     * The document with this id, if this tenant has it.
     *
     * @param id the id
     * @return the document with this id, if this tenant has it
     */
    public Optional<Document> findDocument(DocumentId id) {
        return timing.call(Operation.DOCUMENT_READ, () -> findDocumentUntimed(id));
    }

    private Optional<Document> findDocumentUntimed(DocumentId id) {
        Checks.notNull(id, "documentId");
        return fetch("read document " + id, () -> dsl().selectFrom(DOCUMENT)
                .where(DOCUMENT.TENANT_ID.eq(t()))
                .and(DOCUMENT.ID.eq(id.value()))
                .fetchOptional()
                .map(Documents::toDocument));
    }

    /**
     * The document of a knowledge base with this source URI, if any.
     *
     * @param knowledgeBaseId the knowledge base
     * @param sourceUri the document's source URI
     * @return the document of a knowledge base with this source URI, if any
     * @throws InvalidInputException when an argument is null or the URI blank
     */
    public Optional<Document> findDocument(KnowledgeBaseId knowledgeBaseId, String sourceUri) {
        return timing.call(Operation.DOCUMENT_READ, () -> findDocumentUntimed(knowledgeBaseId, sourceUri));
    }

    private Optional<Document> findDocumentUntimed(KnowledgeBaseId knowledgeBaseId, String sourceUri) {
        Checks.notNull(knowledgeBaseId, "knowledgeBaseId");
        Checks.notBlank(sourceUri, "sourceUri");
        return fetch("read document '" + sourceUri + "'", () -> dsl().selectFrom(DOCUMENT)
                .where(DOCUMENT.TENANT_ID.eq(t()))
                .and(DOCUMENT.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId.value()))
                .and(DOCUMENT.SOURCE_URI.eq(sourceUri))
                .fetchOptional()
                .map(Documents::toDocument));
    }

    /**
     * All documents of a knowledge base, by source URI; empty when none (or no such knowledge base).
     *
     * @param knowledgeBaseId the knowledge base
     * @return all documents of a knowledge base, by source URI
     */
    public List<Document> listDocuments(KnowledgeBaseId knowledgeBaseId) {
        return timing.call(Operation.DOCUMENT_READ, () -> listDocumentsUntimed(knowledgeBaseId));
    }

    private List<Document> listDocumentsUntimed(KnowledgeBaseId knowledgeBaseId) {
        Checks.notNull(knowledgeBaseId, "knowledgeBaseId");
        return fetch("list documents", () -> dsl().selectFrom(DOCUMENT)
                .where(DOCUMENT.TENANT_ID.eq(t()))
                .and(DOCUMENT.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId.value()))
                .orderBy(DOCUMENT.SOURCE_URI)
                .fetch(Documents::toDocument));
    }

    /**
     * A document's chunk list, in order.
     *
     * @param documentId the document
     * @return a document's chunk list, in order
     * @throws NotFoundException when this tenant has no such document
     */
    public List<DocumentChunk> listChunks(DocumentId documentId) {
        return timing.call(Operation.DOCUMENT_READ, () -> listChunksUntimed(documentId));
    }

    private List<DocumentChunk> listChunksUntimed(DocumentId documentId) {
        Document doc = getDocument(documentId);
        KbStorage kb = kb(doc.knowledgeBaseId());
        var links = kb.links().as("l");
        var chunks = kb.chunk().as("c");
        return fetch("list chunks of document " + documentId, () -> dsl()
                .select(links.CHUNK_INDEX, chunks.ID, chunks.CONTENT, chunks.CONTENT_HASH, links.METADATA)
                .from(links)
                .join(chunks).on(chunks.TENANT_ID.eq(links.TENANT_ID))
                .and(chunks.KNOWLEDGE_BASE_ID.eq(links.KNOWLEDGE_BASE_ID)).and(chunks.ID.eq(links.CHUNK_ID))
                .where(links.TENANT_ID.eq(t()))
                .and(links.KNOWLEDGE_BASE_ID.eq(kb.id()))
                .and(links.DOCUMENT_ID.eq(documentId.value()))
                .orderBy(links.CHUNK_INDEX)
                .fetch(r -> new DocumentChunk(r.value1(), ChunkId.of(r.value2()), r.value3(),
                        ContentHash.fromBytes(r.value4()), Json.toMap(r.value5()))));
    }

    /**
     * The number of distinct chunk texts (content rows) a knowledge base holds; 0 when this tenant has
     * no such knowledge base.
     *
     * @param knowledgeBaseId the knowledge base
     * @return the number of distinct chunk texts
     */
    public long countChunks(KnowledgeBaseId knowledgeBaseId) {
        Checks.notNull(knowledgeBaseId, "knowledgeBaseId");
        KbStorage kb;
        try {
            kb = kb(knowledgeBaseId);
        } catch (NotFoundException e) {
            return 0;
        }
        var chunks = kb.chunk();
        return fetch("count chunks", () -> (long) dsl().fetchCount(chunks, chunks.TENANT_ID.eq(t())));
    }

    /**
     * Deletes a document with its chunk links, and the content no other document uses, in one transaction.
     *
     * @param documentId the document
     * @return how many chunk texts were removed with it
     * @throws NotFoundException when this tenant has no such document
     */
    public int deleteDocument(DocumentId documentId) {
        return timing.callInt(Operation.DOCUMENT_DELETE, () -> deleteDocumentUntimed(documentId));
    }

    private int deleteDocumentUntimed(DocumentId documentId) {
        Document doc = getDocument(documentId);
        KbStorage kb = kb(doc.knowledgeBaseId());
        var links = kb.links();
        try {
            return dsl().transactionResult(cfg -> {
                DSLContext tx = DSL.using(cfg);
                ingestor.locks().lockWriter(tx, kb.id(), false);
                WriterLocks.lockKeys(tx, new String[] {ingestor.locks().sourceLockKey(kb.id(), doc.sourceUri())});
                ingestor.locks().lockRemovals(tx, kb.id());
                List<UUID> previous = tx.deleteFrom(links)
                        .where(links.TENANT_ID.eq(t()))
                        .and(links.KNOWLEDGE_BASE_ID.eq(kb.id()))
                        .and(links.DOCUMENT_ID.eq(documentId.value()))
                        .returning(links.CHUNK_ID)
                        .fetch(links.CHUNK_ID);
                int deleted = tx.deleteFrom(DOCUMENT)
                        .where(DOCUMENT.TENANT_ID.eq(t()))
                        .and(DOCUMENT.ID.eq(documentId.value()))
                        .execute();
                if (deleted == 0) {
                    throw new NotFoundException("document " + documentId + " not found");
                }
                return ingestor.chunkRows().deleteUnlinked(tx, kb, new HashSet<>(previous), false);
            });
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "delete document " + documentId);
        }
    }

    /**
     * Deletes the documents of a knowledge base that pass the filter, with their chunk lists and the
     * content no remaining document uses, in one transaction. The filter means what it means for a
     * search ({@link dev.agentstore.knowledge.Filter}: evaluated per document, values bound, a missing
     * metadata key never equal to anything); {@link dev.agentstore.knowledge.Filter#sourceUri(String...)}
     * selects documents by their exact URIs. Up to {@value DocumentDeletion#FINE_LOCK_LIMIT} matching
     * documents are locked one by one (other documents stay writable); a larger delete holds the
     * knowledge base's writer lock, so its writers wait until it commits. A document created while the
     * delete runs is not deleted.
     *
     * @param knowledgeBaseId the knowledge base
     * @param filter the filter
     * @return how many documents and chunks were removed (zeros when none matched)
     * @throws InvalidInputException when an argument is null (before any SQL)
     * @throws NotFoundException when this tenant has no such knowledge base
     */
    public DeleteResult deleteDocuments(KnowledgeBaseId knowledgeBaseId, dev.agentstore.knowledge.Filter filter) {
        return timing.call(Operation.DOCUMENT_DELETE, () -> deleteDocumentsUntimed(knowledgeBaseId, filter));
    }

    private DeleteResult deleteDocumentsUntimed(KnowledgeBaseId knowledgeBaseId, dev.agentstore.knowledge.Filter filter) {
        Checks.notNull(knowledgeBaseId, "knowledgeBaseId");
        Checks.notNull(filter, "filter (use deleteAllDocuments(knowledgeBaseId) to delete every document)");
        return new DocumentDeletion(context, t(), ingestor).delete(kb(knowledgeBaseId), filter,
                "delete documents of knowledge base " + knowledgeBaseId);
    }

    /**
     * Deletes every document of a knowledge base with all its chunks, in one transaction; the knowledge
     * base stays. Locks and concurrency as for {@link #deleteDocuments} with a filter every document
     * passes; searches see the old content until the commit.
     *
     * @param knowledgeBaseId the knowledge base
     * @return how many documents and chunks were removed
     * @throws InvalidInputException when knowledgeBaseId is null
     * @throws NotFoundException when this tenant has no such knowledge base
     */
    public DeleteResult deleteAllDocuments(KnowledgeBaseId knowledgeBaseId) {
        return timing.call(Operation.DOCUMENT_DELETE, () -> deleteAllDocumentsUntimed(knowledgeBaseId));
    }

    private DeleteResult deleteAllDocumentsUntimed(KnowledgeBaseId knowledgeBaseId) {
        Checks.notNull(knowledgeBaseId, "knowledgeBaseId");
        return new DocumentDeletion(context, t(), ingestor).delete(kb(knowledgeBaseId), null,
                "delete all documents of knowledge base " + knowledgeBaseId);
    }

    /**
     * Removes the content of a knowledge base that no document links to (left, for example, by rows
     * deleted through {@code AgentStore.dsl()}); content another transaction is linking right now is
     * left alone. Ingestion and {@link #deleteDocument} never leave such content behind.
     *
     * @param knowledgeBaseId the knowledge base
     * @return how many chunk texts were removed
     * @throws NotFoundException when this tenant has no such knowledge base
     */
    public int deleteOrphanChunks(KnowledgeBaseId knowledgeBaseId) {
        Checks.notNull(knowledgeBaseId, "knowledgeBaseId");
        KbStorage kb = kb(knowledgeBaseId);
        try {
            return dsl().transactionResult(cfg -> {
                DSLContext tx = DSL.using(cfg);
                ingestor.locks().lockWriter(tx, kb.id(), false);
                ingestor.locks().lockRemovals(tx, kb.id());
                return ingestor.chunkRows().deleteUnlinked(tx, kb, null, true);
            });
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "delete orphan chunks of knowledge base " + knowledgeBaseId);
        }
    }

    @Override
    public String toString() {
        return "Documents[tenant=" + tenant + "]";
    }

    // ------------------------------------------------------------------------------------------
    // mapping

    private static <T> T fetch(String what, java.util.function.Supplier<T> query) {
        try {
            return query.get();
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, what);
        }
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static Document toDocument(DocumentRecord r) {
        return new Document(DocumentId.of(r.getId()), KnowledgeBaseId.of(r.getKnowledgeBaseId()), r.getSourceUri(),
                r.getTitle(), r.getDocType(), r.getVersion(), Json.toMap(r.getMetadata()),
                DocumentStatus.fromSqlName(r.getStatus()), r.getErrorMessage(),
                r.getContentHash() == null ? null : ContentHash.fromBytes(r.getContentHash()), r.getChunkCount(),
                instant(r.getCreatedAt()), instant(r.getUpdatedAt()));
    }
}
