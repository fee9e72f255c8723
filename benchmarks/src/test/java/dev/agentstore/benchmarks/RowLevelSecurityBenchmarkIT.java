package dev.agentstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Smoke run of the row-level security benchmark: both stores work and every figure is printed. */
class RowLevelSecurityBenchmarkIT {

    @Test
    void the_small_rls_benchmark_prints_bound_and_bypassing_figures_for_each_workload() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        new RowLevelSecurityBenchmark().run(new BenchEnv(TestPostgres.shared(), true, out));

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed)
                .contains("stores: bypassing RLS (rowLevelSecurity=false), bound by RLS (rowLevelSecurity=true)")
                .contains("loaded 400 chunks of");
        for (String workload : new String[] {"chat turn (append 2 + last 20)", "vector search (k=10)", "ingest (1 document, 5 chunks)"}) {
            assertThat(printed)
                    .containsPattern(java.util.regex.Pattern.quote(workload) + " +bypassing RLS: p50 \\d+\\.\\d+ ms")
                    .containsPattern(java.util.regex.Pattern.quote(workload) + " +bound by RLS : p50 \\d+\\.\\d+ ms")
                    .containsPattern(java.util.regex.Pattern.quote(workload) + " +ratio bound/bypassing: p50 \\d+\\.\\d+, mean \\d+\\.\\d+");
        }
    }
}
