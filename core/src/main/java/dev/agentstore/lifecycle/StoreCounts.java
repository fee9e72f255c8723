package dev.agentstore.lifecycle;

import static dev.agentstore.schema.Tables.CHUNK;
import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;
import static dev.agentstore.schema.Tables.CONVERSATION_SESSION;
import static dev.agentstore.schema.Tables.DOCUMENT;
import static dev.agentstore.schema.Tables.KNOWLEDGE_BASE;
import static dev.agentstore.schema.Tables.MEMORY;
import static dev.agentstore.schema.Tables.MEMORY_ENTRY;

import dev.agentstore.AgentStoreException;
import dev.agentstore.TenantId;
import dev.agentstore.document.DocumentStatus;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.schema.Agentstore;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record4;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Cheap counts of one tenant's rows and the store's table and index sizes.
 *
 * <pre>{@code
 * TenantCounts c = store.counts("acme").tenant();
 * c.messages().value();      // exact when small, else PostgreSQL's estimate (c.messages().exact() says which)
 * List<TableSize> sizes = store.counts("acme").tableSizes();
 * }</pre>
 *
 * <p>How a count is made: first the planner's estimate of the rows of this tenant (what PostgreSQL's
 * statistics give, from {@code ANALYZE}/autovacuum: no table access); when that estimate is at most
 * {@link #exactThreshold()} rows, the rows are counted exactly (through an index leading with
 * {@code tenant_id}, so cost grows with this tenant's rows, never with the table); above it the
 * estimate is returned, marked {@code exact = false}. Estimates are as fresh as the last
 * {@code ANALYZE}; a table never analysed is estimated from its size.
 *
 * <p>Thread-safe and immutable; obtained from {@code store.counts(tenant)}.
 */
public final class StoreCounts {

    /** Up to this many estimated rows a count is exact unless told otherwise. */
    public static final long DEFAULT_EXACT_THRESHOLD = 100_000;

    private final DSLContext dsl;
    private final String tenant;
    private final long exactThreshold;

    /**
     * The counts of one tenant; obtained from {@code store.counts(tenant)}.
     *
     * @throws NullPointerException when an argument is null
     */
    StoreCounts(StoreContext context, TenantId tenant) {
        this(Objects.requireNonNull(context, "context").dsl(), Objects.requireNonNull(tenant, "tenant").value(),
                DEFAULT_EXACT_THRESHOLD);
    }

    private StoreCounts(DSLContext dsl, String tenant, long exactThreshold) {
        this.dsl = dsl;
        this.tenant = tenant;
        this.exactThreshold = exactThreshold;
    }

    /**
     * Up to this many estimated rows a count is exact.
     *
     * @return up to this many estimated rows a count is exact
     */
    public long exactThreshold() {
        return exactThreshold;
    }

    /**
     * A copy counting exactly up to this many estimated rows (0: estimates only; {@code Long.MAX_VALUE}:
     * always exact, which scans this tenant's rows).
     *
     * @param threshold the threshold
     * @return a copy counting exactly up to this many estimated rows
     * @throws dev.agentstore.InvalidInputException when threshold is negative
     */
    public StoreCounts withExactThreshold(long threshold) {
        dev.agentstore.internal.Checks.nonNegative(threshold, "exactThreshold");
        return new StoreCounts(dsl, tenant, threshold);
    }

    /**
     * This tenant's sessions, messages, knowledge bases, documents by status, chunks, key/value entries
     * and semantic memories.
     *
     * @return this tenant's sessions, messages, knowledge bases, documents by status, chunks, key/value entries
     *         and semantic memories
     * @throws AgentStoreException when the database fails
     */
    public TenantCounts tenant() {
        Map<DocumentStatus, Count> byStatus = new EnumMap<>(DocumentStatus.class);
        for (DocumentStatus status : DocumentStatus.values()) {
            byStatus.put(status, count(DOCUMENT, DOCUMENT.TENANT_ID, DOCUMENT.STATUS.eq(status.sqlName())));
        }
        return new TenantCounts(
                count(CONVERSATION_SESSION, CONVERSATION_SESSION.TENANT_ID, DSL.noCondition()),
                count(CONVERSATION_MESSAGE, CONVERSATION_MESSAGE.TENANT_ID, DSL.noCondition()),
                count(KNOWLEDGE_BASE, KNOWLEDGE_BASE.TENANT_ID, DSL.noCondition()),
                byStatus,
                count(CHUNK, CHUNK.TENANT_ID, DSL.noCondition()),
                count(MEMORY_ENTRY, MEMORY_ENTRY.TENANT_ID, DSL.noCondition()),
                count(MEMORY, MEMORY.TENANT_ID, DSL.noCondition()));
    }

    /** The rows of this tenant in this table matching the condition: estimated, and exact when few. */
    Count count(Table<?> table, Field<String> tenantField, Condition which) {
        Condition where = tenantField.eq(tenant).and(which);
        long estimate = run(() -> Math.round(dsl.explain(dsl.selectOne().from(table).where(where)).rows()));
        if (estimate > exactThreshold) {
            return new Count(estimate, false);
        }
        return new Count(run(() -> (long) dsl.fetchCount(table, where)), true);
    }

    /**
     * Size on disk of every agentstore table (partitions summed into their table), largest first: rows
     * (PostgreSQL's estimate over all tenants), heap and TOAST bytes, index bytes, total.
     *
     * @return size on disk of every agentstore table
     * @throws AgentStoreException when the database fails
     */
    public List<TableSize> tableSizes() {
        List<TableSize> sizes = new ArrayList<>();
        for (Table<?> table : Agentstore.AGENTSTORE.getTables()) {
            Field<String> name = DSL.val(dsl.render(table));
            Field<BigDecimal> rows = DSL.field("coalesce(sum(greatest(c.reltuples, 0)), 0)::numeric", SQLDataType.NUMERIC);
            Field<BigDecimal> heap = DSL.field("coalesce(sum(pg_table_size(c.oid)), 0)::numeric", SQLDataType.NUMERIC);
            Field<BigDecimal> index = DSL.field("coalesce(sum(pg_indexes_size(c.oid)), 0)::numeric", SQLDataType.NUMERIC);
            Field<BigDecimal> total = DSL.field("coalesce(sum(pg_total_relation_size(c.oid)), 0)::numeric", SQLDataType.NUMERIC);
            // a plain table is its own only leaf; pg_partition_tree lists the leaves of a partitioned one
            Record4<BigDecimal, BigDecimal, BigDecimal, BigDecimal> r = run(() -> dsl.select(rows, heap, index, total)
                    .from(DSL.table("pg_catalog.pg_class").as("c"))
                    .where(DSL.condition("(c.oid = {0}::regclass AND c.relkind = 'r') OR c.oid IN "
                            + "(SELECT relid FROM pg_catalog.pg_partition_tree({0}::regclass) WHERE isleaf)", name))
                    .fetchSingle());
            sizes.add(new TableSize(table.getName(), r.value1().longValue(), r.value2().longValue(), r.value3().longValue(),
                    r.value4().longValue()));
        }
        sizes.sort((a, b) -> Long.compare(b.totalBytes(), a.totalBytes()));
        return List.copyOf(sizes);
    }

    private <T> T run(Supplier<T> body) {
        try {
            return body.get();
        } catch (DataAccessException e) {
            throw SqlErrors.translate(e, "count the rows of tenant '" + tenant + "'");
        }
    }
}
