package dev.agentstore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static final String HIGH = String.valueOf((char) 0xD800);
    private static final String NUL = String.valueOf((char) 0);

    @Test
    void ill_formed_strings_and_keys_are_refused_with_their_path() {
        Map<String, Object> nested = Map.of("tags", List.of("ok", "bad" + NUL));
        assertThatThrownBy(() -> Json.object(Map.of("a", nested), "session metadata"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("session metadata at a.tags[1] holds a NUL character (U+0000) at index 3");
        assertThatThrownBy(() -> Json.object(Map.of("k" + HIGH, 1), "metadata"))
                .hasMessageStartingWith("a key of metadata holds an unpaired UTF-16 surrogate (U+D800) at index 1");
        assertThatThrownBy(() -> Json.write(List.of(Map.of("odd key", HIGH)), "sources"))
                .hasMessageStartingWith("sources at [0][\"odd key\"] holds an unpaired UTF-16 surrogate");
        assertThatThrownBy(() -> Json.write("x" + NUL, "value")).hasMessageStartingWith("value holds a NUL character");
    }

    @Test
    void json_text_with_nul_or_lone_surrogate_escapes_is_refused_before_sql() {
        assertThatThrownBy(() -> Json.parse("{\"a\": \"x\\u0000\"}", "value of memory entry 'k'", 100, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("value of memory entry 'k' at a holds a NUL character (U+0000) at index 1");
        assertThatThrownBy(() -> Json.parse("[\"\\ud800\"]", "value", 100, null))
                .hasMessageStartingWith("value at [0] holds an unpaired UTF-16 surrogate (U+D800) at index 0");
        assertThat(Json.parse("{\"a\": \"\\ud83d\\ude00 \\\\u0000 is text\"}", "value", 100, null).data())
                .as("a surrogate pair and an escaped backslash are fine").contains("ude00");
    }

    @Test
    void json_text_that_is_not_json_is_refused_without_quoting_it() {
        assertThatThrownBy(() -> Json.parse("{secret: 2", "value", 100, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("value is not valid JSON (syntax error at line 1, column")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> Json.parse("{} trailing", "value", 100, null)).hasMessageContaining("is not valid JSON");
        assertThatThrownBy(() -> Json.parse("  ", "value", 100, null)).hasMessageContaining("is not valid JSON");
    }

    @Test
    void the_length_limit_names_the_option_that_raises_it() {
        Map<String, Object> big = Map.of("blob", "x".repeat(200));
        assertThatThrownBy(() -> Json.object(big, "session metadata", 100, Limits.MAX_METADATA_OPTION))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("session metadata has 211 characters of JSON, more than the limit of 100 (raise it with "
                        + "AgentStore.Builder.maxMetadataLength(...)); nothing was written");
        assertThatThrownBy(() -> Json.parse("\"" + "y".repeat(100) + "\"", "value", 50, Limits.MAX_MEMORY_VALUE_OPTION))
                .hasMessageContaining("more than the limit of 50 (raise it with AgentStore.Builder.maxMemoryValueLength(...))");
        assertThat(Json.object(big, "m", 211, null).data()).hasSize(211);
    }

    @Test
    void canonical_json_sorts_keys_at_every_depth_and_is_checked_too() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1);
        inner.put("a", 2);
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("y", inner);
        outer.put("b", true);
        assertThat(Json.canonical(outer, "m", Json.UNLIMITED, null)).isEqualTo("{\"b\":true,\"y\":{\"a\":2,\"z\":1}}");
        assertThatThrownBy(() -> Json.canonical(Map.of("a", NUL), "metadata of chunk 0", Json.UNLIMITED, null))
                .hasMessageStartingWith("metadata of chunk 0 at a holds a NUL character");
    }
}
