package dev.agentstore.document;

import dev.agentstore.TenantId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one store-wide {@link LeaseRecovery#recoverExpired(int)} did.
 *
 * @param perTenant per tenant with at least one recovered document, in tenant-id order; unmodifiable
 * @param transactions how many batches (transactions) recovered documents
 */
public record LeaseRecoveryResult(Map<TenantId, TenantRecovery> perTenant, int transactions) {

    /** Copies the map, keeping its order. */
    public LeaseRecoveryResult {
        perTenant = Collections.unmodifiableMap(new LinkedHashMap<>(perTenant));
    }

    /**
     * Documents put back to pending, over all tenants.
     *
     * @return documents put back to pending, over all tenants
     */
    public long retried() {
        return perTenant.values().stream().mapToLong(TenantRecovery::retried).sum();
    }

    /**
     * Documents marked failed, over all tenants.
     *
     * @return documents marked failed, over all tenants
     */
    public long failed() {
        return perTenant.values().stream().mapToLong(TenantRecovery::failed).sum();
    }

    /**
     * One tenant's share.
     *
     * @param retried documents put back to pending (to be claimed again)
     * @param failed documents marked failed (no attempts left, or abandoned by an ordinary ingest)
     */
    public record TenantRecovery(long retried, long failed) {
    }
}
