package dev.agentstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IngestionBenchmarkIT {

    @Test
    void the_small_ingestion_benchmark_prints_every_case_with_its_baseline_and_ratio() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        new IngestionBenchmark().run(new BenchEnv(TestPostgres.shared(), true, out));

        String printed = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertThat(printed).contains("corpus: 3,500 chunks");
        assertThat(printed).containsPattern("n=1,000 raw COPY \\+ HNSW \\+ GIN: [0-9.]+ s to searchable .* recall@10 [01]\\.\\d{3}");
        assertThat(printed).containsPattern("n=2,500 agentstore ingestAll: [0-9.]+ s to searchable, [0-9,]+ rows/s, recall@10 [01]\\.\\d{3}");
        assertThat(printed).containsPattern("n=2,500 ratio agentstore / raw time to searchable: [0-9.]+x");
        assertThat(printed).containsPattern("unchanged re-ingest of 2,500: [0-9.]+ s, 0 embedding calls, 0 written; [0-9]+x faster");
        assertThat(printed).containsPattern("append 1,000 to 2,500: [0-9.]+ s to searchable .* ratio [0-9.]+x .* recall@10 [01]\\.\\d{3}");
        assertThat(printed).containsPattern("one index over all 3,500 rows .* recall@10 [01]\\.\\d{3}; search p50 alternating query "
                + "by query: two ranges [0-9.]+ ms, one index [0-9.]+ ms; ratio [0-9.]+x");
        assertThat(printed).containsPattern("compaction of 2 index ranges .* ratio p50 before / after \\(measured minutes apart\\): "
                + "[0-9.]+x");
        assertThat(printed).containsPattern("a 300-chunk knowledge base next to 3,500 chunks: recall@10 1\\.000");
        assertThat(printed).containsPattern("delete a knowledge base of 3,500 chunks: [0-9.]+ s");
        assertThat(printed).containsPattern("20 knowledge bases of 50 chunks: created and ingested in [0-9.]+ s");
        assertThat(printed).containsPattern("search p50 of one of them, alternating query by query with a store holding only "
                + "that knowledge base: [0-9.]+ ms vs [0-9.]+ ms; ratio [0-9.]+x");
        assertThat(printed).contains("max_parallel_maintenance_workers");
    }

    @Test
    void the_benchmark_is_registered_under_its_name() {
        assertThat(Benchmarks.all()).containsKey("ingestion");
    }
}
