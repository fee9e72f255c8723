package dev.agentstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LifecycleBenchmarkIT {

    @Test
    void the_small_run_prints_import_rates_of_both_a_silent_reimport_and_the_erasure_figures() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        new LifecycleBenchmark().run(new BenchEnv(TestPostgres.shared(), true, out));

        String printed = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertThat(printed).containsPattern("agentstore importSessions\\s+[\\d,]+");
        assertThat(printed).containsPattern("hand-written INSERT \\+ COPY\\s+[\\d,]+");
        assertThat(printed).containsPattern("agentstore / hand-written: \\d+\\.\\d\\dx");
        assertThat(printed).contains("re-import: 0 sessions created, 0 messages inserted, 0 rows added, rows rewritten: no");
        assertThat(printed).containsPattern("eraseUser \\(batch <= \\d+ rows, aiming at <= \\d+ ms per transaction\\): \\d+\\.\\d\\d s, \\d+ transactions, longest transaction [\\d.]+ ms");
        assertThat(printed).contains("rows of the user left: 0");
        assertThat(printed).contains("erasing again: 0 rows");
    }

    @Test
    void the_benchmark_is_registered_under_its_name() {
        assertThat(Benchmarks.all()).containsKey("lifecycle");
    }
}
