package dev.agentstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuickStartIT {

    @Test
    void quick_start_prints_the_health_report_then_finds_the_returns_policy_for_a_refund_question() throws Exception {
        String out = ExampleOutput.of(() -> QuickStart.main(new String[0]));

        assertThat(out).containsPattern("pgvector\\s+\\d+\\.\\d+\\.\\d+");
        assertThat(out).containsPattern("schema\\s+agentstore at version \\d+");
        assertThat(out).contains("embeddings      384 dimensions");
        // the hits: "score  title", best first; the question shares no word with the returns policy's title
        List<String> hits = out.lines().filter(l -> l.matches("-?\\d\\.\\d{3}  .+")).toList();
        assertThat(hits).hasSize(3);
        assertThat(hits.get(0)).matches("0\\.6\\d\\d  Returns and refunds");
        assertThat(hits.get(1)).endsWith("  Northwind lifetime warranty");
        assertThat(out.indexOf("embeddings      384 dimensions")).isLessThan(out.indexOf(hits.get(0)));
    }
}
