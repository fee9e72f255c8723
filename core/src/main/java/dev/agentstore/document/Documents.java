package dev.agentstore.document;

import static dev.agentstore.schema.Tables.CHUNK;
import static dev.agentstore.schema.Tables.DOCUMENT;
import static dev.agentstore.schema.Tables.DOCUMENT_CHUNK;
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

    /**
     * The documents of one tenant; obtained from {@code AgentStore.documents(tenant)}.
     *
     * @throws NullPointerException when an argument is null
     */
    public Documents(StoreContext context, TenantId tenant) {
        this.context = Objects.requireNonNull(context, "context");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.ingestor = new Ingestor(context, tenant.value());
    }

    /**
     * The upload pipeline of this tenant: register documents as pending, list them by status, type and
     * time, claim them from several workers with leases, recover what dead workers left processing.
     */
    public DocumentPipeline pipeline() {
        return new DocumentPipeline(context, tenant);
    }

    /** The tenant these documents belong to. */
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
     * Creates a knowledge base.
     *
     * @throws InvalidInputException when spec is null
     * @throws DimensionMismatchException when the spec's dimension is not the store's
     * @throws dev.agentstore.ConflictException when the tenant already has a knowledge base of that name
     */
    public KnowledgeBase createKnowledgeBase(KnowledgeBaseSpec spec) {
        Checks.notNull(spec, "spec");
        if (spec.dimension() != context.embeddingDimension()) {
            throw new DimensionMismatchException("knowledge base '" + spec.name() + "'", context.embeddingDimension(),
                    spec.dimension(), "every knowledge base of a store has the store's dimension; create it with "
                            + context.embeddingDimension() + ", or use a store migrated for " + spec.dimension());
        }
        try {
            return toKnowledgeBase(dsl().insertInto(KNOWLEDGE_BASE)
                    .set(KNOWLEDGE_BASE.TENANT_ID, t())
                    .set(KNOWLEDGE_BASE.NAME, spec.name())
                    .set(KNOWLEDGE_BASE.DESCRIPTION, spec.description())
                    .set(KNOWLEDGE_BASE.EMBEDDING_MODEL, spec.embeddingModel())
                    .set(KNOWLEDGE_BASE.EMBEDDING_DIMENSION, spec.dimension())
                    .set(KNOWLEDGE_BASE.DISTANCE_METRIC, spec.metric().sqlName())
                    .set(KNOWLEDGE_BASE.TEXT_SEARCH_CONFIG, spec.textSearchConfig().sqlName())
                    .set(KNOWLEDGE_BASE.METADATA, context.limits().metadata(spec.metadata(), "knowledge base metadata"))
                    .returning()
                    .fetchSingle());
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "create knowledge base '" + spec.name() + "'");
        }
    }

    /**
     * The knowledge base with this id.
     *
     * @throws NotFoundException when this tenant has none with this id
     */
    public KnowledgeBase getKnowledgeBase(KnowledgeBaseId id) {
        return findKnowledgeBase(id).orElseThrow(() -> new NotFoundException("knowledge base " + id + " not found"));
    }

    /** The knowledge base with this id, if this tenant has it. */
    public Optional<KnowledgeBase> findKnowledgeBase(KnowledgeBaseId id) {
        Checks.notNull(id, "knowledgeBaseId");
        try {
            return dsl().selectFrom(KNOWLEDGE_BASE)
                    .where(KNOWLEDGE_BASE.TENANT_ID.eq(t()))
                    .and(KNOWLEDGE_BASE.ID.eq(id.value()))
                    .fetchOptional()
                    .map(Documents::toKnowledgeBase);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "read knowledge base " + id);
        }
    }

    /**
     * The knowledge base with this name, if this tenant has it.
     *
     * @throws InvalidInputException when name is null or blank
     */
    public Optional<KnowledgeBase> findKnowledgeBase(String name) {
        Checks.notBlank(name, "name");
        try {
            return dsl().selectFrom(KNOWLEDGE_BASE)
                    .where(KNOWLEDGE_BASE.TENANT_ID.eq(t()))
                    .and(KNOWLEDGE_BASE.NAME.eq(name))
                    .fetchOptional()
                    .map(Documents::toKnowledgeBase);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "read knowledge base '" + name + "'");
        }
    }

    /** This tenant's knowledge bases, by name; empty when none. */
    public List<KnowledgeBase> listKnowledgeBases() {
        try {
            return dsl().selectFrom(KNOWLEDGE_BASE)
                    .where(KNOWLEDGE_BASE.TENANT_ID.eq(t()))
                    .orderBy(KNOWLEDGE_BASE.NAME)
                    .fetch(Documents::toKnowledgeBase);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "list knowledge bases");
        }
    }

    /**
     * Deletes a knowledge base with all its documents and chunks, in one statement.
     *
     * @return whether it existed
     */
    public boolean deleteKnowledgeBase(KnowledgeBaseId id) {
        Checks.notNull(id, "knowledgeBaseId");
        try {
            return dsl().deleteFrom(KNOWLEDGE_BASE)
                    .where(KNOWLEDGE_BASE.TENANT_ID.eq(t()))
                    .and(KNOWLEDGE_BASE.ID.eq(id.value()))
                    .execute() > 0;
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "delete knowledge base " + id);
        }
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
     * @throws InvalidInputException before any SQL or embedding call, when a chunk is longer than
     *         {@code maxChunkLength} or a precomputed embedding has the wrong dimension or a non-finite
     *         component (the message names the chunk); also when a vector returned by the function
     *         is invalid ({@link DimensionMismatchException} for the dimension)
     * @throws EmbeddingFailedException when the function throws or returns the wrong number of vectors
     * @throws NotFoundException when the knowledge base does not exist for this tenant (before any embedding call)
     * @throws dev.agentstore.ConflictException when concurrent writers kept removing content this call
     *         needed through all retries (nothing written; retrying can succeed)
     */
    public IngestResult ingest(KnowledgeBaseId knowledgeBaseId, DocumentInput document, EmbeddingFunction embeddingFunction) {
        long start = System.nanoTime();
        Checks.notNull(knowledgeBaseId, "knowledgeBaseId");
        Ingestor.Prepared prepared = ingestor.prepare(document, embeddingFunction != null);
        Ingestor.Kb kb = kb(knowledgeBaseId);
        Ingestor.Counters c = new Ingestor.Counters();
        Ingestor.Outcome o = ingestor.ingestGroup(kb, List.of(prepared), embeddingFunction, false, c).get(0);
        return new IngestResult(DocumentId.of(o.documentId()), o.status(), (int) c.inserted, (int) c.reused,
                (int) c.removed, c.embeddingCalls, (int) c.textsEmbedded, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Ingests one document whose chunks all carry precomputed embeddings; otherwise like
     * {@link #ingest(KnowledgeBaseId, DocumentInput, EmbeddingFunction)}.
     *
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
     * @throws InvalidInputException when a source URI repeats or a document is invalid (before any SQL)
     */
    public BulkIngestResult ingestAll(KnowledgeBaseId knowledgeBaseId, List<DocumentInput> documents,
            EmbeddingFunction embeddingFunction, IngestProgressListener progress) {
        long start = System.nanoTime();
        Checks.notNull(knowledgeBaseId, "knowledgeBaseId");
        Checks.notNull(documents, "documents");
        List<Ingestor.Prepared> prepared = new ArrayList<>(documents.size());
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
            prepared.add(ingestor.prepare(d, embeddingFunction != null));
            chunksTotal += d.chunkCount();
        }
        Ingestor.Kb kb = kb(knowledgeBaseId);
        Ingestor.Counters c = new Ingestor.Counters();
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

    /** {@link #ingestAll(KnowledgeBaseId, List, EmbeddingFunction, IngestProgressListener)} without a progress listener. */
    public BulkIngestResult ingestAll(KnowledgeBaseId knowledgeBaseId, List<DocumentInput> documents,
            EmbeddingFunction embeddingFunction) {
        return ingestAll(knowledgeBaseId, documents, embeddingFunction, null);
    }

    private Ingestor.Kb kb(KnowledgeBaseId id) {
        var r = fetch("read knowledge base " + id, () -> dsl()
                .select(KNOWLEDGE_BASE.ID, KNOWLEDGE_BASE.DISTANCE_METRIC, KNOWLEDGE_BASE.TEXT_SEARCH_CONFIG)
                .from(KNOWLEDGE_BASE)
                .where(KNOWLEDGE_BASE.TENANT_ID.eq(t()))
                .and(KNOWLEDGE_BASE.ID.eq(id.value()))
                .fetchOptional());
        return r.map(x -> new Ingestor.Kb(x.value1(), x.value2(), x.value3()))
                .orElseThrow(() -> new NotFoundException("knowledge base " + id + " not found"));
    }

    // ------------------------------------------------------------------------------------------
    // documents

    /**
     * The document with this id.
     *
     * @throws NotFoundException when this tenant has none with this id
     */
    public Document getDocument(DocumentId id) {
        return findDocument(id).orElseThrow(() -> new NotFoundException("document " + id + " not found"));
    }

    /** The document with this id, if this tenant has it. */
    public Optional<Document> findDocument(DocumentId id) {
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
     * @throws InvalidInputException when an argument is null or the URI blank
     */
    public Optional<Document> findDocument(KnowledgeBaseId knowledgeBaseId, String sourceUri) {
        Checks.notNull(knowledgeBaseId, "knowledgeBaseId");
        Checks.notBlank(sourceUri, "sourceUri");
        return fetch("read document '" + sourceUri + "'", () -> dsl().selectFrom(DOCUMENT)
                .where(DOCUMENT.TENANT_ID.eq(t()))
                .and(DOCUMENT.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId.value()))
                .and(DOCUMENT.SOURCE_URI.eq(sourceUri))
                .fetchOptional()
                .map(Documents::toDocument));
    }

    /** All documents of a knowledge base, by source URI; empty when none (or no such knowledge base). */
    public List<Document> listDocuments(KnowledgeBaseId knowledgeBaseId) {
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
     * @throws NotFoundException when this tenant has no such document
     */
    public List<DocumentChunk> listChunks(DocumentId documentId) {
        getDocument(documentId);
        return fetch("list chunks of document " + documentId, () -> dsl()
                .select(DOCUMENT_CHUNK.CHUNK_INDEX, CHUNK.ID, CHUNK.CONTENT, CHUNK.CONTENT_HASH, DOCUMENT_CHUNK.METADATA)
                .from(DOCUMENT_CHUNK)
                .join(CHUNK).on(CHUNK.TENANT_ID.eq(DOCUMENT_CHUNK.TENANT_ID)).and(CHUNK.ID.eq(DOCUMENT_CHUNK.CHUNK_ID))
                .where(DOCUMENT_CHUNK.TENANT_ID.eq(t()))
                .and(DOCUMENT_CHUNK.DOCUMENT_ID.eq(documentId.value()))
                .orderBy(DOCUMENT_CHUNK.CHUNK_INDEX)
                .fetch(r -> new DocumentChunk(r.value1(), ChunkId.of(r.value2()), r.value3(),
                        ContentHash.fromBytes(r.value4()), Json.toMap(r.value5()))));
    }

    /**
     * The number of distinct chunk texts (content rows) a knowledge base holds.
     */
    public long countChunks(KnowledgeBaseId knowledgeBaseId) {
        Checks.notNull(knowledgeBaseId, "knowledgeBaseId");
        return fetch("count chunks", () -> (long) dsl().fetchCount(CHUNK, CHUNK.TENANT_ID.eq(t())
                .and(CHUNK.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId.value()))));
    }

    /**
     * Deletes a document with its chunk links, and the content no other document uses, in one transaction.
     *
     * @return how many chunk texts were removed with it
     * @throws NotFoundException when this tenant has no such document
     */
    public int deleteDocument(DocumentId documentId) {
        Document doc = getDocument(documentId);
        try {
            return dsl().transactionResult(cfg -> {
                DSLContext tx = DSL.using(cfg);
                Ingestor.lockKeys(tx, new String[] {ingestor.sourceLockKey(doc.knowledgeBaseId().value(), doc.sourceUri())});
                ingestor.lockRemovals(tx, doc.knowledgeBaseId().value());
                List<UUID> previous = tx.deleteFrom(DOCUMENT_CHUNK)
                        .where(DOCUMENT_CHUNK.TENANT_ID.eq(t()))
                        .and(DOCUMENT_CHUNK.DOCUMENT_ID.eq(documentId.value()))
                        .returning(DOCUMENT_CHUNK.CHUNK_ID)
                        .fetch(DOCUMENT_CHUNK.CHUNK_ID);
                int deleted = tx.deleteFrom(DOCUMENT)
                        .where(DOCUMENT.TENANT_ID.eq(t()))
                        .and(DOCUMENT.ID.eq(documentId.value()))
                        .execute();
                if (deleted == 0) {
                    throw new NotFoundException("document " + documentId + " not found");
                }
                return ingestor.deleteUnlinked(tx, new Ingestor.Kb(doc.knowledgeBaseId().value(), null, null),
                        new HashSet<>(previous), false);
            });
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "delete document " + documentId);
        }
    }

    /**
     * Removes the content of a knowledge base that no document links to (left, for example, by rows
     * deleted through {@code AgentStore.dsl()}); content another transaction is linking right now is
     * left alone. Ingestion and {@link #deleteDocument} never leave such content behind.
     *
     * @return how many chunk texts were removed
     */
    public int deleteOrphanChunks(KnowledgeBaseId knowledgeBaseId) {
        Checks.notNull(knowledgeBaseId, "knowledgeBaseId");
        try {
            return dsl().transactionResult(cfg -> {
                DSLContext tx = DSL.using(cfg);
                ingestor.lockRemovals(tx, knowledgeBaseId.value());
                return ingestor.deleteUnlinked(tx, new Ingestor.Kb(knowledgeBaseId.value(), null, null), null, true);
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

    private static KnowledgeBase toKnowledgeBase(KnowledgeBaseRecord r) {
        return new KnowledgeBase(KnowledgeBaseId.of(r.getId()), r.getName(), r.getDescription(), r.getEmbeddingModel(),
                r.getEmbeddingDimension(), DistanceMetric.fromSqlName(r.getDistanceMetric()),
                TextSearchConfig.fromSqlName(r.getTextSearchConfig()), Json.toMap(r.getMetadata()),
                instant(r.getCreatedAt()), instant(r.getUpdatedAt()));
    }

    private static Document toDocument(DocumentRecord r) {
        return new Document(DocumentId.of(r.getId()), KnowledgeBaseId.of(r.getKnowledgeBaseId()), r.getSourceUri(),
                r.getTitle(), r.getDocType(), r.getVersion(), Json.toMap(r.getMetadata()),
                DocumentStatus.fromSqlName(r.getStatus()), r.getErrorMessage(),
                r.getContentHash() == null ? null : ContentHash.fromBytes(r.getContentHash()), r.getChunkCount(),
                instant(r.getCreatedAt()), instant(r.getUpdatedAt()));
    }
}
