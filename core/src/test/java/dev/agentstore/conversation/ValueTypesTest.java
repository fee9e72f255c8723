package dev.agentstore.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Test
    void blank_content_is_refused_naming_the_parameter() {
        assertThatThrownBy(() -> NewMessage.user("  \n "))
                .isInstanceOf(InvalidInputException.class).hasMessage("content must not be blank");
        assertThatThrownBy(() -> NewMessage.assistant(null))
                .isInstanceOf(InvalidInputException.class).hasMessage("content must not be null");
    }

    @Test
    void a_negative_response_time_is_refused_with_its_value() {
        assertThatThrownBy(() -> NewMessage.assistant("hi").withResponseTime(Duration.ofMillis(-5)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("responseTime must not be negative, but was PT-0.005S");
    }

    @Test
    void negative_token_counts_are_refused_with_their_value() {
        assertThatThrownBy(() -> NewMessage.assistant("hi").withTokens(-1, 3))
                .isInstanceOf(InvalidInputException.class).hasMessage("inputTokens must not be negative, but was -1");
        assertThatThrownBy(() -> NewMessage.assistant("hi").withTokens(1, -3))
                .isInstanceOf(InvalidInputException.class).hasMessage("outputTokens must not be negative, but was -3");
    }

    @Test
    void a_missing_role_is_refused() {
        assertThatThrownBy(() -> NewMessage.of(null, "hi"))
                .isInstanceOf(InvalidInputException.class).hasMessage("role must not be null");
    }

    @Test
    void sources_are_copied_and_may_not_hold_null() {
        List<Source> sources = new ArrayList<>(List.of(Source.of("https://a.example")));
        NewMessage m = NewMessage.assistant("hi").withSources(sources);
        sources.clear();

        assertThat(m.sources()).containsExactly(Source.of("https://a.example"));
        assertThatThrownBy(() -> NewMessage.assistant("hi").withSources(Arrays.asList(Source.of("u"), null)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("sources must not contain null, but element 1 is null");
    }

    @Test
    void a_source_needs_a_uri_and_a_finite_score() {
        assertThatThrownBy(() -> Source.of(" "))
                .isInstanceOf(InvalidInputException.class).hasMessage("source uri must not be blank");
        assertThatThrownBy(() -> new Source("u", null, null, Double.NaN))
                .isInstanceOf(InvalidInputException.class).hasMessage("source score must be a finite number or null, but was NaN");
    }

    @Test
    void metadata_is_copied_and_keeps_null_values() {
        Map<String, Object> meta = new HashMap<>();
        meta.put("channel", "web");
        meta.put("ticket", null);
        NewSession s = NewSession.create().withMetadata(meta);
        meta.put("later", 1);

        assertThat(s.metadata()).containsOnlyKeys("channel", "ticket");
        assertThatThrownBy(() -> s.metadata().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void session_ids_that_are_blank_or_too_long_are_refused() {
        assertThatThrownBy(() -> NewSession.of(" ", null))
                .isInstanceOf(InvalidInputException.class).hasMessage("userId must be null or not blank");
        assertThatThrownBy(() -> NewSession.of(null, "a".repeat(201)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("agentId has 201 characters, more than the limit of 200");
    }

    @Test
    void to_string_never_shows_message_content_or_comments() {
        NewMessage nm = NewMessage.user("my secret card number");
        Message m = new Message(MessageId.of(UUID.randomUUID()), SessionId.of(UUID.randomUUID()), 1, Role.ASSISTANT,
                "my secret card number", List.of(), null, null, null, null, Map.of(),
                new Feedback(Rating.DOWN, "secret comment", Instant.EPOCH), Instant.EPOCH);

        assertThat(nm.toString()).doesNotContain("secret").contains("21 characters");
        assertThat(m.toString()).doesNotContain("secret").contains("feedback=DOWN");
    }

    @Test
    void ids_parse_their_text_form_and_name_themselves_when_they_cannot() {
        UUID u = UUID.randomUUID();
        assertThat(SessionId.parse(u.toString())).isEqualTo(SessionId.of(u));
        assertThatThrownBy(() -> MessageId.parse("nope"))
                .isInstanceOf(InvalidInputException.class).hasMessage("messageId must be a UUID, but was 'nope'");
    }

    @Test
    void ratings_score_plus_and_minus_one() {
        assertThat(Rating.UP.score()).isEqualTo(1);
        assertThat(Rating.DOWN.score()).isEqualTo(-1);
        assertThat(Rating.fromScore(-1)).isEqualTo(Rating.DOWN);
    }
}
