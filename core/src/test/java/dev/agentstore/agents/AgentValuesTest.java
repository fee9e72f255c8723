package dev.agentstore.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.InvalidInputException;
import dev.agentstore.document.KnowledgeBaseId;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AgentValuesTest {

    private static final KnowledgeBaseId KB1 = KnowledgeBaseId.of(UUID.fromString("00000000-0000-0000-0000-000000000001"));
    private static final KnowledgeBaseId KB2 = KnowledgeBaseId.of(UUID.fromString("00000000-0000-0000-0000-000000000002"));

    @Test
    void the_content_hash_ignores_map_key_order_knowledge_base_order_and_the_change_note() {
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1);
        ab.put("b", Map.of("y", 2, "x", 1));
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", Map.of("x", 1, "y", 2));
        ba.put("a", 1);

        AgentDefinition one = AgentDefinition.of("openai", "gpt-4o").withParameters(ab).withKnowledgeBases(List.of(KB1, KB2));
        AgentDefinition two = AgentDefinition.of("openai", "gpt-4o").withParameters(ba).withKnowledgeBases(List.of(KB2, KB1))
                .withChangeNote("reordered");

        assertThat(DefinitionHash.of(one)).isEqualTo(DefinitionHash.of(two));
        assertThat(DefinitionHash.canonical(one)).isEqualTo("{\"instructions\":{},\"knowledgeBases\":[\"" + KB1 + "\",\"" + KB2
                + "\"],\"modelName\":\"gpt-4o\",\"modelProvider\":\"openai\",\"parameters\":{\"a\":1,\"b\":{\"x\":1,\"y\":2}},"
                + "\"systemPrompt\":null,\"tools\":[]}");
    }

    @Test
    void every_component_but_the_change_note_changes_the_hash_and_tool_order_counts() {
        AgentDefinition base = AgentDefinition.of("openai", "gpt-4o").withTools(List.of(ToolSpec.of("a", null), ToolSpec.of("b", null)));
        List<AgentDefinition> variants = List.of(
                AgentDefinition.of("azure", "gpt-4o").withTools(base.tools()),
                AgentDefinition.of("openai", "gpt-4o-mini").withTools(base.tools()),
                base.withSystemPrompt("x"),
                base.withInstructions(Map.of("k", "v")),
                base.withParameters(Map.of("temperature", 0.1)),
                base.withTools(List.of(ToolSpec.of("b", null), ToolSpec.of("a", null))),
                base.withTools(List.of(ToolSpec.of("a", "described"), ToolSpec.of("b", null))),
                base.withKnowledgeBases(List.of(KB1)));

        for (AgentDefinition v : variants) {
            assertThat(DefinitionHash.of(v)).as(v.toString()).isNotEqualTo(DefinitionHash.of(base));
        }
    }

    @Test
    void definitions_refuse_duplicate_tools_blank_models_and_hide_the_prompt() {
        assertThatThrownBy(() -> AgentDefinition.of(null, "m").withTools(List.of(ToolSpec.of("a", null), ToolSpec.of("a", "again"))))
                .isInstanceOf(InvalidInputException.class).hasMessage("tools must have distinct names, but 'a' appears twice");
        assertThatThrownBy(() -> AgentDefinition.of("openai", " ")).isInstanceOf(InvalidInputException.class)
                .hasMessage("modelName must not be blank");
        assertThat(AgentDefinition.of("openai", "gpt-4o").withSystemPrompt("secret sauce").toString()).doesNotContain("secret");
    }

    @Test
    void ids_are_checked_and_a_version_id_prints_as_agent_and_number() {
        assertThatThrownBy(() -> AgentId.of(" ")).isInstanceOf(InvalidInputException.class).hasMessage("agentId must not be blank");
        assertThatThrownBy(() -> AgentId.of("x".repeat(201))).isInstanceOf(InvalidInputException.class)
                .hasMessage("agentId must be at most 200 characters, but has 201");
        assertThatThrownBy(() -> TeamId.of("a\nb")).isInstanceOf(InvalidInputException.class)
                .hasMessage("teamId must not contain control characters");
        assertThatThrownBy(() -> RunId.parse("nope")).isInstanceOf(InvalidInputException.class)
                .hasMessage("runId must be a UUID, but was 'nope'");
        assertThat(AgentVersionId.of("support-bot", 2)).hasToString("support-bot v2");
    }

    @Test
    void a_run_refuses_an_error_message_on_success_and_a_successful_outcome_on_a_failed_tool_call() {
        AgentVersionId v = AgentVersionId.of("bot", 1);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");

        assertThatThrownBy(() -> new NewRun(v, null, null, null, null, null, t, Duration.ZERO, null, null, null, true, "oops",
                null, null, null, null, null)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("a successful run has no errorMessage");
        assertThatThrownBy(() -> ToolCall.failed("t", Map.of(), Duration.ZERO, ToolOutcome.SUCCESS, "x"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> RoutingDecision.of("desk", 1.5, null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("routing confidence must be between 0.0 and 1.0, but was 1.5");
        assertThat(NewRun.succeeded(v, t, Duration.ZERO).withInput("private question").toString()).doesNotContain("private");
    }
}
