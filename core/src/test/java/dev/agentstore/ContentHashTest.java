package dev.agentstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ContentHashTest {

    @Test
    void the_hash_is_sha256_of_the_utf8_bytes_of_the_normalised_text() {
        // sha256("hello world"), a published test vector
        assertThat(ContentHash.of("hello world").hex())
                .isEqualTo("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
    }

    @Test
    void whitespace_runs_collapse_and_ends_are_trimmed() {
        assertThat(ContentHash.normalize("  hello \t\n\u00A0 world\u2003 ")).isEqualTo("hello world");
        assertThat(ContentHash.of("hello\n\nworld")).isEqualTo(ContentHash.of("hello world"));
    }

    @Test
    void whitespace_is_collapsed_exactly_as_the_reference_pattern_does() {
        // every character the pattern matches, its neighbours, and characters String.strip() also removes
        char[] alphabet = {' ', 'a', 'b', '\t', '\n', '\u000B', '\f', '\r', '\u001C', '\u001F', '\u0085', '\u00A0',
            '\u1680', '\u2000', '\u200A', '\u200B', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000', '\uFEFF',
            '\u0301', '\uD83D', '\uDE00', 'e', '.'};
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                sb.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String text = sb.toString();
            assertThat(ContentHash.collapseWhitespace(text)).as("collapsed %s", text.chars().boxed().toList())
                    .isEqualTo(ContentHash.WHITESPACE.matcher(text).replaceAll(" "));
        }
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            assertThat(ContentHash.isSpace(c)).as("U+%04X", (int) c)
                    .isEqualTo(ContentHash.WHITESPACE.matcher(String.valueOf(c)).matches());
        }
    }

    @Test
    void composed_and_decomposed_unicode_hash_the_same() {
        String composed = "caf\u00E9";
        String decomposed = "cafe\u0301";
        assertThat(composed).isNotEqualTo(decomposed);
        assertThat(ContentHash.of(composed)).isEqualTo(ContentHash.of(decomposed));
    }

    @Test
    void case_and_inner_punctuation_matter() {
        assertThat(ContentHash.of("Hello world")).isNotEqualTo(ContentHash.of("hello world"));
        assertThat(ContentHash.of("hello, world")).isNotEqualTo(ContentHash.of("hello world"));
    }

    @Test
    void hex_and_bytes_round_trip_and_are_copies() {
        ContentHash h = ContentHash.of("x");
        assertThat(ContentHash.fromHex(h.hex())).isEqualTo(h);
        assertThat(ContentHash.fromBytes(h.bytes())).isEqualTo(h).hasSameHashCodeAs(h);
        byte[] bytes = h.bytes();
        bytes[0] ^= 1;
        assertThat(h.bytes()).isNotEqualTo(bytes);
        assertThat(h.toString()).isEqualTo("sha256:" + h.hex());
    }

    @Test
    void malformed_hashes_are_refused_with_what_was_expected() {
        assertThatThrownBy(() -> ContentHash.fromHex("abc"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("a content hash has 64 hexadecimal digits, but got 3 characters");
        assertThatThrownBy(() -> ContentHash.fromBytes(new byte[3]))
                .hasMessage("a content hash has 32 bytes, but got 3");
        assertThatThrownBy(() -> ContentHash.of(null)).hasMessage("text must not be null");
    }
}
