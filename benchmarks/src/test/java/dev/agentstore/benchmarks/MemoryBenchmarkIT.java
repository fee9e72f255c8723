package dev.agentstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MemoryBenchmarkIT {

    @Test
    void the_small_memory_benchmark_prints_recall_latency_of_agentstore_and_plain_jdbc() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        new MemoryBenchmark().run(new BenchEnv(TestPostgres.shared(), true, out));

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed)
                .contains("loaded 1,000 memories of agent-00 + 1,000 of 19 other agents")
                .containsPattern("agentstore recall   : p50 \\d+\\.\\d+ ms, p95 \\d+\\.\\d+ ms, mean .* \\(n=40\\), 10\\.0 rows/query")
                .containsPattern("plain JDBC recall   : p50 \\d+\\.\\d+ ms, p95 \\d+\\.\\d+ ms, mean .* \\(n=40\\), 10\\.0 rows/query")
                .containsPattern("ratio agentstore/JDBC: p50 \\d+\\.\\d+, p95 \\d+\\.\\d+")
                .contains("plan of the recall: ")
                .containsPattern("agentstore recall \\(defaults\\) +: mean [01]\\.\\d{3}, min [01]\\.\\d{3}, \\d+ below 0\\.98")
                .containsPattern("SQL, 40 candidates, ef_search  40, relaxed_order: mean [01]\\.\\d{3}, min [01]\\.\\d{3}")
                .contains("recall k=10 in agent-small (100 memories")
                .contains("  plan of the recall: exact candidates");
    }
}
