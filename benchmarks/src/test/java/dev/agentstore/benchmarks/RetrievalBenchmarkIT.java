package dev.agentstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RetrievalBenchmarkIT {

    @Test
    void the_small_retrieval_benchmark_prints_quality_and_latency_of_every_mode_and_baseline() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        new RetrievalBenchmark().run(new BenchEnv(TestPostgres.shared(), true, out));

        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        String row = " +[01]\\.\\d{3} +[01]\\.\\d{3} +[01]\\.\\d{3} +[01]\\.\\d{3} +[01]\\.\\d{3} +\\d+\\.\\d\\d +\\d+\\.\\d\\d";
        assertThat(output).containsPattern("corpus: \\[os.md, path.md, timers.md\\], \\d+ documents \\(sections\\), \\d+ chunks; \\d+ hand-judged questions")
                .containsPattern("agentstore vector \\(defaults\\)" + row)
                .containsPattern("agentstore text \\(defaults\\)" + row)
                .containsPattern("agentstore hybrid \\(defaults\\)" + row)
                .containsPattern("SQL: HNSW query \\(ef_search 100\\)" + row)
                .containsPattern("SQL: HNSW query \\+ documents \\(join\\)" + row)
                .containsPattern("SQL: websearch_to_tsquery \\+ ts_rank_cd" + row)
                .containsPattern("SQL: hybrid RRF \\(HNSW 50 \\+ websearch 50\\)" + row)
                .containsPattern("SQL prototype: rare-lexeme OR \\(300\\) \\+ idf" + row)
                .containsPattern("SQL prototype: hybrid sim \\+ 0.2 idf/max" + row);
        // the exact top 10 is what the index returns on a knowledge base this small
        assertThat(output).containsPattern("agentstore vector \\(defaults\\) +\\S+ +\\S+ +\\S+ +\\S+ +1\\.000");
    }
}
