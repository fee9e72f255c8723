package dev.agentstore.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TextSplitter cuts at paragraph, sentence and word boundaries, within the limit, with overlap. */
class TextSplitterTest {

    private static final String P1 = "Tents should be dried before storage. Mildew grows fast on damp nylon.";
    private static final String P2 = "Store the tent loosely in a cool place. Keep it out of direct sunlight.";
    private static final String P3 = "Clean the zippers after sandy trips. A dry brush removes most grit.";
    private static final String THREE_PARAGRAPHS = P1 + "\n\n" + P2 + "\n\n" + P3;

    @Test
    void a_short_text_is_one_stripped_chunk() {
        assertThat(TextSplitter.split("  Dry the tent.\n\nStore it loosely.\n ", 100, 20))
                .containsExactly("Dry the tent.\n\nStore it loosely.");
        assertThat(TextSplitter.split(THREE_PARAGRAPHS, THREE_PARAGRAPHS.length(), 0))
                .containsExactly(THREE_PARAGRAPHS);
    }

    @Test
    void a_blank_text_gives_no_chunks() {
        assertThat(TextSplitter.split("", 100, 10)).isEmpty();
        assertThat(TextSplitter.split(" \n\n\t ", 100, 10)).isEmpty();
    }

    @Test
    void chunks_end_at_paragraph_breaks_when_a_paragraph_boundary_fits() {
        List<String> chunks = TextSplitter.split(THREE_PARAGRAPHS, 150, 0);

        assertThat(chunks).containsExactly(P1 + "\n\n" + P2, P3);
    }

    @Test
    void a_long_paragraph_is_cut_at_sentence_ends_then_at_words() {
        String paragraph = "One two three four five. Six seven eight nine ten. Eleven twelve thirteen fourteen.";

        assertThat(TextSplitter.split(paragraph, 55, 0))
                .containsExactly("One two three four five. Six seven eight nine ten.", "Eleven twelve thirteen fourteen.");
        assertThat(TextSplitter.split("alpha beta gamma delta epsilon", 12, 0))
                .containsExactly("alpha beta", "gamma delta", "epsilon");
    }

    @Test
    void a_word_longer_than_the_limit_is_cut_hard() {
        assertThat(TextSplitter.split("abcdefghijkl xy", 5, 0)).containsExactly("abcde", "fghij", "kl xy");
    }

    @Test
    void consecutive_chunks_overlap_from_a_sentence_start() {
        List<String> chunks = TextSplitter.split(THREE_PARAGRAPHS, 150, 40);

        // the second chunk repeats the last sentence of the first (31 chars <= 40), then goes on with the rest
        assertThat(chunks).containsExactly(P1 + "\n\n" + P2, "Keep it out of direct sunlight.\n\n" + P3);
        assertThat(TextSplitter.split(THREE_PARAGRAPHS, 150, 30)).as("no sentence start within 30 chars: a word start")
                .containsExactly(P1 + "\n\n" + P2, "it out of direct sunlight.\n\n" + P3);
    }

    @ParameterizedTest(name = "max {0}, overlap {1}")
    @CsvSource({"40, 0", "40, 10", "80, 30", "200, 60", "500, 100", "20, 19", "1, 0"})
    void on_the_whole_corpus_chunks_respect_the_limit_are_never_blank_overlap_and_lose_no_word(int max, int overlap) {
        for (CorpusDocument document : Corpus.load()) {
            String text = document.text();

            List<String> chunks = TextSplitter.split(text, max, overlap);

            assertThat(chunks).as(document.source()).isNotEmpty()
                    .allSatisfy(c -> assertThat(c).hasSizeLessThanOrEqualTo(max).isNotBlank().isEqualTo(c.strip()));
            // every chunk is a piece of the text, in order, and together they cover all of it
            int from = 0;
            int covered = 0;
            for (String chunk : chunks) {
                int at = text.indexOf(chunk, from);
                assertThat(at).as("%s: chunk '%s' not found in order", document.source(), chunk).isGreaterThanOrEqualTo(0);
                if (at >= covered) {
                    assertThat(text.substring(covered, at)).as(document.source()).isBlank(); // no gap but white space
                } else {
                    assertThat(covered - at).as(document.source()).isLessThanOrEqualTo(overlap);
                }
                covered = Math.max(covered, at + chunk.length());
                from = at + 1;
            }
            assertThat(text.substring(covered)).isBlank();
            if (overlap == 0) {
                assertThat(String.join("", chunks).replaceAll("\\s+", ""))
                        .as(document.source()).isEqualTo(text.replaceAll("\\s+", ""));
            }
        }
    }

    @Test
    void with_overlap_the_next_chunk_repeats_the_end_of_the_previous_one() {
        String text = Corpus.load().get(0).text();

        List<String> chunks = TextSplitter.split(text, 200, 60);

        assertThat(chunks).hasSizeGreaterThan(3);
        for (int i = 1; i < chunks.size(); i++) {
            String firstWord = chunks.get(i).split("\\s+")[0];
            String previousTail = chunks.get(i - 1).substring(Math.max(0, chunks.get(i - 1).length() - 60));
            assertThat(previousTail).as("chunk %d should start inside the end of chunk %d", i, i - 1).contains(firstWord);
        }
    }

    @Test
    void bad_limits_are_rejected_naming_the_parameter_and_the_allowed_range() {
        assertThatThrownBy(() -> TextSplitter.split("text", 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxChars must be at least 1, was 0");
        assertThatThrownBy(() -> TextSplitter.split("text", 10, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("overlapChars must be between 0 and maxChars - 1 (9), was 10");
        assertThatThrownBy(() -> TextSplitter.split("text", 10, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("overlapChars must be between 0 and maxChars - 1 (9), was -1");
        assertThatThrownBy(() -> TextSplitter.split(null, 10, 0)).isInstanceOf(NullPointerException.class)
                .hasMessage("text");
    }
}
