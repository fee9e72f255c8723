package dev.agentstore.benchmarks.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A smoke run at a small size; also pins the measured write pattern of both repositories. */
class ChatMemoryTurnBenchmarkIT {

    @Test
    void agentstore_appends_two_rows_per_turn_where_jdbc_rewrites_the_window() {
        List<ChatMemoryTurnBenchmark.Result> results = ChatMemoryTurnBenchmark.run(15, 5, 20);
        ChatMemoryTurnBenchmark.Result agentstore = results.get(0);
        ChatMemoryTurnBenchmark.Result jdbc = results.get(1);
        assertThat(agentstore.rowsPerTurn()).containsEntry("conversation_message insert", 2.0)
                .doesNotContainKey("conversation_message delete").doesNotContainKey("conversation_message update");
        assertThat(jdbc.rowsPerTurn().get("spring_ai_chat_memory delete")).isGreaterThanOrEqualTo(30.0);
        assertThat(jdbc.rowsPerTurn().get("spring_ai_chat_memory insert")).isGreaterThanOrEqualTo(30.0);
    }
}
