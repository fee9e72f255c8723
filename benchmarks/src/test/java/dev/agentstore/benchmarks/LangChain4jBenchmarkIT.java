package dev.agentstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LangChain4jBenchmarkIT {

    @Test
    void the_small_langchain4j_benchmark_prints_both_paths_the_ratio_and_the_pgvector_layout() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        new LangChain4jBenchmark().run(new BenchEnv(TestPostgres.shared(), true, out));

        String printed = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertThat(printed).contains("langchain4j: 2,500 rows");
        assertThat(printed).containsPattern("n=2,500 agentstore ingestAll \\(one document per row\\): [0-9.]+ s to searchable");
        assertThat(printed).containsPattern("n=2,500 AgentStoreEmbeddingStore.addAll: [0-9.]+ s to searchable, [0-9,]+ rows/s, "
                + "recall@10 (0\\.9\\d\\d|1\\.000)");
        assertThat(printed).containsPattern("n=2,500 ratio addAll / ingestAll time to searchable: [0-9.]+x");
        assertThat(printed).containsPattern("PgVectorEmbeddingStore's layout in SQL .*: [0-9.]+ s to searchable, recall@10 [01]\\.\\d{3}");
    }

    @Test
    void the_benchmark_is_registered_under_its_name() {
        assertThat(Benchmarks.all()).containsKey("langchain4j");
    }
}
