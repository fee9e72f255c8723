package dev.agentstore;

/**
 * A snapshot of the database behind a store, from {@link AgentStore#health()}.
 *
 * @param serverVersion PostgreSQL's {@code server_version}
 * @param pgvectorVersion the installed pgvector version, or null when the extension is missing
 * @param schema the agentstore schema
 * @param schemaVersion the applied schema version, or null when not migrated
 * @param embeddingDimension the store's embedding dimension
 * @param pool pool statistics, or null when the data source is not a HikariCP pool
 */
public record Health(String serverVersion, String pgvectorVersion, String schema, String schemaVersion,
        int embeddingDimension, PoolStats pool) {

    /** Whether pgvector is installed and the schema migrated. */
    public boolean ok() {
        return pgvectorVersion != null && schemaVersion != null;
    }

    /** A few lines for a terminal or a log. */
    public String report() {
        return "PostgreSQL      " + serverVersion + "\n"
                + "pgvector        " + (pgvectorVersion == null ? "not installed" : pgvectorVersion) + "\n"
                + "schema          " + schema + " at version " + (schemaVersion == null ? "none (not migrated)" : schemaVersion) + "\n"
                + "embeddings      " + embeddingDimension + " dimensions\n"
                + "pool            " + (pool == null ? "host data source (no statistics)" : pool.toString());
    }
}
