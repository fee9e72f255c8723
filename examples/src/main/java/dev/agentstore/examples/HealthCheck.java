package dev.agentstore.examples;

import dev.agentstore.AgentStore;

/**
 * HealthCheck: the smallest program. Connects (to {@code AGENTSTORE_JDBC_URL}, or to the embedded default when it
 * is not set), migrates, and prints the health report: server, pgvector and schema versions, the embedding
 * dimension and the pool. Run it to check that agentstore reaches your database.
 *
 * <p>Run: {@code mvn -q -pl examples -am -DskipTests package exec:exec -Dexample=HealthCheck}
 */
public final class HealthCheck {

    private HealthCheck() {
    }

    public static void main(String[] args) {
        try (AgentStore store = ExampleDatabase.builder(384).build()) {
            System.out.println(store.health().report());
        }
    }
}
