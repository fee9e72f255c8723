package dev.agentstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AgentRunsBenchmarkIT {

    @Test
    void the_small_run_prints_runs_per_second_of_all_three_with_ratios_and_the_statistics_timings() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        new AgentRunsBenchmark().run(new BenchEnv(TestPostgres.shared(), true, out));

        String printed = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertThat(printed).contains("agentstore r/s", "plain tx r/s", "plain stmt r/s", "1 shard r/s", "no rollup r/s");
        assertThat(printed).containsPattern("(?m)^1\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d\\dx\\s+\\d+\\.\\d\\dx\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d\\dx$");
        assertThat(printed).containsPattern("(?m)^8\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d\\dx\\s+\\d+\\.\\d\\dx\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d\\dx$");
        // every run but the no-rollup baseline's is in the rollup (the plain baselines reach the same end state)
        java.util.regex.Matcher end = java.util.regex.Pattern
                .compile("\\(\\d+ chunk rows written in total; (\\d+) runs: (\\d+) in the rollup, (\\d+) by the no-rollup baseline\\)")
                .matcher(printed);
        assertThat(end.find()).as("end-state line").isTrue();
        assertThat(Long.parseLong(end.group(2)) + Long.parseLong(end.group(3))).isEqualTo(Long.parseLong(end.group(1)));
        assertThat(Long.parseLong(end.group(3))).isPositive();
        assertThat(printed).contains("statistics over 20,000 runs");
        assertThat(printed).containsPattern("(?m)^hot agent: compare v1 and v2, 30 days\\s+\\d+\\.\\d\\s+\\d+\\.\\d\\s+2$");
        assertThat(printed).containsPattern("(?m)^agent: per version and day, 30 days\\s+\\d+\\.\\d\\s+\\d+\\.\\d\\s+\\d+$");
        assertThat(printed).containsPattern("(?m)^agent: list 50 runs of version 2 \\(with children\\)\\s+\\d+\\.\\d\\s+\\d+\\.\\d\\s+50$");
    }

    @Test
    void the_benchmark_is_registered_under_its_name() {
        assertThat(Benchmarks.all()).containsKey("agents");
    }
}
