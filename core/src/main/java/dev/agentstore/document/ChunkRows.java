package dev.agentstore.document;

import dev.agentstore.ContentHash;
import dev.agentstore.internal.BinaryCopy;
import dev.agentstore.internal.CopyIn;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.schema.tables.ChunkTable;
import dev.agentstore.schema.tables.DocumentChunkTable;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep6;
import org.jooq.InsertValuesStep7;
import org.jooq.JSONB;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * The chunk and link rows of one knowledge base's partitions: which content exists, locking it, inserting
 * new content (multi-row INSERT, or binary COPY through a staging table), writing the links of documents, and
 * removing content no document links to any more. Thread-safe; every method runs in the caller's transaction.
 */
final class ChunkRows {

    /** Rows per multi-row INSERT statement (keeps bind parameters far below PostgreSQL's 65,535). */
    private static final int ROWS_PER_STATEMENT = 1000;
    private static final String STAGING = "agentstore_chunk_staging";

    private final StoreContext context;
    private final String tenant;

    ChunkRows(StoreContext context, String tenant) {
        this.context = context;
        this.tenant = tenant;
    }

    Set<ContentHash> presentHashes(DSLContext dsl, KbStorage kb, Collection<ContentHash> hashes) {
        ChunkTable chunk = kb.chunk();
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
    Map<ContentHash, UUID> lockContent(DSLContext tx, KbStorage kb, Collection<ContentHash> hashes) {
        ChunkTable chunk = kb.chunk();
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

    void insertChunks(DSLContext tx, KbStorage kb, List<ContentHash> sorted, Map<ContentHash, ChunkSource> sources,
            Map<ContentHash, float[]> vectors, Map<ContentHash, UUID> insertedIds) {
        ChunkTable chunk = kb.chunk();
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
    void copyChunks(DSLContext tx, KbStorage kb, List<ContentHash> sorted, Map<ContentHash, ChunkSource> sources,
            Map<ContentHash, float[]> vectors, Map<ContentHash, UUID> insertedIds) {
        ChunkTable chunk = kb.chunk();
        tx.execute("create temporary table " + STAGING + " (content_hash bytea not null, content text, "
                + "embedding vector not null) on commit drop");
        tx.connection(c -> {
            PGConnection pg = c.unwrap(PGConnection.class);
            try (PGCopyOutputStream out = new PGCopyOutputStream(pg, "copy " + STAGING
                    + " (content_hash, content, embedding) from stdin (format binary)", 1 << 16)) {
                    BinaryCopy w = new BinaryCopy(out);
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

    void insertLinks(DSLContext tx, KbStorage kb, List<PreparedDocument> docs, Map<String, UUID> documentIds,
            Map<ContentHash, UUID> ids) {
        DocumentChunkTable links = kb.links();
        InsertValuesStep6<?, String, UUID, UUID, Integer, UUID, JSONB> insert = null;
        int rows = 0;
        for (PreparedDocument p : docs) {
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
    void copyLinks(DSLContext tx, KbStorage kb, List<PreparedDocument> docs, Map<String, UUID> documentIds,
            Map<ContentHash, UUID> ids) {
        copyLinks(tx, kb, docs, documentIds, ids::get);
    }

    /** Streams links by binary COPY straight into the knowledge base's link partition. */
    void copyLinks(DSLContext tx, KbStorage kb, List<PreparedDocument> docs, Map<String, UUID> documentIds,
            java.util.function.Function<ContentHash, UUID> ids) {
        String table = tx.render(kb.links());
        dev.agentstore.internal.CopyIn.copy(tx, table,
                "tenant_id, knowledge_base_id, document_id, chunk_index, chunk_id, metadata",
                context.rowLevelSecurity(), out -> {
                    BinaryCopy w = new BinaryCopy(out);
                    for (PreparedDocument p : docs) {
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
    int deleteUnlinked(DSLContext tx, KbStorage kb, Collection<UUID> candidates, boolean skipLocked) {
        if (candidates != null && candidates.isEmpty()) {
            return 0;
        }
        ChunkTable chunk = kb.chunk();
        DocumentChunkTable links = kb.links();
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
}
