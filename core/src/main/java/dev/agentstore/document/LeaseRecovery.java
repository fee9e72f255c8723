package dev.agentstore.document;

import dev.agentstore.AgentStoreException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.TenantId;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.internal.Timing;
import dev.agentstore.observe.Operation;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Store-wide recovery of documents whose processing lease expired, for an operator or a scheduler: every
 * tenant in one call, in batches of short transactions, with counts per tenant. What happens to each
 * document is what {@code DocumentPipeline.recoverExpired} does for one tenant (retried while it has
 * attempts left, else failed with a message naming the worker, the expiry and the attempts).
 *
 * <pre>{@code
 * LeaseRecoveryResult r = store.leaseRecovery().recoverExpired(3);
 * r.perTenant().forEach((tenant, c) -> log.info("{}: {} retried, {} failed", tenant, c.retried(), c.failed()));
 * }</pre>
 *
 * <p>It works for the runtime role bound by row-level security too: the sweep runs in the database
 * function {@code document_recover_expired} ({@code SECURITY DEFINER}, owned by the schema owner), which
 * returns only the tenant and the new status of each document it recovered. Each batch takes the longest-expired documents first and skips
 * those another transaction holds ({@code FOR UPDATE SKIP LOCKED}), so two sweeps running at once never
 * recover a document twice and never wait for each other.
 *
 * <p>Thread-safe and immutable; obtained from {@code store.leaseRecovery()}.
 */
public final class LeaseRecovery {

    /** Documents per transaction unless told otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 500;
    /** Largest batch. */
    public static final int MAX_BATCH_SIZE = 100_000;
    /** Most attempts a document may be given. */
    public static final int MAX_ATTEMPTS = 100;

    private final StoreContext context;
    private final int batchSize;

    /** The store-wide recovery; created by {@code store.leaseRecovery()}. */
    LeaseRecovery(StoreContext context) {
        this(Objects.requireNonNull(context, "context"), DEFAULT_BATCH_SIZE);
    }

    private final Timing timing;

    private LeaseRecovery(StoreContext context, int batchSize) {
        this.timing = Timing.of(context);
        this.context = context;
        this.batchSize = batchSize;
    }

    /**
     * Documents per transaction.
     *
     * @return documents per transaction
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * A copy recovering this many documents per transaction.
     *
     * @param newBatchSize the new batch size
     * @return a copy recovering this many documents per transaction
     * @throws InvalidInputException when batchSize is not between 1 and {@value #MAX_BATCH_SIZE}
     */
    public LeaseRecovery withBatchSize(int newBatchSize) {
        Checks.range(newBatchSize, 1, MAX_BATCH_SIZE, "batchSize");
        return new LeaseRecovery(context, newBatchSize);
    }

    /**
     * Recovers every document of every tenant whose processing lease expired before now (the store's
     * clock), a batch per transaction, until none is left.
     *
     * @param maxAttempts claims a document gets before it fails; 1 to {@value #MAX_ATTEMPTS}
     * @return per tenant how many went back to pending and how many failed; the number of transactions
     * @throws InvalidInputException when maxAttempts is out of range
     * @throws AgentStoreException when the database fails; batches already committed stay recovered, call again
     */
    public LeaseRecoveryResult recoverExpired(int maxAttempts) {
        return timing.call(Operation.LEASE_RECOVERY, () -> recoverExpiredUntimed(maxAttempts));
    }

    private LeaseRecoveryResult recoverExpiredUntimed(int maxAttempts) {
        Checks.range(maxAttempts, 1, MAX_ATTEMPTS, "maxAttempts");
        OffsetDateTime now = odt(context.clock().instant());
        Map<String, long[]> counts = new TreeMap<>();
        int batches = 0;
        while (true) {
            String[][] rows = recoverBatch(context, null, now, maxAttempts, batchSize);
            int n = rows[0].length;
            if (n == 0) {
                break;
            }
            batches++;
            for (int i = 0; i < n; i++) {
                long[] c = counts.computeIfAbsent(rows[0][i], t -> new long[2]);
                c[DocumentStatus.PENDING.sqlName().equals(rows[1][i]) ? 0 : 1]++;
            }
            if (n < batchSize) {
                break;
            }
        }
        Map<TenantId, LeaseRecoveryResult.TenantRecovery> perTenant = new LinkedHashMap<>();
        counts.forEach((t, c) -> perTenant.put(TenantId.of(t), new LeaseRecoveryResult.TenantRecovery(c[0], c[1])));
        return new LeaseRecoveryResult(perTenant, batches);
    }

    /**
     * One batch of {@code document_recover_expired}: the tenants and the new statuses of the documents it
     * recovered, as two arrays of one length.
     */
    static String[][] recoverBatch(StoreContext context, String tenant, OffsetDateTime now, int maxAttempts, int batchSize) {
        try {
            Record r = context.dsl().resultQuery("select tenant_ids, statuses from {0}({1}, {2}, {3}, {4})",
                    DSL.name(context.schema(), "document_recover_expired"), DSL.val(tenant, SQLDataType.CLOB),
                    DSL.val(now, SQLDataType.TIMESTAMPWITHTIMEZONE), DSL.val(maxAttempts), DSL.val(batchSize)).fetchSingle();
            return new String[][] {r.get(0, String[].class), r.get(1, String[].class)};
        } catch (DataAccessException e) {
            throw SqlErrors.translate(e, "recover documents whose processing lease expired");
        }
    }

    private static OffsetDateTime odt(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }
}
