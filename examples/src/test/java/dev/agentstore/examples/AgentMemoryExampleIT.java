package dev.agentstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentMemoryExampleIT {

    @Test
    void the_example_shows_a_version_conflict_and_recall_ranked_by_recency_and_importance() throws Exception {
        String out = ExampleOutput.of(() -> AgentMemoryExample.main(new String[0]));

        assertThat(out).contains(
                "conflict: expected version 1, found 2",
                "trip v2 = {\"city\": \"Lisbon\", \"nights\": 4}",
                "draft expires at 2026-05-04T10:00:00Z",
                "remembered again: reinforced=true, count=2, importance=0.95");
        // recency lifts the recent episode and importance the allergy above the most similar memory
        assertThat(out).containsSubsequence(
                "ranked by similarity, importance and recency:",
                "1.063  (similarity 0.516, importance 0.30, recency 0.794)  Alice asked for Lisbon dinner ideas with a view",
                "0.863  (similarity 0.289, importance 0.95, recency 0.198)  Alice is allergic to peanuts",
                "0.777  (similarity 0.577, importance 0.20, recency 0.198)  Alice liked a seafood dinner in Lisbon",
                "ranked by similarity alone:",
                "0.577  Alice liked a seafood dinner in Lisbon (recalled 2 times)",
                "0.516  Alice asked for Lisbon dinner ideas with a view (recalled 2 times)",
                "0.289  Alice is allergic to peanuts (recalled 2 times)");
    }
}
