package dev.agentstore.document;

import static dev.agentstore.schema.Tables.DOCUMENT;

import dev.agentstore.internal.FilterSql;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.knowledge.Filter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.impl.DSL;

/**
 * Deletes the documents of a knowledge base that pass a {@link Filter}, or all of them, with their chunk
 * links and the content no remaining document uses, in one transaction.
 *
 * <p>Locking follows ingestion's order (writer lock, source locks, removal lock, rows): up to
 * {@value #FINE_LOCK_LIMIT} matching documents take the shared writer lock and one advisory lock per
 * source URI, like {@link Documents#deleteDocument}; more take the knowledge base's exclusive writer lock
 * (as a bulk load does), so a large delete needs no lock per document (the server's lock table is
 * bounded by {@code max_locks_per_transaction}) and writers of this knowledge base wait for it.
 */
final class DocumentDeletion {

    /** Matching documents up to which a delete locks per source URI (as ingestion's write groups do). */
    static final int FINE_LOCK_LIMIT = Documents.BULK_GROUP_DOCUMENTS;

    private final StoreContext context;
    private final String tenant;
    private final Ingestor ingestor;

    DocumentDeletion(StoreContext context, String tenant, Ingestor ingestor) {
        this.context = context;
        this.tenant = tenant;
        this.ingestor = ingestor;
    }

    /** Deletes the documents passing the filter; null filter: every document. */
    DeleteResult delete(KbStorage kb, Filter filter, String what) {
        try {
            return context.dsl().transactionResult(cfg -> {
                DSLContext tx = DSL.using(cfg);
                Condition matches = matches(kb, filter);
                List<Record2<UUID, String>> first = tx.select(DOCUMENT.ID, DOCUMENT.SOURCE_URI).from(DOCUMENT)
                        .where(matches).fetch();
                if (first.isEmpty()) {
                    return new DeleteResult(0, 0);
                }
                List<UUID> ids;
                if (first.size() <= FINE_LOCK_LIMIT) {
                    ingestor.locks().lockWriter(tx, kb.id(), false);
                    String[] keys = new String[first.size()];
                    UUID[] firstIds = new UUID[first.size()];
                    for (int i = 0; i < keys.length; i++) {
                        firstIds[i] = first.get(i).value1();
                        keys[i] = ingestor.locks().sourceLockKey(kb.id(), first.get(i).value2());
                    }
                    WriterLocks.lockKeys(tx, keys);
                    ingestor.locks().lockRemovals(tx, kb.id());
                    // a fresh statement after the locks: documents changed meanwhile are judged as they are now;
                    // documents created meanwhile (their source URIs are not locked) are left alone
                    ids = tx.select(DOCUMENT.ID).from(DOCUMENT)
                            .where(matches).and(DOCUMENT.ID.eq(DSL.any(firstIds)))
                            .orderBy(DOCUMENT.ID).forUpdate().fetch(DOCUMENT.ID);
                } else {
                    // exclusive: no other writer of this knowledge base runs until commit (no finer lock needed)
                    ingestor.locks().lockWriter(tx, kb.id(), true);
                    ids = tx.select(DOCUMENT.ID).from(DOCUMENT).where(matches)
                            .orderBy(DOCUMENT.ID).forUpdate().fetch(DOCUMENT.ID);
                }
                if (ids.isEmpty()) {
                    return new DeleteResult(0, 0);
                }
                UUID[] idArray = ids.toArray(UUID[]::new);
                var links = kb.links();
                Set<UUID> previous = new HashSet<>(tx.deleteFrom(links)
                        .where(links.TENANT_ID.eq(tenant))
                        .and(links.KNOWLEDGE_BASE_ID.eq(kb.id()))
                        .and(links.DOCUMENT_ID.eq(DSL.any(idArray)))
                        .returning(links.CHUNK_ID)
                        .fetch(links.CHUNK_ID));
                int documents = tx.deleteFrom(DOCUMENT)
                        .where(DOCUMENT.TENANT_ID.eq(tenant))
                        .and(DOCUMENT.KNOWLEDGE_BASE_ID.eq(kb.id()))
                        .and(DOCUMENT.ID.eq(DSL.any(idArray)))
                        .execute();
                int chunks = ingestor.chunkRows().deleteUnlinked(tx, kb, new ArrayList<>(previous), false);
                return new DeleteResult(documents, chunks);
            });
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, what);
        }
    }

    private Condition matches(KbStorage kb, Filter filter) {
        Condition c = DOCUMENT.TENANT_ID.eq(tenant).and(DOCUMENT.KNOWLEDGE_BASE_ID.eq(kb.id()));
        if (filter == null) {
            return c;
        }
        return c.and(FilterSql.condition(filter, DOCUMENT, new FilterSql.Binder() {
            @Override
            public <T> org.jooq.Field<T> bind(Object value, org.jooq.DataType<T> type) {
                return DSL.val(value, type);
            }
        }));
    }
}
