package dev.agentstore.knowledge;

/**
 * pgvector's iterative index scans ({@code hnsw.iterative_scan}, pgvector 0.8+): when the rows the
 * HNSW index returns are filtered away (other tenants, other knowledge bases, a selective filter), the
 * scan continues through the graph until the search has enough rows, up to
 * {@code hnsw.max_scan_tuples}.
 */
public enum IterativeScan {
    /** No iterative scan: a filtered search may return fewer than k hits. */
    OFF("off"),
    /** Continue scanning; rows may come slightly out of order, and agentstore re-sorts them (the default). */
    RELAXED_ORDER("relaxed_order"),
    /** Continue scanning, keeping exact distance order (slower than relaxed). */
    STRICT_ORDER("strict_order");

    private final String setting;

    IterativeScan(String setting) {
        this.setting = setting;
    }

    /** The value of {@code hnsw.iterative_scan}. */
    String setting() {
        return setting;
    }
}
