package dev.agentstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LangChain4jAssistantIT {

    @Test
    void the_assistant_answers_from_the_handbook_calls_its_tool_and_its_memory_is_an_agentstore_session() throws Exception {
        String out = ExampleOutput.of(() -> LangChain4jAssistant.main(new String[0]));

        assertThat(out).contains("alice: How long does a refund take?",
                "assistant: From the handbook: Refunds reach the card in one to two days once approved.",
                "alice: When is my next invoice?",
                "assistant: Your next invoice is dated 2027-01-03.");
        assertThat(out).contains("agentstore session of memory 'alice' (6 messages):");
        assertThat(out).containsSubsequence(
                "#1 USER      How long does a refund take?",
                "#2 ASSISTANT From the handbook: Refunds reach the card",
                "#3 USER      When is my next invoice?",
                "#4 ASSISTANT  -> calls nextInvoiceDate{}",
                "#5 TOOL      2027-01-03 (result of nextInvoiceDate)",
                "#6 ASSISTANT Your next invoice is dated 2027-01-03.");
    }
}
