package dev.agentstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SearchBenchmarkIT {

    @Test
    void the_small_search_benchmark_prints_recall_latency_ratio_and_filtered_figures() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        new SearchBenchmark().run(new BenchEnv(TestPostgres.shared(), true, out));

        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        assertThat(output).containsPattern("recall@10 at the default settings \\(ef_search=100\\): [01]\\.\\d{3}")
                .contains("identical top-10 (same ids, same order) agentstore vs hand-written: 30 of 30 queries")
                .containsPattern("top-10 search, agentstore \\(defaults, with documents\\): +p50 \\d+\\.\\d+ ms")
                .containsPattern("top-10 search, agentstore includeDocuments\\(false\\): +p50 \\d+\\.\\d+ ms")
                .containsPattern("top-10 search, hand-written SQL \\(partition, HNSW\\): +p50 \\d+\\.\\d+ ms")
                .containsPattern("p50 ratio agentstore / hand-written: \\d+\\.\\d\\dx")
                .containsPattern("top-10 search, hand-written SQL \\+ documents \\(join\\): +p50 \\d+\\.\\d+ ms")
                .containsPattern("p50 ratio agentstore \\(defaults\\) / hand-written SQL \\+ documents: \\d+\\.\\d\\dx")
                .contains("plan: ")
                .containsPattern("iterative scan OFF +: \\d+\\.\\d of 10 results on average, recall@10 [01]\\.\\d{3}")
                .containsPattern("iterative scan RELAXED_ORDER: 10\\.0 of 10 results on average");
    }
}
