package dev.agentstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentRunsExampleIT {

    @Test
    void the_support_agent_example_compares_its_two_versions_and_their_tools() throws Exception {
        String out = ExampleOutput.of(() -> AgentRunsExample.main(new String[0]));

        assertThat(out).contains("published v1 and v2; publishing v1's definition again created a version: false (v1)");
        // v1: 1900, 2400, 5100 ms, one failure; v2: 1100, 1300, 1700 ms; p95 interpolated
        assertThat(out).containsSubsequence(
                "version  runs  success  p50 ms  p95 ms      cost  up/down",
                "v1          3      67%    2445    4819    0.0012     1/1",
                "v2          3     100%    1296    1693     0.018     2/0",
                "v2 against v1: success +33 points, p95 latency x0.35",
                "v1 lookup_order 3 calls, error rate 0%",
                "v1 refund       3 calls, error rate 33%",
                "v2 lookup_order 3 calls, error rate 0%",
                "v2 refund       3 calls, error rate 0%",
                "active: v2 (gpt-4o)");
    }
}
