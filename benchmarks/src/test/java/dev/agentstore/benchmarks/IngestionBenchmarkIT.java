package dev.agentstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IngestionBenchmarkIT {

    @Test
    void the_small_ingestion_benchmark_prints_throughput_of_agentstore_and_both_baselines_with_ratios() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        new IngestionBenchmark().run(new BenchEnv(TestPostgres.shared(), true, out));

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("corpus: 1,000 chunks");
        assertThat(printed).containsPattern("run 1 agentstore first ingest: +[0-9.]+ s +[0-9,]+ chunks/s");
        assertThat(printed).containsPattern("run 1 agentstore unchanged re-ingest: *[0-9.]+ s +[0-9,]+ chunks/s  \\(0 embedding calls, 0 written\\)");
        assertThat(printed).containsPattern("run 1 plain JDBC binary COPY: +[0-9.]+ s +[0-9,]+ chunks/s");
        assertThat(printed).containsPattern("run 1 plain JDBC batched INSERT: +[0-9.]+ s +[0-9,]+ chunks/s");
        assertThat(printed).containsPattern("best of 1: agentstore first ingest [0-9,]+ chunks/s");
        assertThat(printed).containsPattern("ratio first ingest / binary COPY \\(throughput\\): +[0-9.]+x");
        assertThat(printed).containsPattern("ratio unchanged re-ingest speed-up over first: +[0-9.]+x");
    }
}
