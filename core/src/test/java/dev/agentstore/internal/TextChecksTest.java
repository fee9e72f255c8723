package dev.agentstore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.InvalidInputException;
import dev.agentstore.TenantId;
import org.junit.jupiter.api.Test;

/** Well-formed UTF-16 and no NUL: the one text check every entry point uses before SQL. */
class TextChecksTest {

    private static final String HIGH = String.valueOf((char) 0xD800);
    private static final String LOW = String.valueOf((char) 0xDC00);
    private static final String NUL = String.valueOf((char) 0);

    @Test
    void well_formed_text_including_surrogate_pairs_passes() {
        assertThat(Checks.firstIllFormed("plain ascii, Ümlaute, 中文, emoji \uD83D\uDE00 and tabs\t")).isEqualTo(-1);
        assertThat(Checks.firstIllFormed("")).isEqualTo(-1);
        assertThat(Checks.firstIllFormed(null)).isEqualTo(-1);
        assertThat(Checks.wellFormed(null, "title")).isNull();
    }

    @Test
    void an_unpaired_high_or_low_surrogate_or_a_reversed_pair_is_found_at_its_index() {
        assertThat(Checks.firstIllFormed("x" + HIGH + "y")).isEqualTo(1);
        assertThat(Checks.firstIllFormed("ab" + HIGH)).as("high surrogate at the end").isEqualTo(2);
        assertThat(Checks.firstIllFormed(LOW + "a")).as("low surrogate without high").isEqualTo(0);
        assertThat(Checks.firstIllFormed("a" + LOW + HIGH)).as("reversed pair").isEqualTo(1);
        assertThat(Checks.firstIllFormed(HIGH + HIGH + LOW)).as("two highs, then one low").isEqualTo(0);
    }

    @Test
    void the_message_names_the_parameter_the_position_and_the_fix_but_not_the_text() {
        assertThatThrownBy(() -> Checks.wellFormed("secret" + HIGH + "y", "title"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("title holds an unpaired UTF-16 surrogate (U+D800) at index 6")
                .hasMessageContaining("PostgreSQL would store '?'")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> Checks.wellFormed("ab" + NUL + "c", "content"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("content holds a NUL character (U+0000) at index 2, which PostgreSQL cannot store in text;"
                        + " remove or replace it");
    }

    @Test
    void the_text_checks_include_the_well_formed_check() {
        assertThatThrownBy(() -> Checks.notBlank("a" + NUL, "key")).hasMessageContaining("key holds a NUL character");
        assertThatThrownBy(() -> Checks.text("a" + LOW, "content", 100, "maxMessageLength"))
                .hasMessageContaining("content holds an unpaired UTF-16 surrogate (U+DC00) at index 1");
        assertThatThrownBy(() -> Checks.optionalText(HIGH, "model", 100)).hasMessageContaining("model holds an unpaired");
    }

    @Test
    void tenant_ids_that_the_driver_would_collapse_into_one_are_refused() {
        assertThat(TenantId.of("t?").value()).isEqualTo("t?");
        assertThatThrownBy(() -> TenantId.of("t" + HIGH)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("tenant id holds an unpaired UTF-16 surrogate (U+D800) at index 1");
        assertThatThrownBy(() -> TenantId.of("t" + (char) 0xDBFF)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("tenant id holds an unpaired UTF-16 surrogate (U+DBFF) at index 1");
    }

    @Test
    void a_zero_vector_is_refused_under_cosine_and_any_other_vector_passes() {
        assertThatThrownBy(() -> Checks.cosineEmbedding(new float[3], 3, "query embedding"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("query embedding is all zeros: cosine distance to a zero vector is undefined (NaN)");
        assertThat(Checks.cosineEmbedding(new float[] {0f, 0f, 1e-30f}, 3, "v")).containsExactly(0f, 0f, 1e-30f);
        assertThat(Checks.embedding(new float[3], 3, "v")).as("without cosine, zero passes").containsExactly(0f, 0f, 0f);
    }
}
