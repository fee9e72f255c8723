package dev.agentstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Smoke run of the observer benchmark: every figure is printed, and the hook without an observer allocates nothing. */
class ObserverBenchmarkIT {

    @Test
    void the_small_observer_benchmark_prints_the_hook_and_both_stores_figures() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        new ObserverBenchmark().run(new BenchEnv(TestPostgres.shared(), true, out));

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("loaded 400 chunks of 384 dimensions")
                .containsPattern("hook alone, Micrometer observer: \\d+\\.\\d+ ns/op, \\d+\\.\\d+ bytes/op")
                .containsPattern("Micrometer saw: message\\.append 40, search\\.vector 40 ");
        Matcher off = Pattern.compile("hook alone, no observer        : \\d+\\.\\d+ ns/op, (\\d+\\.\\d+) bytes/op").matcher(printed);
        assertThat(off.find()).as(printed).isTrue();
        // an allocation count, not a time: without an observer the compiled wrapper allocates nothing (a lambda that
        // escaped would be 16 bytes per operation; below 1 byte means at most the odd call before compilation did)
        assertThat(Double.parseDouble(off.group(1))).isLessThan(1.0);
        for (String workload : new String[] {"chat turn (append 2 + last 20)", "vector search (k=10)"}) {
            assertThat(printed)
                    .containsPattern(Pattern.quote(workload) + " +no observer: p50 \\d+\\.\\d+ ms")
                    .containsPattern(Pattern.quote(workload) + " +Micrometer : p50 \\d+\\.\\d+ ms")
                    .containsPattern(Pattern.quote(workload) + " +ratio Micrometer/none: p50 \\d+\\.\\d+, mean \\d+\\.\\d+");
        }
    }
}
