package dev.agentstore.lifecycle;

/**
 * Size of one agentstore table, its partitions summed.
 *
 * @param table the table name, without schema
 * @param estimatedRows rows over all tenants, PostgreSQL's estimate from the last {@code ANALYZE} (0 before one)
 * @param tableBytes heap and TOAST
 * @param indexBytes every index
 * @param totalBytes everything: heap, TOAST, indexes
 */
public record TableSize(String table, long estimatedRows, long tableBytes, long indexBytes, long totalBytes) {
}
