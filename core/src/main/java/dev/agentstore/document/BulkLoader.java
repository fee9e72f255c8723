package dev.agentstore.document;

import dev.agentstore.AgentStoreException;
import dev.agentstore.ContentHash;
import dev.agentstore.NotFoundException;
import dev.agentstore.internal.BinaryCopy;
import dev.agentstore.internal.KnowledgeLayout;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.schema.tables.ChunkTable;
import dev.agentstore.schema.tables.DocumentChunkTable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * The bulk path of {@link Documents#ingestAll}: one transaction that holds the knowledge base's writer
 * lock exclusively, streams the new chunks by binary COPY into a new segment of its partition (no index
 * covers that segment yet, so nothing is inserted into a graph row by row), streams the links, and then
 * builds that segment's HNSW and GIN indexes and registers them. Searches see the previous state until
 * commit and are never blocked; other writers of this knowledge base wait.
 */
final class BulkLoader {

    /** ChunkTable positions embedded and written per step (bounds the vectors held in memory). */
    private static final int STEP_CHUNKS = Documents.BULK_GROUP_CHUNKS;

    /**
     * Documents written by one load from which the document table is analyzed before the links are: the links'
     * foreign-key checks are planned from its statistics, and without any for the new rows the planner served
     * each check by a scan of all the knowledge base's documents (quadratic in them).
     */
    static final int ANALYZE_MIN_DOCUMENTS = 200;

    private final StoreContext context;
    private final String tenant;
    private final Ingestor ingestor;
    private final KnowledgeBases knowledgeBases;

    BulkLoader(StoreContext context, String tenant, Ingestor ingestor, KnowledgeBases knowledgeBases) {
        this.context = context;
        this.tenant = tenant;
        this.ingestor = ingestor;
        this.knowledgeBases = knowledgeBases;
    }

    BulkIngestResult load(KbStorage kb, List<PreparedDocument> docs, EmbeddingFunction fn, IngestProgressListener progress,
            long chunksTotal, long start) {
        DSLContext dsl = context.dsl();
        ChunkEmbedder.requireNonZeroUnderCosine(kb, docs);
        if (progress != null) {
            progress.onProgress(new IngestProgress(0, docs.size(), 0, chunksTotal));
        }
        Map<String, ExistingDocument> before;
        try {
            before = readDocuments(dsl, kb, docs);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "ingest " + docs.size() + " documents");
        }
        List<PreparedDocument> changed = Ingestor.changedOnly(docs, before);
        IngestCounters c = new IngestCounters();
        if (changed.isEmpty()) {
            c.unchanged = docs.size();
            if (progress != null) {
                progress.onProgress(new IngestProgress(docs.size(), docs.size(), chunksTotal, chunksTotal));
            }
            return result(c, start);
        }
        List<UUID> existingChanged = new ArrayList<>();
        for (PreparedDocument p : changed) {
            ExistingDocument ex = before.get(p.uri());
            if (ex != null) {
                existingChanged.add(ex.id());
            }
        }
        int[] closed = {-1};
        try {
            if (!existingChanged.isEmpty()) {
                ingestor.documentRows().markProcessing(dsl, existingChanged);
            }
            dsl.transaction(cfg -> closed[0] = write(DSL.using(cfg), kb, docs, fn, progress, chunksTotal, c));
        } catch (RuntimeException e) {
            AgentStoreException failure = SqlErrors.translate(e, "ingest " + docs.size() + " documents");
            if (!existingChanged.isEmpty()) {
                ingestor.documentRows().markFailed(dsl, existingChanged, failure.getMessage());
            }
            throw failure;
        }
        if (closed[0] > context.limits().maxIndexRanges()) {
            compactIfNeeded(kb.id());
        }
        return result(c, start);
    }

    private static BulkIngestResult result(IngestCounters c, long start) {
        return new BulkIngestResult(c.created, c.updated, c.unchanged, c.inserted, c.reused, c.removed, c.embeddingCalls,
                c.textsEmbedded, Duration.ofNanos(System.nanoTime() - start));
    }

    private Map<String, ExistingDocument> readDocuments(DSLContext dsl, KbStorage kb, List<PreparedDocument> docs) {
        Map<String, ExistingDocument> all = new HashMap<>();
        for (int from = 0; from < docs.size(); from += 1000) {
            all.putAll(ingestor.documentRows().readDocuments(dsl, kb, docs.subList(from, Math.min(docs.size(), from + 1000)), false));
        }
        return all;
    }

    /**
     * The transaction; returns the knowledge base's closed index ranges after it (-1 when no segment
     * was loaded). Documents and links are written last, after the index builds: a document writer lock
     * (ROW EXCLUSIVE on {@code document}) held through the builds would hold up every knowledge-base
     * creation of the store (it locks {@code document} to attach its link partition) for that long.
     */
    private int write(DSLContext tx, KbStorage kb, List<PreparedDocument> docs, EmbeddingFunction fn,
            IngestProgressListener progress, long chunksTotal, IngestCounters counters) {
        ingestor.locks().lockWriter(tx, kb.id(), true);
        // read under the lock: a compaction that ran meanwhile changed the ranges
        KnowledgeLayout layout = KnowledgeLayout.load(tx, context.schema(), tenant, List.of(kb.id())).get(kb.id());
        if (layout == null) {
            throw new NotFoundException("knowledge base " + kb.id() + " not found");
        }
        Map<String, ExistingDocument> current = readDocuments(tx, kb, docs);
        Map<ContentHash, UUID> ids = new HashMap<>();
        Set<ContentHash> distinct = new HashSet<>();
        List<PreparedDocument> written = new ArrayList<>();
        Integer segment = null;
        int docsDone = 0;
        long chunksDone = 0;
        int from = 0;
        while (from < docs.size()) {
            int to = from;
            long chunks = 0;
            while (to < docs.size() && (to == from || chunks + docs.get(to).hashes().length <= STEP_CHUNKS)) {
                chunks += docs.get(to).hashes().length;
                to++;
            }
            List<PreparedDocument> step = docs.subList(from, to);
            List<PreparedDocument> toWrite = Ingestor.changedOnly(step, current);
            counters.unchanged += step.size() - toWrite.size();
            if (!toWrite.isEmpty()) {
                segment = loadStep(tx, kb, toWrite, fn, ids, distinct, segment, counters);
                written.addAll(toWrite);
            }
            docsDone += to - from;
            chunksDone += chunks;
            if (progress != null) {
                progress.onProgress(new IngestProgress(docsDone, docs.size(), chunksDone, chunksTotal));
            }
            from = to;
        }
        int closed = segment == null ? -1 : buildSegment(tx, layout, segment, counters.inserted);
        Set<UUID> previousContent = new HashSet<>();
        if (!written.isEmpty()) {
            List<UUID> replaced = new ArrayList<>();
            for (PreparedDocument p : written) {
                ExistingDocument ex = current.get(p.uri());
                if (ex != null) {
                    replaced.add(ex.id());
                }
            }
            if (!replaced.isEmpty()) {
                DocumentChunkTable links = kb.links();
                previousContent.addAll(tx.deleteFrom(links)
                        .where(links.TENANT_ID.eq(tenant))
                        .and(links.KNOWLEDGE_BASE_ID.eq(kb.id()))
                        .and(links.DOCUMENT_ID.eq(DSL.any(replaced.toArray(UUID[]::new))))
                        .returning(links.CHUNK_ID)
                        .fetch(links.CHUNK_ID));
            }
            Map<String, UUID> documentIds = ingestor.documentRows().writeDocuments(tx, kb, written, current, counters);
            if (written.size() >= ANALYZE_MIN_DOCUMENTS) {
                analyzeDocuments(tx, kb);
            }
            ingestor.chunkRows().copyLinks(tx, kb, written, documentIds, ids::get);
        }
        previousContent.removeAll(ids.values());
        counters.removed += ingestor.chunkRows().deleteUnlinked(tx, kb, previousContent, false);
        counters.reused += distinct.size() - counters.inserted;
        return closed;
    }

    /**
     * Indexes the loaded segment: a GIN index always, an HNSW graph only when the knowledge base is too
     * large to be searched exactly; then the graph also covers the earlier ranges loaded without one (all
     * of them hold fewer rows than the exact-search threshold together). Returns the closed ranges after it.
     */
    private int buildSegment(DSLContext tx, KnowledgeLayout layout, int segment, long inserted) {
        boolean graph = knowledgeBases.graphNeeded(tx, layout, inserted);
        int from = segment;
        if (graph) {
            for (KnowledgeLayout.IndexRange r : layout.ranges()) {
                if (r.from() > 0 && !r.vectorIndexed()) {
                    from = Math.min(from, r.from());
                }
            }
        }
        knowledgeBases.buildRange(tx, layout.knowledgeBaseId(), from, segment, graph);
        int closed = 1;
        for (KnowledgeLayout.IndexRange r : layout.ranges()) {
            if (r.from() > 0 && r.to() < from) {
                closed++;
            }
        }
        return closed;
    }

    /** Embeds the content of one step the knowledge base lacks and streams it into the segment (taken at the first row). */
    private Integer loadStep(DSLContext tx, KbStorage kb, List<PreparedDocument> toWrite, EmbeddingFunction fn,
            Map<ContentHash, UUID> ids, Set<ContentHash> distinct, Integer segment, IngestCounters counters) {
        LinkedHashMap<ContentHash, ChunkSource> needed = Ingestor.distinctContent(toWrite);
        distinct.addAll(needed.keySet());
        List<ContentHash> unresolved = new ArrayList<>();
        for (ContentHash h : needed.keySet()) {
            if (!ids.containsKey(h)) {
                unresolved.add(h);
            }
        }
        ids.putAll(existingIds(tx, kb, unresolved));
        List<ContentHash> missing = new ArrayList<>();
        for (ContentHash h : unresolved) {
            if (!ids.containsKey(h)) {
                missing.add(h);
            }
        }
        if (!missing.isEmpty()) {
            Map<ContentHash, float[]> vectors = new HashMap<>();
            ingestor.embedder().embed(missing, needed, fn, vectors, counters, kb);
            ChunkEmbedder.requireNonZeroUnderCosine(kb, missing, needed, vectors);
            if (segment == null) {
                segment = beginBulk(tx, kb);
            }
            copyChunks(tx, kb, segment, missing, needed, vectors, ids);
            counters.inserted += missing.size();
        }
        return segment;
    }

    private Map<ContentHash, UUID> existingIds(DSLContext tx, KbStorage kb, List<ContentHash> hashes) {
        Map<ContentHash, UUID> out = new HashMap<>();
        ChunkTable chunk = kb.chunk();
        for (int from = 0; from < hashes.size(); from += 10_000) {
            List<ContentHash> part = hashes.subList(from, Math.min(hashes.size(), from + 10_000));
            for (var r : tx.select(chunk.CONTENT_HASH, chunk.ID).from(chunk)
                    .where(chunk.TENANT_ID.eq(tenant))
                    .and(chunk.KNOWLEDGE_BASE_ID.eq(kb.id()))
                    .and(chunk.CONTENT_HASH.eq(DSL.any(ChunkRows.hashArray(part))))
                    .fetch()) {
                out.put(ContentHash.fromBytes(r.value1()), r.value2());
            }
        }
        return out;
    }

    /**
     * Refreshes the planner's statistics of {@code document} (through the schema's function: ANALYZE needs
     * the table's owner), so that the links' foreign-key checks use the unique key. Holds SHARE UPDATE
     * EXCLUSIVE on {@code document} until commit; the loader holds ROW EXCLUSIVE on it from the document rows on
     * anyway.
     */
    private void analyzeDocuments(DSLContext tx, KbStorage kb) {
        tx.select(DSL.function(DSL.name(context.schema(), "knowledge_storage_analyze_documents"), SQLDataType.OTHER,
                DSL.val(tenant), DSL.val(kb.id()))).fetch();
    }

    /** Locks the chunk partition against other writers and takes a new segment number. */
    private Integer beginBulk(DSLContext tx, KbStorage kb) {
        return tx.select(DSL.function(DSL.name(context.schema(), "knowledge_storage_begin_bulk"), SQLDataType.INTEGER,
                DSL.val(tenant), DSL.val(kb.id()))).fetchSingle().value1();
    }

    private void copyChunks(DSLContext tx, KbStorage kb, int segment, List<ContentHash> hashes,
            Map<ContentHash, ChunkSource> sources, Map<ContentHash, float[]> vectors, Map<ContentHash, UUID> ids) {
        String table = tx.render(kb.chunk());
        KnowledgeLayout layout = kb.layout();
        // under row-level security COPY FROM is refused: CopyIn stages through a temporary table then
        dev.agentstore.internal.CopyIn.copy(tx, table, "tenant_id, id, knowledge_base_id, content_hash, content, embedding, "
                + "distance_metric, text_search_config, segment", context.rowLevelSecurity(), out -> {
                    BinaryCopy w = new BinaryCopy(out);
                    for (ContentHash h : hashes) {
                        UUID id = UUID.randomUUID();
                        ids.put(h, id);
                        w.row(9);
                        w.text(tenant);
                        w.uuid(id);
                        w.uuid(kb.id());
                        w.bytea(h.bytes());
                        w.text(sources.get(h).text());
                        w.vector(vectors.get(h));
                        w.text(layout.metric());
                        w.text(layout.textSearchConfig());
                        w.int4(segment);
                    }
                    w.finish();
                });
    }

    /** After a bulk load: merges the knowledge base's index ranges when there are more than maxIndexRanges. */
    private void compactIfNeeded(UUID kb) {
        int max = context.limits().maxIndexRanges();
        try {
            context.dsl().transaction(cfg -> {
                DSLContext tx = DSL.using(cfg);
                ingestor.locks().lockWriter(tx, kb, true);
                KnowledgeLayout layout = knowledgeBases.kb(kb, "knowledge base " + kb).layout();
                knowledgeBases.compactLocked(tx, layout, max + 1);
            });
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "compact knowledge base " + kb + " after a bulk load (the load itself is committed)");
        }
    }
}
