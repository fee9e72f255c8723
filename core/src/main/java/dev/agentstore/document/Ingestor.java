package dev.agentstore.document;

import dev.agentstore.AgentStoreException;
import dev.agentstore.ContentHash;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.schema.tables.ChunkTable;
import dev.agentstore.schema.tables.DocumentChunkTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The row-by-row write path of {@link Documents} ({@code ingest}, and {@code ingestAll} below the bulk-load
 * threshold): finds the content a knowledge base lacks, embeds only that, and writes a group of documents in
 * one transaction, searchable at commit. Also holds the parts the bulk path ({@link BulkLoader}) shares:
 * {@link IngestPreparation}, {@link ChunkEmbedder}, {@link WriterLocks}, {@link ChunkRows}, {@link DocumentRows}.
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

    private final StoreContext context;
    private final String tenant;
    private final IngestPreparation preparation;
    private final ChunkEmbedder embedder;
    private final WriterLocks locks;
    private final ChunkRows chunkRows;
    private final DocumentRows documentRows;

    Ingestor(StoreContext context, String tenant) {
        this.context = context;
        this.tenant = tenant;
        this.preparation = new IngestPreparation(context);
        this.embedder = new ChunkEmbedder(context);
        this.locks = new WriterLocks(tenant);
        this.chunkRows = new ChunkRows(context, tenant);
        this.documentRows = new DocumentRows(context, tenant);
    }

    /** Validation and hashing. */
    IngestPreparation preparation() {
        return preparation;
    }

    /** Calls of the embedding function. */
    ChunkEmbedder embedder() {
        return embedder;
    }

    /** The writer, source and removal locks. */
    WriterLocks locks() {
        return locks;
    }

    /** ChunkTable and link rows. */
    ChunkRows chunkRows() {
        return chunkRows;
    }

    /** Document rows. */
    DocumentRows documentRows() {
        return documentRows;
    }

    /** What happened to one document. */
    record Outcome(UUID documentId, IngestStatus status) {
    }

    /** Signals that content counted on disappeared before it could be locked; the group is retried. */
    private static final class LostRace extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LostRace() {
            super("content was removed concurrently", null, false, false);
        }
    }


    /**
     * Ingests a group of documents (distinct source URIs) in one transaction, retrying lost races.
     *
     * @param copy whether to stream new content and links through binary COPY (bulk) or multi-row INSERTs
     * @param callCounters receives the embedding counts at once and the write counts after commit
     */
    List<Outcome> ingestGroup(KbStorage kb, List<PreparedDocument> docs, EmbeddingFunction fn, boolean copy, IngestCounters callCounters) {
        ChunkEmbedder.requireNonZeroUnderCosine(kb, docs);
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

    private List<Outcome> attempt(KbStorage kb, List<PreparedDocument> docs, EmbeddingFunction fn, boolean copy, IngestCounters callCounters,
            Map<ContentHash, float[]> vectors) {
        DSLContext dsl = context.dsl();
        String what = docs.size() == 1 ? "ingest document '" + docs.get(0).uri() + "'"
                : "ingest " + docs.size() + " documents";
        Map<String, ExistingDocument> before;
        Set<ContentHash> present;
        LinkedHashMap<ContentHash, ChunkSource> needed;
        List<PreparedDocument> changed;
        try {
            before = documentRows.readDocuments(dsl, kb, docs, false);
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
            present = chunkRows.presentHashes(dsl, kb, unknown);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, what);
        }
        List<UUID> existingChanged = new ArrayList<>();
        for (PreparedDocument p : changed) {
            ExistingDocument ex = before.get(p.uri());
            if (ex != null) {
                existingChanged.add(ex.id());
            }
        }
        try {
            if (!existingChanged.isEmpty()) {
                documentRows.markProcessing(dsl, existingChanged);
            }
            List<ContentHash> missing = new ArrayList<>();
            for (ContentHash h : needed.keySet()) {
                if (!present.contains(h) && !vectors.containsKey(h)) {
                    missing.add(h);
                }
            }
            embedder.embed(missing, needed, fn, vectors, callCounters, kb,
                    existingChanged.isEmpty() ? null : documentRows.leaseKeeper(dsl, existingChanged));
            ChunkEmbedder.requireNonZeroUnderCosine(kb, missing, needed, vectors);
            IngestCounters local = new IngestCounters();
            List<Outcome> outcomes = dsl.transactionResult(cfg -> write(DSL.using(cfg), kb, docs, vectors, copy, local));
            callCounters.add(local);
            return outcomes;
        } catch (RuntimeException e) {
            if (retryable(e)) {
                throw e;
            }
            AgentStoreException failure = SqlErrors.translate(e, what);
            if (!existingChanged.isEmpty()) {
                documentRows.markFailed(dsl, existingChanged, failure.getMessage());
            }
            throw failure;
        } catch (Error e) {
            // e.g. OutOfMemoryError from the host's model: never leave the document processing behind
            if (!existingChanged.isEmpty()) {
                documentRows.markFailed(dsl, existingChanged, "cannot " + what + ": the ingestion was aborted by " + e);
            }
            throw e;
        }
    }

    static List<PreparedDocument> changedOnly(List<PreparedDocument> docs, Map<String, ExistingDocument> existing) {
        List<PreparedDocument> changed = new ArrayList<>();
        for (PreparedDocument p : docs) {
            if (!isUnchanged(existing.get(p.uri()), p)) {
                changed.add(p);
            }
        }
        return changed;
    }

    private static boolean isUnchanged(ExistingDocument ex, PreparedDocument p) {
        return ex != null && DocumentStatus.COMPLETED.sqlName().equals(ex.status())
                && Arrays.equals(ex.contentHash(), p.documentHash())
                && (p.input().userId() == null || p.input().userId().equals(ex.userId()));
    }

    private static List<Outcome> unchanged(List<PreparedDocument> docs, Map<String, ExistingDocument> existing, IngestCounters counters) {
        List<Outcome> out = new ArrayList<>(docs.size());
        for (PreparedDocument p : docs) {
            out.add(new Outcome(existing.get(p.uri()).id(), IngestStatus.UNCHANGED));
        }
        counters.unchanged += docs.size();
        return out;
    }

    static LinkedHashMap<ContentHash, ChunkSource> distinctContent(List<PreparedDocument> docs) {
        LinkedHashMap<ContentHash, ChunkSource> needed = new LinkedHashMap<>();
        for (PreparedDocument p : docs) {
            for (int i = 0; i < p.hashes().length; i++) {
                needed.putIfAbsent(p.hashes()[i], new ChunkSource(p, i));
            }
        }
        return needed;
    }


    private List<Outcome> write(DSLContext tx, KbStorage kb, List<PreparedDocument> docs, Map<ContentHash, float[]> vectors, boolean copy,
            IngestCounters counters) {
        DocumentChunkTable links = kb.links();
        locks.lockWriter(tx, kb.id(), false);
        locks.lockSources(tx, kb, docs);
        Map<String, ExistingDocument> current = documentRows.readDocuments(tx, kb, docs, true);
        List<PreparedDocument> toWrite = changedOnly(docs, current);
        for (PreparedDocument p : toWrite) {
            if (current.containsKey(p.uri())) {
                locks.lockRemovals(tx, kb.id()); // a replacement may remove content: see lockRemovals
                break;
            }
        }
        LinkedHashMap<ContentHash, ChunkSource> needed = distinctContent(toWrite);

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
                chunkRows.copyChunks(tx, kb, toInsert, needed, vectors, ids);
            } else {
                chunkRows.insertChunks(tx, kb, toInsert, needed, vectors, ids);
            }
        }
        int inserted = ids.size();
        List<ContentHash> existing = new ArrayList<>();
        for (ContentHash h : needed.keySet()) {
            if (!ids.containsKey(h)) {
                existing.add(h);
            }
        }
        ids.putAll(chunkRows.lockContent(tx, kb, existing));
        if (ids.size() < needed.size()) {
            throw new LostRace();
        }

        List<UUID> replaced = new ArrayList<>();
        for (PreparedDocument p : toWrite) {
            ExistingDocument ex = current.get(p.uri());
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

        Map<String, UUID> documentIds = documentRows.writeDocuments(tx, kb, toWrite, current, counters);
        if (copy) {
            chunkRows.copyLinks(tx, kb, toWrite, documentIds, ids);
        } else {
            chunkRows.insertLinks(tx, kb, toWrite, documentIds, ids);
        }
        previousContent.removeAll(ids.values());
        int removed = chunkRows.deleteUnlinked(tx, kb, previousContent, false);

        counters.inserted += inserted;
        counters.reused += needed.size() - inserted;
        counters.removed += removed;
        List<Outcome> outcomes = new ArrayList<>(docs.size());
        for (PreparedDocument p : docs) {
            ExistingDocument ex = current.get(p.uri());
            if (!toWrite.contains(p)) {
                counters.unchanged++;
                outcomes.add(new Outcome(ex.id(), IngestStatus.UNCHANGED));
            } else {
                outcomes.add(new Outcome(documentIds.get(p.uri()), ex == null ? IngestStatus.CREATED : IngestStatus.UPDATED));
            }
        }
        return outcomes;
    }
}
