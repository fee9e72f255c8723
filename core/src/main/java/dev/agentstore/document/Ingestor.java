package dev.agentstore.document;

import static dev.agentstore.schema.Tables.DOCUMENT;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentstore.AgentStoreException;
import dev.agentstore.ContentHash;
import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.Json;
import dev.agentstore.internal.Limits;
import dev.agentstore.internal.KnowledgeLayout;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.schema.tables.Chunk;
import dev.agentstore.schema.tables.DocumentChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep6;
import org.jooq.InsertValuesStep7;
import org.jooq.JSONB;
import org.jooq.Query;
import org.jooq.Record5;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * The ingestion engine behind {@link Documents}: validates and hashes documents, finds the content a
 * knowledge base lacks, embeds only that, and writes a group of documents in one transaction.
 *
 * <p>Concurrency: writers of the same source URI are serialised by a transaction-scoped advisory
 * lock; new content is inserted in content-hash order with {@code ON CONFLICT DO NOTHING} and then
 * re-selected {@code FOR KEY SHARE} (in hash order), so two hosts writing overlapping content end up
 * with one row per hash; content removal locks its rows {@code FOR UPDATE} in hash order and deletes
 * only rows that a fresh statement still sees unlinked. A group that loses a race (content it counted
 * on was removed meanwhile, a deadlock, a serialisation failure) is retried from the start.
 */
final class Ingestor {

    /** Attempts per group before a concurrency failure surfaces. */
    static final int MAX_ATTEMPTS = 8;
    /** Rows per multi-row INSERT statement (keeps bind parameters far below PostgreSQL's 65,535). */
    private static final int ROWS_PER_STATEMENT = 1000;
    private static final String STAGING = "agentstore_chunk_staging";
    private static final ObjectWriter CANONICAL_JSON = Json.mapper().writer()
            .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final StoreContext context;
    private final String tenant;

    Ingestor(StoreContext context, String tenant) {
        this.context = context;
        this.tenant = tenant;
    }

    /** The knowledge base written to: its layout and its two partitions (statements never go through the parents). */
    record Kb(KnowledgeLayout layout, Chunk chunk, DocumentChunk links) {

        Kb(KnowledgeLayout layout, String schema) {
            this(layout, layout.chunks(schema), layout.links(schema));
        }

        UUID id() {
            return layout.knowledgeBaseId();
        }

        String metric() {
            return layout.metric();
        }

        String textSearchConfig() {
            return layout.textSearchConfig();
        }

        int dimension() {
            return layout.dimension();
        }
    }

    /** A validated, hashed document. */
    record Prepared(DocumentInput input, ContentHash[] hashes, byte[] documentHash, JSONB metadata, String[] linkMetadata) {

        String uri() {
            return input.sourceUri();
        }
    }

    /** Where a distinct text first occurs. */
    record Source(Prepared doc, int index) {

        String text() {
            return doc.input().chunks().get(index).text();
        }
    }

    /** A document row as read before writing. */
    record Existing(UUID id, byte[] contentHash, String status, String userId) {
    }

    /** What happened to one document. */
    record Outcome(UUID documentId, IngestStatus status) {
    }

    /** Counts of one call. */
    static final class Counters {
        int created;
        int updated;
        int unchanged;
        long inserted;
        long reused;
        long removed;
        int embeddingCalls;
        long textsEmbedded;

        void add(Counters o) {
            created += o.created;
            updated += o.updated;
            unchanged += o.unchanged;
            inserted += o.inserted;
            reused += o.reused;
            removed += o.removed;
        }
    }

    /** Signals that content counted on disappeared before it could be locked; the group is retried. */
    private static final class LostRace extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LostRace() {
            super("content was removed concurrently", null, false, false);
        }
    }

    // ------------------------------------------------------------------------------------------
    // preparation (no SQL)

    /**
     * Validates a document against the store's limits and hashes it.
     *
     * @param withFunction whether an embedding function is available (else every chunk needs an embedding)
     */
    Prepared prepare(DocumentInput doc, boolean withFunction, Kb kb) {
        int dim = kb.dimension();
        Checks.notNull(doc, "document");
        String uri = doc.sourceUri();
        int max = context.limits().maxChunkLength();
        List<ChunkInput> chunks = doc.chunks();
        ContentHash[] hashes = new ContentHash[chunks.size()];
        String[] linkMetadata = new String[chunks.size()];
        MessageDigest md = sha256();
        update(md, "agentstore-document-v1");
        update(md, doc.title());
        update(md, doc.docType());
        update(md, doc.version());
        update(md, canonical(doc.metadata(), "metadata of document '" + uri + "'"));
        md.update(ByteBuffer.allocate(4).putInt(chunks.size()).array());
        for (int i = 0; i < chunks.size(); i++) {
            ChunkInput c = chunks.get(i);
            if (c.text() != null && c.text().length() > max) {
                throw new InvalidInputException("chunk " + i + " of document '" + uri + "' has " + c.text().length()
                        + " characters, more than the limit of " + max
                        + " (split it further, or raise the limit with AgentStore.builder().maxChunkLength(...))");
            }
            if (c.hasEmbedding()) {
                Checks.embedding(c.embeddingUnsafe(), dim, "embedding of chunk " + i + " of document '" + uri + "'",
                        whose(kb), fix(kb, c.embeddingUnsafe().length));
            } else if (!withFunction) {
                throw new InvalidInputException("chunk " + i + " of document '" + uri + "' has no embedding; give every"
                        + " chunk an embedding, or pass an EmbeddingFunction");
            }
            hashes[i] = c.contentHash(uri); // content-addressed: ContentHash.of(text); keyed: its own namespace
            linkMetadata[i] = c.metadata().isEmpty() ? "{}" : canonical(c.metadata(), "metadata of chunk " + i
                    + " of document '" + uri + "'");
            md.update(hashes[i].bytes());
            update(md, linkMetadata[i]);
        }
        JSONB metadata = context.limits().metadata(doc.metadata(), "metadata of document '" + uri + "'");
        return new Prepared(doc, hashes, md.digest(), metadata, linkMetadata);
    }

    private static String whose(Kb kb) {
        return whose(kb.id(), kb.dimension());
    }

    private static String whose(UUID kb, int dim) {
        return "knowledge base " + kb + " is built for";
    }

    private static String fix(Kb kb, int actual) {
        return fix(kb.id(), actual);
    }

    private static String fix(UUID kb, int actual) {
        return "embed with the knowledge base's model, or create a knowledge base for " + actual
                + "-dimension embeddings (KnowledgeBaseSpec.of(name, " + actual + "))";
    }

    private String canonical(Map<String, Object> map, String name) {
        return Json.canonical(map, name, context.limits().maxMetadataLength(), Limits.MAX_METADATA_OPTION);
    }


    private static void update(MessageDigest md, String s) {
        if (s == null) {
            md.update(new byte[] {-1, -1, -1, -1});
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(4).putInt(b.length).array());
        md.update(b);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // one group of documents

    /**
     * Ingests a group of documents (distinct source URIs) in one transaction, retrying lost races.
     *
     * @param copy whether to stream new content and links through binary COPY (bulk) or multi-row INSERTs
     * @param callCounters receives the embedding counts at once and the write counts after commit
     */
    List<Outcome> ingestGroup(Kb kb, List<Prepared> docs, EmbeddingFunction fn, boolean copy, Counters callCounters) {
        requireNonZeroUnderCosine(kb, docs);
        Map<ContentHash, float[]> vectors = new HashMap<>();
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(kb, docs, fn, copy, callCounters, vectors);
            } catch (RuntimeException e) {
                if (attempt < MAX_ATTEMPTS && retryable(e)) {
                    sleepBeforeRetry(attempt);
                    continue;
                }
                if (e instanceof LostRace) {
                    throw new dev.agentstore.ConflictException("cannot ingest document '" + docs.get(0).uri()
                            + "': content kept being removed concurrently (" + MAX_ATTEMPTS + " attempts); retry", e);
                }
                throw e;
            }
        }
    }

    /** Zero vectors cannot be ranked by cosine distance: refuse given embeddings before any SQL. */
    static void requireNonZeroUnderCosine(Kb kb, List<Prepared> docs) {
        if (!DistanceMetric.COSINE.sqlName().equals(kb.metric())) {
            return;
        }
        for (Prepared p : docs) {
            List<ChunkInput> chunks = p.input().chunks();
            for (int i = 0; i < chunks.size(); i++) {
                if (chunks.get(i).hasEmbedding()) {
                    Checks.requireNonZero(chunks.get(i).embeddingUnsafe(), "embedding of chunk " + i + " of document '"
                            + p.uri() + "'", "cosine distance");
                }
            }
        }
    }

    /** The same for vectors the embedding function returned, before the write transaction. */
    static void requireNonZeroUnderCosine(Kb kb, List<ContentHash> embedded, Map<ContentHash, Source> sources,
            Map<ContentHash, float[]> vectors) {
        if (!DistanceMetric.COSINE.sqlName().equals(kb.metric())) {
            return;
        }
        for (ContentHash h : embedded) {
            float[] v = vectors.get(h);
            if (v != null) {
                Source s = sources.get(h);
                Checks.requireNonZero(v, "embedding of chunk " + s.index() + " of document '" + s.doc().uri()
                        + "' (returned by the embedding function)", "cosine distance");
            }
        }
    }

    private static boolean retryable(Throwable e) {
        if (e instanceof LostRace) {
            return true;
        }
        String state = SqlErrors.sqlState(e);
        return "40P01".equals(state) || "40001".equals(state) || "23503".equals(state) || "23505".equals(state);
    }

    private static void sleepBeforeRetry(int attempt) {
        try {
            Thread.sleep((long) (Math.random() * 5 * attempt));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new AgentStoreException("interrupted while retrying an ingestion", ie);
        }
    }

    private List<Outcome> attempt(Kb kb, List<Prepared> docs, EmbeddingFunction fn, boolean copy, Counters callCounters,
            Map<ContentHash, float[]> vectors) {
        DSLContext dsl = context.dsl();
        String what = docs.size() == 1 ? "ingest document '" + docs.get(0).uri() + "'"
                : "ingest " + docs.size() + " documents";
        Map<String, Existing> before;
        Set<ContentHash> present;
        LinkedHashMap<ContentHash, Source> needed;
        List<Prepared> changed;
        try {
            before = readDocuments(dsl, kb, docs, false);
            changed = changedOnly(docs, before);
            if (changed.isEmpty()) {
                return unchanged(docs, before, callCounters);
            }
            needed = distinctContent(changed);
            List<ContentHash> unknown = new ArrayList<>();
            for (ContentHash h : needed.keySet()) {
                if (!vectors.containsKey(h)) {
                    unknown.add(h);
                }
            }
            present = presentHashes(dsl, kb, unknown);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, what);
        }
        List<UUID> existingChanged = new ArrayList<>();
        for (Prepared p : changed) {
            Existing ex = before.get(p.uri());
            if (ex != null) {
                existingChanged.add(ex.id());
            }
        }
        try {
            if (!existingChanged.isEmpty()) {
                markProcessing(dsl, existingChanged);
            }
            List<ContentHash> missing = new ArrayList<>();
            for (ContentHash h : needed.keySet()) {
                if (!present.contains(h) && !vectors.containsKey(h)) {
                    missing.add(h);
                }
            }
            embed(missing, needed, fn, vectors, callCounters, kb, existingChanged.isEmpty() ? null : leaseKeeper(dsl, existingChanged));
            requireNonZeroUnderCosine(kb, missing, needed, vectors);
            Counters local = new Counters();
            List<Outcome> outcomes = dsl.transactionResult(cfg -> write(DSL.using(cfg), kb, docs, vectors, copy, local));
            callCounters.add(local);
            return outcomes;
        } catch (RuntimeException e) {
            if (retryable(e)) {
                throw e;
            }
            AgentStoreException failure = SqlErrors.translate(e, what);
            if (!existingChanged.isEmpty()) {
                markFailed(dsl, existingChanged, failure.getMessage());
            }
            throw failure;
        } catch (Error e) {
            // e.g. OutOfMemoryError from the host's model: never leave the document processing behind
            if (!existingChanged.isEmpty()) {
                markFailed(dsl, existingChanged, "cannot " + what + ": the ingestion was aborted by " + e);
            }
            throw e;
        }
    }

    static List<Prepared> changedOnly(List<Prepared> docs, Map<String, Existing> existing) {
        List<Prepared> changed = new ArrayList<>();
        for (Prepared p : docs) {
            if (!isUnchanged(existing.get(p.uri()), p)) {
                changed.add(p);
            }
        }
        return changed;
    }

    private static boolean isUnchanged(Existing ex, Prepared p) {
        return ex != null && DocumentStatus.COMPLETED.sqlName().equals(ex.status())
                && Arrays.equals(ex.contentHash(), p.documentHash())
                && (p.input().userId() == null || p.input().userId().equals(ex.userId()));
    }

    private static List<Outcome> unchanged(List<Prepared> docs, Map<String, Existing> existing, Counters counters) {
        List<Outcome> out = new ArrayList<>(docs.size());
        for (Prepared p : docs) {
            out.add(new Outcome(existing.get(p.uri()).id(), IngestStatus.UNCHANGED));
        }
        counters.unchanged += docs.size();
        return out;
    }

    static LinkedHashMap<ContentHash, Source> distinctContent(List<Prepared> docs) {
        LinkedHashMap<ContentHash, Source> needed = new LinkedHashMap<>();
        for (Prepared p : docs) {
            for (int i = 0; i < p.hashes().length; i++) {
                needed.putIfAbsent(p.hashes()[i], new Source(p, i));
            }
        }
        return needed;
    }

    // ------------------------------------------------------------------------------------------
    // embedding

    void embed(List<ContentHash> missing, Map<ContentHash, ? extends Source> sources, EmbeddingFunction fn,
            Map<ContentHash, float[]> vectors, Counters counters, Kb kb) {
        embed(missing, sources, fn, vectors, counters, kb, null);
    }

    /** As above; {@code afterBatch} (or null) runs after every embedding call, e.g. to renew a lease. */
    void embed(List<ContentHash> missing, Map<ContentHash, ? extends Source> sources, EmbeddingFunction fn,
            Map<ContentHash, float[]> vectors, Counters counters, Kb kb, Runnable afterBatch) {
        int dim = kb.dimension();
        UUID kbId = kb.id();
        List<ContentHash> viaFunction = new ArrayList<>();
        for (ContentHash h : missing) {
            ChunkInput chunk = sources.get(h).doc().input().chunks().get(sources.get(h).index());
            if (chunk.hasEmbedding()) {
                vectors.put(h, chunk.embeddingUnsafe()); // validated in prepare
            } else {
                viaFunction.add(h);
            }
        }
        int batchSize = context.limits().embeddingBatchSize();
        for (int from = 0; from < viaFunction.size(); from += batchSize) {
            List<ContentHash> batch = viaFunction.subList(from, Math.min(viaFunction.size(), from + batchSize));
            List<String> texts = new ArrayList<>(batch.size());
            for (ContentHash h : batch) {
                texts.add(sources.get(h).text());
            }
            Source first = sources.get(batch.get(0));
            String where = "chunk " + first.index() + " of document '" + first.doc().uri() + "'"
                    + (batch.size() > 1 ? " (in a batch of " + batch.size() + " texts)" : "");
            List<float[]> result;
            counters.embeddingCalls++;
            counters.textsEmbedded += texts.size();
            try {
                result = fn.embed(List.copyOf(texts));
            } catch (Exception e) {
                throw new EmbeddingFailedException("the embedding function failed on " + where + ": "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                        + "; nothing of the document was written", first.doc().uri(), first.index(), e);
            }
            if (result == null || result.size() != texts.size()) {
                throw new EmbeddingFailedException("the embedding function returned "
                        + (result == null ? "null" : result.size() + " vectors") + " for " + texts.size() + " texts, at "
                        + where + "; it must return one vector per text", first.doc().uri(), first.index(), null);
            }
            for (int j = 0; j < batch.size(); j++) {
                Source s = sources.get(batch.get(j));
                float[] v = Checks.embedding(result.get(j), dim, "embedding of chunk " + s.index() + " of document '"
                        + s.doc().uri() + "' (returned by the embedding function)", whose(kbId, dim),
                        result.get(j) == null ? "" : fix(kbId, result.get(j).length));
                vectors.put(batch.get(j), v);
            }
            if (afterBatch != null) {
                afterBatch.run();
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // the write transaction

    private List<Outcome> write(DSLContext tx, Kb kb, List<Prepared> docs, Map<ContentHash, float[]> vectors, boolean copy,
            Counters counters) {
        DocumentChunk links = kb.links();
        lockWriter(tx, kb.id(), false);
        lockSources(tx, kb, docs);
        Map<String, Existing> current = readDocuments(tx, kb, docs, true);
        List<Prepared> toWrite = changedOnly(docs, current);
        for (Prepared p : toWrite) {
            if (current.containsKey(p.uri())) {
                lockRemovals(tx, kb.id()); // a replacement may remove content: see lockRemovals
                break;
            }
        }
        LinkedHashMap<ContentHash, Source> needed = distinctContent(toWrite);

        List<ContentHash> toInsert = new ArrayList<>();
        for (ContentHash h : needed.keySet()) {
            if (vectors.containsKey(h)) {
                toInsert.add(h);
            }
        }
        toInsert.sort((a, b) -> Arrays.compareUnsigned(a.bytes(), b.bytes()));
        // rows inserted here are ours until commit; only content that existed before needs a lock
        Map<ContentHash, UUID> ids = new HashMap<>();
        if (!toInsert.isEmpty()) {
            if (copy) {
                copyChunks(tx, kb, toInsert, needed, vectors, ids);
            } else {
                insertChunks(tx, kb, toInsert, needed, vectors, ids);
            }
        }
        int inserted = ids.size();
        List<ContentHash> existing = new ArrayList<>();
        for (ContentHash h : needed.keySet()) {
            if (!ids.containsKey(h)) {
                existing.add(h);
            }
        }
        ids.putAll(lockContent(tx, kb, existing));
        if (ids.size() < needed.size()) {
            throw new LostRace();
        }

        List<UUID> replaced = new ArrayList<>();
        for (Prepared p : toWrite) {
            Existing ex = current.get(p.uri());
            if (ex != null) {
                replaced.add(ex.id());
            }
        }
        Set<UUID> previousContent = new HashSet<>();
        if (!replaced.isEmpty()) {
            previousContent.addAll(tx.deleteFrom(links)
                    .where(links.TENANT_ID.eq(tenant))
                    .and(links.KNOWLEDGE_BASE_ID.eq(kb.id()))
                    .and(links.DOCUMENT_ID.eq(DSL.any(replaced.toArray(UUID[]::new))))
                    .returning(links.CHUNK_ID)
                    .fetch(links.CHUNK_ID));
        }

        Map<String, UUID> documentIds = writeDocuments(tx, kb, toWrite, current, counters);
        if (copy) {
            copyLinks(tx, kb, toWrite, documentIds, ids);
        } else {
            insertLinks(tx, kb, toWrite, documentIds, ids);
        }
        previousContent.removeAll(ids.values());
        int removed = deleteUnlinked(tx, kb, previousContent, false);

        counters.inserted += inserted;
        counters.reused += needed.size() - inserted;
        counters.removed += removed;
        List<Outcome> outcomes = new ArrayList<>(docs.size());
        for (Prepared p : docs) {
            Existing ex = current.get(p.uri());
            if (!toWrite.contains(p)) {
                counters.unchanged++;
                outcomes.add(new Outcome(ex.id(), IngestStatus.UNCHANGED));
            } else {
                outcomes.add(new Outcome(documentIds.get(p.uri()), ex == null ? IngestStatus.CREATED : IngestStatus.UPDATED));
            }
        }
        return outcomes;
    }

    /** Serialises writers of the same (tenant, knowledge base, source URI), locking in a fixed order. */
    void lockSources(DSLContext tx, Kb kb, List<Prepared> docs) {
        String[] keys = new String[docs.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = sourceLockKey(kb.id(), docs.get(i).uri());
        }
        lockKeys(tx, keys);
    }

    /**
     * Serialises, per knowledge base, the transactions that may remove content (replacing or deleting
     * documents, the orphan scan). Without it, two transactions each unlinking the same text from a
     * different document would each still see the other's link and both leave the text behind.
     * Taken after the source locks and before any chunk row lock, so it cannot close a lock cycle;
     * transactions that only add documents never take it.
     */
    void lockRemovals(DSLContext tx, UUID kb) {
        lockKeys(tx, new String[] {"agentstore.removal\u001f" + tenant + "\u001f" + kb});
    }

    /**
     * The writer lock of a knowledge base, taken first by every transaction that writes its chunks or
     * links: shared by row-by-row writers (they exclude each other only through the finer locks below),
     * exclusive for a bulk load or compaction, which then needs no finer lock and can never deadlock
     * with them.
     */
    void lockWriter(DSLContext tx, UUID kb, boolean exclusive) {
        tx.resultQuery("select " + (exclusive ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared")
                + "(hashtextextended({0}, 0))", DSL.val("agentstore.writer\u001f" + tenant + "\u001f" + kb)).fetch();
    }

    String sourceLockKey(UUID kb, String uri) {
        return "agentstore.document\u001f" + tenant + "\u001f" + kb + "\u001f" + uri;
    }

    static void lockKeys(DSLContext tx, String[] keys) {
        tx.resultQuery("select pg_advisory_xact_lock(k) from (select hashtextextended(u, 0) as k "
                + "from unnest({0}) as u order by 1) as s", DSL.val(keys, SQLDataType.CLOB.array())).fetch();
    }

    Map<String, Existing> readDocuments(DSLContext dsl, Kb kb, List<Prepared> docs, boolean forUpdate) {
        String[] uris = new String[docs.size()];
        for (int i = 0; i < uris.length; i++) {
            uris[i] = docs.get(i).uri();
        }
        var query = dsl.select(DOCUMENT.SOURCE_URI, DOCUMENT.ID, DOCUMENT.CONTENT_HASH, DOCUMENT.STATUS, DOCUMENT.USER_ID)
                .from(DOCUMENT)
                .where(DOCUMENT.TENANT_ID.eq(tenant))
                .and(DOCUMENT.KNOWLEDGE_BASE_ID.eq(kb.id()))
                .and(uris.length == 1 ? DOCUMENT.SOURCE_URI.eq(uris[0]) : DOCUMENT.SOURCE_URI.eq(DSL.any(uris)));
        List<Record5<String, UUID, byte[], String, String>> rows = forUpdate ? query.forUpdate().fetch() : query.fetch();
        Map<String, Existing> map = new HashMap<>();
        for (Record5<String, UUID, byte[], String, String> r : rows) {
            map.put(r.value1(), new Existing(r.value2(), r.value3(), r.value4(), r.value5()));
        }
        return map;
    }

    Set<ContentHash> presentHashes(DSLContext dsl, Kb kb, Collection<ContentHash> hashes) {
        Chunk chunk = kb.chunk();
        Set<ContentHash> present = new HashSet<>();
        if (hashes.isEmpty()) {
            return present;
        }
        for (byte[] h : dsl.select(chunk.CONTENT_HASH).from(chunk)
                .where(chunk.TENANT_ID.eq(tenant))
                .and(chunk.KNOWLEDGE_BASE_ID.eq(kb.id()))
                .and(chunk.CONTENT_HASH.eq(DSL.any(hashArray(hashes))))
                .fetch(chunk.CONTENT_HASH)) {
            present.add(ContentHash.fromBytes(h));
        }
        return present;
    }

    /** Locks (FOR KEY SHARE, in hash order) the content rows with these hashes and returns their ids. */
    private Map<ContentHash, UUID> lockContent(DSLContext tx, Kb kb, Collection<ContentHash> hashes) {
        Chunk chunk = kb.chunk();
        Map<ContentHash, UUID> ids = new HashMap<>();
        if (hashes.isEmpty()) {
            return ids;
        }
        for (var r : tx.select(chunk.CONTENT_HASH, chunk.ID).from(chunk)
                .where(chunk.TENANT_ID.eq(tenant))
                .and(chunk.KNOWLEDGE_BASE_ID.eq(kb.id()))
                .and(chunk.CONTENT_HASH.eq(DSL.any(hashArray(hashes))))
                .orderBy(chunk.CONTENT_HASH)
                .forKeyShare()
                .fetch()) {
            ids.put(ContentHash.fromBytes(r.value1()), r.value2());
        }
        return ids;
    }

    static byte[][] hashArray(Collection<ContentHash> hashes) {
        byte[][] array = new byte[hashes.size()][];
        int i = 0;
        for (ContentHash h : hashes) {
            array[i++] = h.bytes();
        }
        return array;
    }

    private void insertChunks(DSLContext tx, Kb kb, List<ContentHash> sorted, Map<ContentHash, Source> sources,
            Map<ContentHash, float[]> vectors, Map<ContentHash, UUID> insertedIds) {
        Chunk chunk = kb.chunk();
        for (int from = 0; from < sorted.size(); from += ROWS_PER_STATEMENT) {
            InsertValuesStep7<?, String, UUID, byte[], String, float[], String, String> insert = tx.insertInto(chunk,
                    chunk.TENANT_ID, chunk.KNOWLEDGE_BASE_ID, chunk.CONTENT_HASH, chunk.CONTENT, chunk.EMBEDDING,
                    chunk.DISTANCE_METRIC, chunk.TEXT_SEARCH_CONFIG);
            for (ContentHash h : sorted.subList(from, Math.min(sorted.size(), from + ROWS_PER_STATEMENT))) {
                insert = insert.values(tenant, kb.id(), h.bytes(), sources.get(h).text(), vectors.get(h), kb.metric(),
                        kb.textSearchConfig());
            }
            for (var r : insert.onConflict(chunk.TENANT_ID, chunk.KNOWLEDGE_BASE_ID, chunk.CONTENT_HASH).doNothing()
                    .returning(chunk.CONTENT_HASH, chunk.ID).fetch()) {
                insertedIds.put(ContentHash.fromBytes(r.get(chunk.CONTENT_HASH)), r.get(chunk.ID));
            }
        }
    }

    /** Streams new content through binary COPY into a transaction-scoped staging table, then merges it. */
    private void copyChunks(DSLContext tx, Kb kb, List<ContentHash> sorted, Map<ContentHash, Source> sources,
            Map<ContentHash, float[]> vectors, Map<ContentHash, UUID> insertedIds) {
        Chunk chunk = kb.chunk();
        tx.execute("create temporary table " + STAGING + " (content_hash bytea not null, content text, "
                + "embedding vector not null) on commit drop");
        tx.connection(c -> {
            PGConnection pg = c.unwrap(PGConnection.class);
            try (PGCopyOutputStream out = new PGCopyOutputStream(pg, "copy " + STAGING
                    + " (content_hash, content, embedding) from stdin (format binary)", 1 << 16)) {
                    BinaryCopyWriter w = new BinaryCopyWriter(out);
                for (ContentHash h : sorted) {
                    w.row(3);
                    w.bytea(h.bytes());
                    w.text(sources.get(h).text());
                    w.vector(vectors.get(h));
                }
                w.finish();
            } catch (IOException e) {
                throw new java.sql.SQLException("cannot stream chunks to PostgreSQL: " + e.getMessage(), e);
            }
        });
        Table<?> s = DSL.table(DSL.name(STAGING)).as("s");
        Field<byte[]> sHash = DSL.field(DSL.name("s", "content_hash"), SQLDataType.BLOB);
        Field<String> sContent = DSL.field(DSL.name("s", "content"), SQLDataType.CLOB);
        Field<float[]> sEmbedding = DSL.field(DSL.name("s", "embedding"), chunk.EMBEDDING.getDataType());
        var rows = tx.insertInto(chunk, chunk.TENANT_ID, chunk.KNOWLEDGE_BASE_ID, chunk.CONTENT_HASH, chunk.CONTENT,
                        chunk.EMBEDDING, chunk.DISTANCE_METRIC, chunk.TEXT_SEARCH_CONFIG)
                .select(DSL.select(DSL.val(tenant), DSL.val(kb.id()), sHash, sContent, sEmbedding, DSL.val(kb.metric()),
                        DSL.val(kb.textSearchConfig())).from(s).orderBy(sHash))
                .onConflict(chunk.TENANT_ID, chunk.KNOWLEDGE_BASE_ID, chunk.CONTENT_HASH).doNothing()
                .returning(chunk.CONTENT_HASH, chunk.ID)
                .fetch();
        for (var r : rows) {
            insertedIds.put(ContentHash.fromBytes(r.get(chunk.CONTENT_HASH)), r.get(chunk.ID));
        }
    }

    Map<String, UUID> writeDocuments(DSLContext tx, Kb kb, List<Prepared> toWrite, Map<String, Existing> current,
            Counters counters) {
        Map<String, UUID> ids = new HashMap<>();
        List<Query> updates = new ArrayList<>();
        List<Prepared> inserts = new ArrayList<>();
        String completed = DocumentStatus.COMPLETED.sqlName();
        for (Prepared p : toWrite) {
            Existing ex = current.get(p.uri());
            DocumentInput in = p.input();
            if (ex != null) {
                ids.put(p.uri(), ex.id());
                updates.add(tx.update(DOCUMENT)
                        .set(DOCUMENT.TITLE, in.title())
                        .set(DOCUMENT.DOC_TYPE, in.docType())
                        .set(DOCUMENT.VERSION, in.version())
                        .set(DOCUMENT.METADATA, p.metadata())
                        .set(DOCUMENT.USER_ID, in.userId() == null ? DOCUMENT.USER_ID : DSL.val(in.userId(), DOCUMENT.USER_ID))
                        .set(DOCUMENT.STATUS, completed)
                        .setNull(DOCUMENT.ERROR_MESSAGE)
                        .set(DOCUMENT.CONTENT_HASH, p.documentHash())
                        .set(DOCUMENT.CHUNK_COUNT, in.chunkCount())
                        .set(DOCUMENT.UPDATED_AT, DSL.currentOffsetDateTime())
                        .where(DOCUMENT.TENANT_ID.eq(tenant))
                        .and(DOCUMENT.ID.eq(ex.id())));
            } else {
                ids.put(p.uri(), UUID.randomUUID());
                inserts.add(p);
            }
        }
        for (Query update : updates) {
            update.execute(); // one prepared statement each: values stay bind parameters
        }
        for (int from = 0; from < inserts.size(); from += ROWS_PER_STATEMENT) {
            var insert = tx.insertInto(DOCUMENT, DOCUMENT.TENANT_ID, DOCUMENT.ID, DOCUMENT.KNOWLEDGE_BASE_ID,
                    DOCUMENT.SOURCE_URI, DOCUMENT.TITLE, DOCUMENT.DOC_TYPE, DOCUMENT.VERSION, DOCUMENT.METADATA,
                    DOCUMENT.STATUS, DOCUMENT.CONTENT_HASH, DOCUMENT.CHUNK_COUNT, DOCUMENT.USER_ID);
            for (Prepared p : inserts.subList(from, Math.min(inserts.size(), from + ROWS_PER_STATEMENT))) {
                DocumentInput in = p.input();
                insert = insert.values(tenant, ids.get(p.uri()), kb.id(), p.uri(), in.title(), in.docType(), in.version(),
                        p.metadata(), completed, p.documentHash(), in.chunkCount(), in.userId());
            }
            insert.execute();
        }
        counters.updated += updates.size();
        counters.created += inserts.size();
        return ids;
    }

    private void insertLinks(DSLContext tx, Kb kb, List<Prepared> docs, Map<String, UUID> documentIds,
            Map<ContentHash, UUID> ids) {
        DocumentChunk links = kb.links();
        InsertValuesStep6<?, String, UUID, UUID, Integer, UUID, JSONB> insert = null;
        int rows = 0;
        for (Prepared p : docs) {
            UUID documentId = documentIds.get(p.uri());
            for (int i = 0; i < p.hashes().length; i++) {
                if (insert == null) {
                    insert = tx.insertInto(links, links.TENANT_ID, links.KNOWLEDGE_BASE_ID, links.DOCUMENT_ID,
                            links.CHUNK_INDEX, links.CHUNK_ID, links.METADATA);
                }
                insert = insert.values(tenant, kb.id(), documentId, i, ids.get(p.hashes()[i]), JSONB.valueOf(p.linkMetadata()[i]));
                if (++rows == ROWS_PER_STATEMENT) {
                    insert.execute();
                    insert = null;
                    rows = 0;
                }
            }
        }
        if (insert != null) {
            insert.execute();
        }
    }

    /** Streams the links straight into document_chunk (no conflict is possible: the documents are locked and emptied). */
    private void copyLinks(DSLContext tx, Kb kb, List<Prepared> docs, Map<String, UUID> documentIds,
            Map<ContentHash, UUID> ids) {
        copyLinks(tx, kb, docs, documentIds, ids::get);
    }

    /** Streams links by binary COPY straight into the knowledge base's link partition. */
    void copyLinks(DSLContext tx, Kb kb, List<Prepared> docs, Map<String, UUID> documentIds,
            java.util.function.Function<ContentHash, UUID> ids) {
        String table = tx.render(kb.links());
        dev.agentstore.internal.CopyIn.copy(tx, table,
                "tenant_id, knowledge_base_id, document_id, chunk_index, chunk_id, metadata",
                context.rowLevelSecurity(), out -> {
                    BinaryCopyWriter w = new BinaryCopyWriter(out);
                    for (Prepared p : docs) {
                        UUID documentId = documentIds.get(p.uri());
                        for (int i = 0; i < p.hashes().length; i++) {
                            w.row(6);
                            w.text(tenant);
                            w.uuid(kb.id());
                            w.uuid(documentId);
                            w.int4(i);
                            w.uuid(ids.apply(p.hashes()[i]));
                            w.jsonb(p.linkMetadata()[i]);
                        }
                    }
                    w.finish();
                });
    }

    /**
     * Deletes those of the candidate content rows that no document links to; the caller holds
     * {@link #lockRemovals}. Locks the candidates first (FOR UPDATE, in hash order), linked or not, so
     * that a transaction linking one of them right now is waited for; then deletes in a new statement,
     * whose fresh snapshot sees the links committed meanwhile. With no candidates given (the orphan
     * scan), only rows unlinked now are locked, skipping rows another transaction holds.
     */
    int deleteUnlinked(DSLContext tx, Kb kb, Collection<UUID> candidates, boolean skipLocked) {
        if (candidates != null && candidates.isEmpty()) {
            return 0;
        }
        Chunk chunk = kb.chunk();
        DocumentChunk links = kb.links();
        var unlinked = DSL.notExists(DSL.selectOne().from(links)
                .where(links.TENANT_ID.eq(chunk.TENANT_ID))
                .and(links.KNOWLEDGE_BASE_ID.eq(chunk.KNOWLEDGE_BASE_ID))
                .and(links.CHUNK_ID.eq(chunk.ID)));
        var select = tx.select(chunk.ID).from(chunk)
                .where(chunk.TENANT_ID.eq(tenant))
                .and(chunk.KNOWLEDGE_BASE_ID.eq(kb.id()))
                .and(candidates == null ? unlinked : chunk.ID.eq(DSL.any(candidates.toArray(UUID[]::new))))
                .orderBy(chunk.CONTENT_HASH)
                .forUpdate();
        List<UUID> locked = skipLocked ? select.skipLocked().fetch(chunk.ID) : select.fetch(chunk.ID);
        if (locked.isEmpty()) {
            return 0;
        }
        return tx.deleteFrom(chunk)
                .where(chunk.TENANT_ID.eq(tenant))
                .and(chunk.KNOWLEDGE_BASE_ID.eq(kb.id()))
                .and(chunk.ID.eq(DSL.any(locked.toArray(UUID[]::new))))
                .and(unlinked)
                .execute();
    }

    // ------------------------------------------------------------------------------------------
    // status outside the write transaction

    /** Marks the documents processing with a lease of {@code limits().ingestLease()} (store clock) and no owner. */
    void markProcessing(DSLContext dsl, List<UUID> ids) {
        dsl.update(DOCUMENT)
                .set(DOCUMENT.STATUS, DocumentStatus.PROCESSING.sqlName())
                .setNull(DOCUMENT.ERROR_MESSAGE)
                .set(DOCUMENT.LEASE_EXPIRES_AT, leaseUntil())
                .set(DOCUMENT.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(DOCUMENT.TENANT_ID.eq(tenant))
                .and(DOCUMENT.ID.eq(DSL.any(ids.toArray(UUID[]::new))))
                .execute();
    }

    /**
     * Extends the lease of documents this ingest holds (processing, no owner) by another
     * {@code ingestLease}. Best effort: a failure to renew leaves the lease as it was.
     */
    void renewLease(DSLContext dsl, List<UUID> ids) {
        try {
            dsl.update(DOCUMENT)
                    .set(DOCUMENT.LEASE_EXPIRES_AT, leaseUntil())
                    .where(DOCUMENT.TENANT_ID.eq(tenant))
                    .and(DOCUMENT.ID.eq(DSL.any(ids.toArray(UUID[]::new))))
                    .and(DOCUMENT.STATUS.eq(DocumentStatus.PROCESSING.sqlName()))
                    .and(DOCUMENT.LEASE_OWNER.isNull())
                    .execute();
        } catch (RuntimeException ignored) {
            // the ingest goes on; recovery reports the document if the lease runs out
        }
    }

    private java.time.OffsetDateTime leaseUntil() {
        return java.time.OffsetDateTime.ofInstant(context.clock().instant().plus(context.limits().ingestLease())
                .truncatedTo(java.time.temporal.ChronoUnit.MICROS), java.time.ZoneOffset.UTC);
    }

    /** Renews the ingest's lease once more than half of it has passed since it was last set. */
    private Runnable leaseKeeper(DSLContext dsl, List<UUID> ids) {
        java.time.Duration half = context.limits().ingestLease().dividedBy(2);
        java.time.Instant[] since = {context.clock().instant()};
        return () -> {
            java.time.Instant now = context.clock().instant();
            if (java.time.Duration.between(since[0], now).compareTo(half) > 0) {
                renewLease(dsl, ids);
                since[0] = now;
            }
        };
    }

    /** Best effort: the original failure matters more than a failure to record it. */
    void markFailed(DSLContext dsl, List<UUID> ids, String message) {
        String m = message == null ? "ingestion failed" : message.length() > 2000 ? message.substring(0, 2000) : message;
        try {
            dsl.update(DOCUMENT)
                    .set(DOCUMENT.STATUS, DocumentStatus.FAILED.sqlName())
                    .set(DOCUMENT.ERROR_MESSAGE, m)
                    .set(DOCUMENT.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(DOCUMENT.TENANT_ID.eq(tenant))
                    .and(DOCUMENT.ID.eq(DSL.any(ids.toArray(UUID[]::new))))
                    .execute();
        } catch (RuntimeException ignored) {
            // the caller rethrows the ingestion failure
        }
    }
}
