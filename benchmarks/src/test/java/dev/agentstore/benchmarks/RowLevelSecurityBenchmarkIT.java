package dev.agentstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RowLevelSecurityBenchmarkIT {

    @Test
    void the_small_rls_benchmark_prints_both_stores_and_the_ratios() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        new RowLevelSecurityBenchmark().run(new BenchEnv(TestPostgres.shared(), true, out));

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed)
                .contains("stores: bypassing RLS (rowLevelSecurity=false), bound by RLS (rowLevelSecurity=true)")
                .containsPattern("chat turn \\(append 2 \\+ last 20\\) +bound by RLS : p50 \\d+\\.\\d+ ms, .*\\(n=80\\)")
                .containsPattern("vector search \\(k=10\\) +ratio bound/bypassing: p50 \\d+\\.\\d+, mean \\d+\\.\\d+")
                .containsPattern("ingest \\(1 document, 5 chunks\\) +bypassing RLS: p50 \\d+\\.\\d+ ms, .*\\(n=20\\)");
    }
}
