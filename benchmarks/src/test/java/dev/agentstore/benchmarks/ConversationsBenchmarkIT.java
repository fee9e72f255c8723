package dev.agentstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConversationsBenchmarkIT {

    @Test
    void the_small_run_prints_turns_per_second_of_both_and_their_ratio_for_one_and_eight_threads() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        new ConversationsBenchmark().run(new BenchEnv(TestPostgres.shared(), true, out));

        String printed = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertThat(printed).contains("agentstore turns/s", "plain JDBC turns/s", "ratio");
        assertThat(printed).containsPattern("(?m)^1\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d\\dx$");
        assertThat(printed).containsPattern("(?m)^8\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d\\dx$");
        assertThat(printed).contains("turn latency agentstore: p50", "turn latency plain JDBC: p50");
    }

    @Test
    void the_benchmark_is_registered_under_its_name() {
        assertThat(Benchmarks.all()).containsKey("conversations");
    }
}
