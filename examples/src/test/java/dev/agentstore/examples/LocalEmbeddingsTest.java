package dev.agentstore.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bundled model gives real, semantic embeddings: natural questions land on the right corpus document. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalEmbeddingsTest {

    private LocalEmbeddings embeddings;
    private List<CorpusDocument> documents;
    private List<float[]> documentVectors;

    @BeforeAll
    void embed_the_corpus() {
        long t0 = System.nanoTime();
        embeddings = LocalEmbeddings.load();
        long t1 = System.nanoTime();
        documents = Corpus.load();
        List<String> texts = documents.stream().map(d -> d.title() + "\n\n" + d.text()).toList();
        documentVectors = embeddings.embedAll(texts);
        long t2 = System.nanoTime();
        int chars = texts.stream().mapToInt(String::length).sum();
        System.out.printf("LocalEmbeddings: model loaded in %d ms; %d documents (%d chars) embedded in %d ms (%.1f docs/s)%n",
                (t1 - t0) / 1_000_000, texts.size(), chars, (t2 - t1) / 1_000_000,
                texts.size() * 1e9 / (t2 - t1));
    }

    @Test
    void every_vector_has_384_unit_length_dimensions() {
        assertThat(embeddings.dimension()).isEqualTo(384);
        assertThat(documentVectors).hasSameSizeAs(documents);
        for (float[] vector : documentVectors) {
            assertThat(vector).hasSize(384);
            assertThat(norm(vector)).isCloseTo(1.0, within(1e-3));
        }
    }

    @Test
    void embed_gives_the_same_vector_as_a_batch_and_the_model_is_loaded_once() {
        String text = documents.get(0).title() + "\n\n" + documents.get(0).text();

        float[] single = embeddings.embed(text);

        assertThat(LocalEmbeddings.load()).isSameAs(embeddings);
        assertThat(cosine(single, documentVectors.get(0))).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void embed_all_serves_as_an_embedding_function_and_keeps_the_order() {
        Function<List<String>, List<float[]>> function = embeddings::embedAll;

        List<float[]> vectors = function.apply(List.of("tent", "kayak", "tent"));

        assertThat(vectors).hasSize(3);
        assertThat(cosine(vectors.get(0), vectors.get(2))).isCloseTo(1.0, within(1e-4));
        assertThat(cosine(vectors.get(0), vectors.get(1))).isLessThan(0.9);
        assertThat(function.apply(List.of())).isEmpty();
    }

    @Test
    void null_and_blank_texts_are_rejected_naming_the_parameter() {
        assertThatThrownBy(() -> embeddings.embed(null)).isInstanceOf(NullPointerException.class).hasMessage("text");
        assertThatThrownBy(() -> embeddings.embedAll(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("texts");
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> embeddings.embedAll(withNull)).isInstanceOf(NullPointerException.class)
                .hasMessage("texts contains null");
        assertThatThrownBy(() -> embeddings.embedAll(List.of("tent", " \n"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("texts[1] is blank; only texts with content can be embedded");
        assertThatThrownBy(() -> embeddings.embed("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text is blank; only texts with content can be embedded");
    }

    @ParameterizedTest(name = "\"{0}\" is answered by {1}")
    @CsvSource(delimiter = '|', textBlock = """
            how do I get my money back for boots that don't fit | corpus:/store/returns-policy.md
            I forgot my login and can't get into my account     | corpus:/account/password-reset.md
            my head hurts and I feel sick after hiking up to 3500 metres | corpus:/safety/altitude-sickness.md
            how do I keep animals from stealing my food at camp  | corpus:/wildlife/bear-canisters.md
            is it safe to drink straight from a mountain stream  | corpus:/water/water-filters.md
            when will my parcel arrive                           | corpus:/store/shipping-times.md
            """)
    void a_natural_question_is_nearest_to_the_document_that_answers_it(String question, String expected) {
        float[] q = embeddings.embed(question);

        List<Integer> ranking = IntStream.range(0, documents.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -cosine(q, documentVectors.get(i))))
                .toList();

        String ranked = ranking.stream().limit(3)
                .map(i -> documents.get(i).source() + String.format(" (%.3f)", cosine(q, documentVectors.get(i))))
                .toList().toString();
        assertThat(documents.get(ranking.get(0)).source()).as("nearest documents: %s", ranked).isEqualTo(expected);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }
}
