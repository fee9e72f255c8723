package dev.agentstore.document;

import static dev.agentstore.schema.Tables.DOCUMENT;

import dev.agentstore.internal.StoreContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record5;
import org.jooq.impl.DSL;

/**
 * The document rows of an ingestion: reading them before writing, inserting and updating them, and
 * marking them processing or failed outside the write transaction. Thread-safe.
 */
final class DocumentRows {

    /** Rows per multi-row INSERT statement (keeps bind parameters far below PostgreSQL's 65,535). */
    private static final int ROWS_PER_STATEMENT = 1000;

    private final StoreContext context;
    private final String tenant;

    DocumentRows(StoreContext context, String tenant) {
        this.context = context;
        this.tenant = tenant;
    }

    Map<String, ExistingDocument> readDocuments(DSLContext dsl, KbStorage kb, List<PreparedDocument> docs, boolean forUpdate) {
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
        Map<String, ExistingDocument> map = new HashMap<>();
        for (Record5<String, UUID, byte[], String, String> r : rows) {
            map.put(r.value1(), new ExistingDocument(r.value2(), r.value3(), r.value4(), r.value5()));
        }
        return map;
    }

    Map<String, UUID> writeDocuments(DSLContext tx, KbStorage kb, List<PreparedDocument> toWrite, Map<String, ExistingDocument> current,
            IngestCounters counters) {
        Map<String, UUID> ids = new HashMap<>();
        List<Query> updates = new ArrayList<>();
        List<PreparedDocument> inserts = new ArrayList<>();
        String completed = DocumentStatus.COMPLETED.sqlName();
        for (PreparedDocument p : toWrite) {
            ExistingDocument ex = current.get(p.uri());
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
            for (PreparedDocument p : inserts.subList(from, Math.min(inserts.size(), from + ROWS_PER_STATEMENT))) {
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
    Runnable leaseKeeper(DSLContext dsl, List<UUID> ids) {
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
