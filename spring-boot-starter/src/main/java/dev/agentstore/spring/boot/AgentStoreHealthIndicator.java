package dev.agentstore.spring.boot;

import dev.agentstore.AgentStore;
import dev.agentstore.Health;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;

/**
 * Actuator health of agentstore, from {@link AgentStore#health()}: UP when the database answers, pgvector
 * is installed and the schema is migrated; DOWN otherwise (with the exception when the database cannot
 * be reached). Details: PostgreSQL and pgvector versions, schema and its version, embedding dimension,
 * and the pool statistics when the pool is a HikariCP pool.
 */
public class AgentStoreHealthIndicator extends AbstractHealthIndicator {

    private final AgentStore store;

    /** A health indicator over this store. */
    public AgentStoreHealthIndicator(AgentStore store) {
        super("agentstore health check failed");
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    protected void doHealthCheck(org.springframework.boot.health.contributor.Health.Builder builder) {
        Health h = store.health();
        builder.status(h.ok() ? org.springframework.boot.health.contributor.Status.UP
                        : org.springframework.boot.health.contributor.Status.DOWN)
                .withDetail("postgresql", h.serverVersion())
                .withDetail("pgvector", h.pgvectorVersion() == null ? "not installed" : h.pgvectorVersion())
                .withDetail("schema", h.schema())
                .withDetail("schemaVersion", h.schemaVersion() == null ? "not migrated" : h.schemaVersion())
                .withDetail("embeddingDimension", h.embeddingDimension());
        if (h.pool() != null) {
            builder.withDetail("pool", java.util.Map.of("active", h.pool().active(), "idle", h.pool().idle(),
                    "waiting", h.pool().waiting(), "total", h.pool().total(), "maximum", h.pool().maximum()));
        }
    }
}
