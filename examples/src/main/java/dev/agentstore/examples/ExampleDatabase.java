package dev.agentstore.examples;

import dev.agentstore.AgentStore;
import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;

/**
 * How the examples get a database: {@code AGENTSTORE_JDBC_URL} (with {@code AGENTSTORE_JDBC_USER} and
 * {@code AGENTSTORE_JDBC_PASSWORD}) when set, otherwise the embedded default, a throw-away
 * PostgreSQL with pgvector from agentstore's test kit.
 */
final class ExampleDatabase {

    private ExampleDatabase() {
    }

    /**
     * A builder pointed at the example database, migrating on start.
     *
     * @param dimension the embedding dimension the examples use
     */
    static AgentStore.Builder builder(int dimension) {
        AgentStore.Builder builder = AgentStore.builder().migrateOnStart(true).embeddingDimension(dimension);
        String url = System.getenv(AgentStore.ENV_JDBC_URL);
        if (url != null && !url.isBlank()) {
            return builder.fromEnvironment();
        }
        TestPostgres server = TestPostgres.shared();
        // a fresh, empty database: the store migrates it itself, as it would a real one
        TestDatabase db = server.createEmptyDatabase();
        System.out.println("(embedded default: " + server.provider() + ", database " + db.name() + ")");
        return builder.jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(4);
    }
}
