package dev.agentstore.document;

import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The transaction-scoped advisory locks that order the writers of a knowledge base: its writer lock
 * (shared for row-by-row writers, exclusive for bulk loads, compactions and drops), the lock of each source
 * URI, and the removal lock of transactions that may delete content. Thread-safe.
 */
final class WriterLocks {

    private final String tenant;

    WriterLocks(String tenant) {
        this.tenant = tenant;
    }

    /** Serialises writers of the same (tenant, knowledge base, source URI), locking in a fixed order. */
    void lockSources(DSLContext tx, KbStorage kb, List<PreparedDocument> docs) {
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
}
