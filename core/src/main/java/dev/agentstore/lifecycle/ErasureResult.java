package dev.agentstore.lifecycle;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an erasure deleted.
 *
 * @param deleted rows deleted per table (table name without schema), in the order they were erased;
 *                unmodifiable; a table with nothing to delete shows 0
 * @param transactions how many transactions it took (each short: at most one batch of rows)
 * @param longestTransaction the longest of them, measured around the statement by the caller's
 *                           clock: an upper bound for how long any row lock of the erasure was held
 * @param took wall time of the whole erasure
 */
public record ErasureResult(Map<String, Long> deleted, int transactions, Duration longestTransaction, Duration took) {

    /** Copies deleted, keeping its order. */
    public ErasureResult {
        deleted = Collections.unmodifiableMap(new LinkedHashMap<>(deleted));
    }

    /**
     * Rows deleted over every table.
     *
     * @return rows deleted over every table
     */
    public long total() {
        return deleted.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Rows deleted from this table (name without schema), 0 when none.
     *
     * @param table the table
     * @return rows deleted from this table (name without schema), 0 when none
     */
    public long deletedFrom(String table) {
        return deleted.getOrDefault(table, 0L);
    }
}
