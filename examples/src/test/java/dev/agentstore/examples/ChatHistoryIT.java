package dev.agentstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChatHistoryIT {

    @Test
    void chat_history_prints_the_last_four_messages_with_feedback_and_the_agents_statistics() throws Exception {
        String out = ExampleOutput.of(() -> ChatHistory.main(new String[0]));

        assertThat(out).contains("session 'Double charge' of alice with support-bot: 6 messages");
        assertThat(out).containsSubsequence(
                "#3 USER      Can I get the refund sooner?",
                "#4 ASSISTANT Yes: open Billing > Refunds and choose 'refund now'; it reaches your card in one to two days.  [DOWN]",
                "#5 USER      And will it happen again next month?",
                "#6 ASSISTANT No. Your plan now renews once, on the 3rd of each month.  [UP]");
        assertThat(out).doesNotContain("#2 ");
        // response times 800, 1200, 1600 ms: mean 1200, p95 interpolated 1200 + 0.9 * 400
        assertThat(out).contains("support-bot: 6 messages, 2 up, 1 down, mean 1200 ms, p95 1560 ms, tokens 2700 in / 180 out");
    }
}
