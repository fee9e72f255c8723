package dev.agentstore.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.agentstore.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MemoryValuesTest {

    @Test
    void scopes_have_a_canonical_form_and_a_text_form() {
        UUID session = UUID.fromString("6F1C2A1E-0000-4000-8000-00000000000A");

        assertThat(MemoryScope.agent().id()).isEmpty();
        assertThat(MemoryScope.agent()).hasToString("agent");
        assertThat(MemoryScope.user("alice")).hasToString("user:alice");
        assertThat(MemoryScope.session(session)).hasToString("session:6f1c2a1e-0000-4000-8000-00000000000a");
        assertThat(MemoryScope.of("Session", session.toString().toUpperCase())).isEqualTo(MemoryScope.session(session));
        assertThat(MemoryScope.of("agent", null)).isEqualTo(MemoryScope.agent());
        assertThat(MemoryScope.session(session).sessionId()).contains(session);
        assertThat(MemoryScope.user("alice").sessionId()).isEmpty();
    }

    @Test
    void malformed_scopes_are_refused_naming_what_is_allowed() {
        assertThatThrownBy(() -> MemoryScope.of("global", null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("scope must be one of agent, user, session, but was 'global'");
        assertThatThrownBy(() -> MemoryScope.of(null, null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("scope must be one of agent, user, session, but was null");
        assertThatThrownBy(() -> MemoryScope.of("agent", "x")).isInstanceOf(InvalidInputException.class)
                .hasMessage("an agent scope has no id, but got 'x'");
        assertThatThrownBy(() -> MemoryScope.user("a".repeat(201))).isInstanceOf(InvalidInputException.class)
                .hasMessage("user id of a user scope has 201 characters, more than the limit of 200");
        assertThatThrownBy(() -> MemoryScope.user("a\u0000b")).isInstanceOf(InvalidInputException.class)
                .hasMessage("user id of a user scope must not contain control characters");
        assertThatThrownBy(() -> MemoryScope.session(null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void put_options_refuse_impossible_combinations() {
        assertThat(PutOptions.unconditional().conditional()).isFalse();
        assertThat(PutOptions.ifAbsent().expectedVersion()).isZero();
        assertThat(PutOptions.ifVersion(3).withTimeToLive(Duration.ofMinutes(1)).timeToLive()).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> PutOptions.ifVersion(0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("version must be 1 or more (use ifAbsent() for an entry that must not exist), but was 0");
        assertThatThrownBy(() -> PutOptions.unconditional().withTimeToLive(Duration.ZERO)).isInstanceOf(InvalidInputException.class)
                .hasMessage("timeToLive must be positive, but was PT0S");
        assertThatThrownBy(() -> new PutOptions(-1, Duration.ofSeconds(1), Instant.EPOCH)).isInstanceOf(InvalidInputException.class)
                .hasMessage("give either timeToLive or expiresAt, not both");
        assertThatThrownBy(() -> new PutOptions(-2, null, null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void the_scoring_formula_weighs_similarity_importance_and_halving_recency() {
        RecallScoring s = new RecallScoring(1.0, 0.5, 2.0, Duration.ofDays(2));

        assertThat(s.recency(Duration.ZERO)).isEqualTo(1.0);
        assertThat(s.recency(Duration.ofDays(2))).isEqualTo(0.5);
        assertThat(s.recency(Duration.ofDays(6))).isEqualTo(0.125);
        assertThat(s.recency(Duration.ofDays(-1))).as("a future last use counts as now").isEqualTo(1.0);
        assertThat(s.score(0.25, 0.4, Duration.ofDays(2))).isCloseTo(0.75 + 0.2 + 1.0, within(1e-12));
        assertThat(RecallScoring.DEFAULT).isEqualTo(new RecallScoring(1.0, 0.25, 0.25, Duration.ofDays(7)));
        assertThatThrownBy(() -> new RecallScoring(0, 0, 0, Duration.ofDays(1))).isInstanceOf(InvalidInputException.class)
                .hasMessage("at least one of similarityWeight, importanceWeight and recencyWeight must be above 0");
        assertThatThrownBy(() -> new RecallScoring(Double.NaN, 0, 0, Duration.ofDays(1))).isInstanceOf(InvalidInputException.class)
                .hasMessage("similarityWeight must be between 0 and 1000, but was NaN");
        assertThatThrownBy(() -> s.withHalfLife(Duration.ofMillis(10))).isInstanceOf(InvalidInputException.class)
                .hasMessage("halfLife must be at least one second, but was PT0.01S");
    }

    @Test
    void recall_queries_default_their_candidate_depth_and_check_it() {
        MemoryFilter f = MemoryFilter.agent("planner");

        assertThat(RecallQuery.of(f, new float[] {1}, 5).candidates()).isEqualTo(40);
        assertThat(RecallQuery.of(f, new float[] {1}, 30).candidates()).isEqualTo(120);
        assertThat(RecallQuery.of(f, new float[] {1}, 1000).candidates()).isEqualTo(1000);
        assertThatThrownBy(() -> RecallQuery.of(f, new float[] {1}, 10).withCandidates(5)).isInstanceOf(InvalidInputException.class)
                .hasMessage("candidates must be between k (10) and 1000, but was 5");
        assertThatThrownBy(() -> RecallQuery.of(null, new float[] {1}, 10)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("filter must not be null");
    }

    @Test
    void value_types_copy_their_vectors_and_never_print_content_metadata_values_or_embeddings() {
        float[] embedding = {0.125f, 0.5f};
        NewMemory m = NewMemory.of("planner", "fact", "secret plan", embedding).withMetadata(Map.of("code", "hunter2"));
        embedding[0] = 9;
        RecallQuery q = RecallQuery.of(MemoryFilter.agent("planner").withMetadata(Map.of("code", "hunter2")), embedding, 3);
        embedding[1] = 9;

        assertThat(m.embedding()).containsExactly(0.125f, 0.5f);
        assertThat(q.embedding()).containsExactly(9f, 0.5f);
        assertThat(m).isEqualTo(NewMemory.of("planner", "fact", "secret plan", new float[] {0.125f, 0.5f})
                .withMetadata(Map.of("code", "hunter2")));
        assertThat(m.toString()).contains("content=<11 characters>", "embedding=<2 dimensions>", "metadata keys=[code]")
                .doesNotContain("secret", "hunter2", "0.125");
        assertThat(q.toString()).doesNotContain("hunter2", "0.5");
        MemoryEntry e = new MemoryEntry(MemoryKey.of("a", MemoryScope.agent(), "k"), "{\"pin\": 1234}", 1, Instant.EPOCH, Instant.EPOCH, null);
        assertThat(e.toString()).doesNotContain("1234");
        assertThat(e.valueAs(Map.class)).containsEntry("pin", 1234);
    }

    @Test
    void kinds_are_a_short_open_set_without_surrounding_white_space() {
        assertThat(NewMemory.of("a", "learning", "x", new float[] {1}).kind()).isEqualTo("learning");
        assertThat(NewMemory.of("a", "custom-kind", "x", new float[] {1}).importance()).isEqualTo(NewMemory.DEFAULT_IMPORTANCE);
        assertThatThrownBy(() -> NewMemory.of("a", " fact", "x", new float[] {1})).isInstanceOf(InvalidInputException.class)
                .hasMessage("kind 'fact' must not have white space at either end or control characters");
        assertThatThrownBy(() -> NewMemory.of("a", "fact", "x", null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("embedding must not be null");
    }
}
