package dev.agentstore;

import java.util.List;

/**
 * A snapshot of the database behind a store, from {@link AgentStore#health()}.
 *
 * @param serverVersion PostgreSQL's {@code server_version}
 * @param pgvectorVersion the installed pgvector version, or null when the extension is missing
 * @param schema the agentstore schema
 * @param schemaVersion the applied schema version, or null when not migrated
 * @param embeddingDimension the store's embedding dimension
 * @param pool pool statistics, or null when the data source is not a HikariCP pool
 * @param migrations agentstore's migrations in version order: applied ones with when and how long,
 *     pending ones this library would run; empty when the history could not be read
 */
public record Health(String serverVersion, String pgvectorVersion, String schema, String schemaVersion,
        int embeddingDimension, PoolStats pool, List<SchemaMigration> migrations) {

    /** Copies the migration list. */
    public Health {
        migrations = migrations == null ? List.of() : List.copyOf(migrations);
    }

    /**
     * A health report without the migration list (as before it was added).
     *
     * @param serverVersion the PostgreSQL version
     * @param pgvectorVersion the pgvector version
     * @param schema the schema name
     * @param schemaVersion the schema version
     * @param embeddingDimension the embedding dimension
     * @param pool the pool statistics, or null
     */
    public Health(String serverVersion, String pgvectorVersion, String schema, String schemaVersion,
            int embeddingDimension, PoolStats pool) {
        this(serverVersion, pgvectorVersion, schema, schemaVersion, embeddingDimension, pool, List.of());
    }

    /**
     * The migrations this library knows and the schema lacks; {@link AgentStore#migrate()} runs them.
     *
     * @return the migrations this library knows and the schema lacks
     */
    public List<SchemaMigration> pendingMigrations() {
        return migrations.stream().filter(m -> m.state() == SchemaMigration.State.PENDING).toList();
    }

    /**
     * The migrations recorded as run successfully (including any by a newer agentstore).
     *
     * @return the migrations recorded as run successfully (including any by a newer agentstore)
     */
    public List<SchemaMigration> appliedMigrations() {
        return migrations.stream().filter(m -> m.state() == SchemaMigration.State.APPLIED
                || m.state() == SchemaMigration.State.NEWER_THAN_LIBRARY).toList();
    }

    /**
     * Whether pgvector is installed and the schema migrated.
     *
     * @return whether pgvector is installed and the schema migrated
     */
    public boolean ok() {
        return pgvectorVersion != null && schemaVersion != null;
    }

    /**
     * A few lines for a terminal or a log.
     *
     * @return a few lines for a terminal or a log
     */
    public String report() {
        return "PostgreSQL      " + serverVersion + "\n"
                + "pgvector        " + (pgvectorVersion == null ? "not installed" : pgvectorVersion) + "\n"
                + "schema          " + schema + " at version " + (schemaVersion == null ? "none (not migrated)" : schemaVersion) + "\n"
                + "migrations      " + appliedMigrations().size() + " applied, " + pendingMigrations().size() + " pending"
                + (migrations.stream().anyMatch(m -> m.state() == SchemaMigration.State.FAILED) ? ", FAILED ones need repair" : "") + "\n"
                + "embeddings      " + embeddingDimension + " dimensions\n"
                + "pool            " + (pool == null ? "host data source (no statistics)" : pool.toString());
    }
}
