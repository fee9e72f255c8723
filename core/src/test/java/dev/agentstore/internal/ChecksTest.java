package dev.agentstore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.DimensionMismatchException;
import dev.agentstore.InvalidInputException;
import org.junit.jupiter.api.Test;

class ChecksTest {

    @Test
    void an_embedding_of_the_wrong_dimension_names_both_numbers() {
        assertThatThrownBy(() -> Checks.embedding(new float[768], 1536, "query embedding"))
                .isInstanceOf(DimensionMismatchException.class)
                .hasMessageStartingWith("query embedding has 768 dimensions, but this store is built for 1536")
                .satisfies(e -> {
                    assertThat(((DimensionMismatchException) e).expected()).isEqualTo(1536);
                    assertThat(((DimensionMismatchException) e).actual()).isEqualTo(768);
                });
    }

    @Test
    void non_finite_components_are_refused_with_their_index() {
        assertThatThrownBy(() -> Checks.embedding(new float[] {0f, Float.NaN, 1f}, 3, "embedding of chunk 2"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("embedding of chunk 2 holds NaN at index 1; every component must be a finite number");
        assertThatThrownBy(() -> Checks.embedding(new float[] {Float.POSITIVE_INFINITY, 0f, 1f}, 3, "v"))
                .hasMessageContaining("holds Infinity at index 0");
    }

    @Test
    void a_valid_embedding_is_copied() {
        float[] v = {1f, 2f, 3f};
        float[] checked = Checks.embedding(v, 3, "v");
        v[0] = 9f;
        assertThat(checked).containsExactly(1f, 2f, 3f);
    }

    @Test
    void text_limits_say_which_option_raises_them_and_never_quote_the_text() {
        assertThatThrownBy(() -> Checks.text("secret words", "content", 5, "maxMessageLength"))
                .hasMessage("content has 12 characters, more than the limit of 5 (raise it with maxMessageLength)");
        assertThatThrownBy(() -> Checks.notBlank(" \n", "content")).hasMessage("content must not be blank");
        assertThatThrownBy(() -> Checks.range(1.5, 0, 1, "importance")).hasMessage("importance must be between 0.0 and 1.0, but was 1.5");
        assertThatThrownBy(() -> Checks.range(Double.NaN, 0, 1, "importance")).hasMessage("importance must be between 0.0 and 1.0, but was NaN");
    }
}
