package dev.agentstore.examples;

import dev.agentstore.AgentStore;

/**
 * QuickStart: connects (to {@code AGENTSTORE_JDBC_URL}, or to the embedded default when it is not
 * set), migrates, and prints the health report.
 *
 * <p>Run: {@code mvn -q -pl examples -am -DskipTests package exec:exec}
 */
public final class QuickStart {

    private QuickStart() {
    }

    public static void main(String[] args) {
        try (AgentStore store = ExampleDatabase.builder(384).build()) {
            System.out.println(store.health().report());
        }
    }
}
