package dev.agentstore.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.observation.DefaultVectorStoreObservationConvention;

/** AgentStoreVectorStore beyond Spring AI's contract: dedup, upsert, filters, thresholds, observations. */
@AgentStoreTest(dimension = 64)
class AgentStoreVectorStoreIT {

    private static AgentStore store;

    @BeforeAll
    static void store(TestDatabase db) {
        store = AgentStore.builder().dataSource(db.dataSource()).build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static AgentStoreVectorStore vectorStore(String kb, WordHashEmbeddingModel model) {
        return AgentStoreVectorStore.builder(store, model).tenant("t").knowledgeBase(kb).build();
    }

    private static SearchRequest.Builder query(String q) {
        return SearchRequest.builder().query(q).topK(10).similarityThresholdAll();
    }

    private static List<Document> docs() {
        return List.of(
                new Document("bg-2020", "Sofia hiking trails in the Balkan mountains", Map.of("country", "BG", "year", 2020)),
                new Document("nl-none", "Amsterdam canal boat tours", Map.of("country", "NL")),
                new Document("bg-2023", "Plovdiv old town walking tours", Map.of("country", "BG", "year", 2023, "tags", "old town")),
                new Document("de-2021", "Berlin museum island guided tours", Map.of("country", "DE", "year", 2021)));
    }

    @Test
    void adding_unchanged_documents_again_embeds_and_writes_nothing() {
        WordHashEmbeddingModel model = new WordHashEmbeddingModel(64);
        AgentStoreVectorStore vs = vectorStore("dedup", model);
        vs.add(docs());
        assertThat(model.texts.get()).isEqualTo(4);
        model.texts.set(0);
        model.calls.set(0);

        vs.add(docs());

        assertThat(model.calls.get()).isZero();
        assertThat(vs.similaritySearch(query("tours").build())).hasSize(4);
    }

    @Test
    void a_document_with_an_existing_id_is_replaced() {
        AgentStoreVectorStore vs = vectorStore("upsert", new WordHashEmbeddingModel(64));
        vs.add(List.of(new Document("a", "the first text about spring", Map.of("v", 1))));
        vs.add(List.of(new Document("a", "the second text about autumn", Map.of("v", 2))));

        List<Document> hits = vs.similaritySearch(query("text").build());

        assertThat(hits).singleElement().satisfies(d -> {
            assertThat(d.getId()).isEqualTo("a");
            assertThat(d.getText()).isEqualTo("the second text about autumn");
            assertThat(d.getMetadata()).containsEntry("v", 2).containsKey("distance");
            assertThat(d.getScore()).isBetween(-1.0, 1.0);
        });
    }

    @Test
    void filter_expressions_select_documents_by_metadata() {
        AgentStoreVectorStore vs = vectorStore("filters", new WordHashEmbeddingModel(64));
        vs.add(docs());

        assertThat(ids(vs, "country == 'BG'")).containsExactlyInAnyOrder("bg-2020", "bg-2023");
        assertThat(ids(vs, "country == 'BG' && year >= 2021")).containsExactly("bg-2023");
        assertThat(ids(vs, "year > 2020")).containsExactlyInAnyOrder("bg-2023", "de-2021");
        assertThat(ids(vs, "year < 2021")).containsExactly("bg-2020");
        assertThat(ids(vs, "year <= 2021 && year >= 2021")).containsExactly("de-2021");
        assertThat(ids(vs, "country in ['NL', 'DE']")).containsExactlyInAnyOrder("nl-none", "de-2021");
        assertThat(ids(vs, "country nin ['NL', 'DE']")).containsExactlyInAnyOrder("bg-2020", "bg-2023");
        assertThat(ids(vs, "country != 'BG'")).containsExactlyInAnyOrder("nl-none", "de-2021");
        assertThat(ids(vs, "NOT(country == 'BG' || country == 'NL')")).containsExactly("de-2021");
        assertThat(ids(vs, "(country == 'BG' && year == 2020) || country == 'NL'")).containsExactlyInAnyOrder("bg-2020", "nl-none");
        assertThat(ids(vs, "year IS NULL")).containsExactly("nl-none");
        assertThat(ids(vs, "year IS NOT NULL")).hasSize(3);
        assertThat(ids(vs, "country == 'FR'")).isEmpty();
    }

    @Test
    void a_filter_key_agentstore_does_not_accept_is_refused_naming_it() {
        AgentStoreVectorStore vs = vectorStore("badkey", new WordHashEmbeddingModel(64));
        assertThatThrownBy(() -> vs.similaritySearch(query("x").filterExpression("\"foo bar\" == 'x'").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("foo bar");
    }

    @Test
    void the_similarity_threshold_and_top_k_limit_the_results() {
        AgentStoreVectorStore vs = vectorStore("threshold", new WordHashEmbeddingModel(64));
        vs.add(docs());

        List<Document> all = vs.similaritySearch(query("Amsterdam canal boat tours").build());
        assertThat(all).hasSize(4);
        assertThat(all.get(0).getId()).isEqualTo("nl-none");
        assertThat(all.get(0).getScore()).isGreaterThan(0.99);
        assertThat(all).extracting(Document::getScore).isSortedAccordingTo((a, b) -> Double.compare(b, a));

        List<Document> close = vs.similaritySearch(query("Amsterdam canal boat tours").similarityThreshold(0.99).build());
        assertThat(close).extracting(Document::getId).containsExactly("nl-none");

        assertThat(vs.similaritySearch(query("tours").topK(2).build())).hasSize(2);
    }

    @Test
    void identical_texts_are_one_chunk_but_separate_documents() {
        WordHashEmbeddingModel model = new WordHashEmbeddingModel(64);
        AgentStoreVectorStore vs = vectorStore("shared", model);
        vs.add(List.of(new Document("x", "same words here", Map.of("n", 1)), new Document("y", "same words here", Map.of("n", 2))));

        assertThat(model.texts.get()).isEqualTo(1);
        assertThat(store.documents("t").countChunks(vs.knowledgeBaseId())).isEqualTo(1);
        assertThat(vs.similaritySearch(query("same").build())).extracting(Document::getId).containsExactlyInAnyOrder("x", "y");
        assertThat(ids(vs, "n == 2")).containsExactly("y");

        vs.delete(List.of("x"));
        assertThat(vs.similaritySearch(query("same").build())).extracting(Document::getId).containsExactly("y");
        assertThat(store.documents("t").countChunks(vs.knowledgeBaseId())).isEqualTo(1);
    }

    @Test
    void delete_by_ids_ignores_unknown_ids() {
        AgentStoreVectorStore vs = vectorStore("delete", new WordHashEmbeddingModel(64));
        vs.add(docs());
        vs.delete(List.of("bg-2020", "no-such-id"));
        assertThat(vs.similaritySearch(query("tours").build())).extracting(Document::getId)
                .containsExactlyInAnyOrder("nl-none", "bg-2023", "de-2021");
    }

    @Test
    void a_document_without_text_is_refused_before_anything_is_written() {
        AgentStoreVectorStore vs = vectorStore("notext", new WordHashEmbeddingModel(64));
        assertThatThrownBy(() -> vs.add(List.of(new Document("ok", "fine", Map.of()), new Document("empty", " ", Map.of()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'empty'");
        assertThat(vs.similaritySearch(query("fine").build())).isEmpty();
    }

    @Test
    void every_operation_is_observed_with_spring_ai_conventions() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        AgentStoreVectorStore vs = AgentStoreVectorStore.builder(store, new WordHashEmbeddingModel(64))
                .tenant("t").knowledgeBase("observed").observationRegistry(registry).build();

        vs.add(docs());
        TestObservationRegistryAssert.assertThat(registry)
                .doesNotHaveAnyRemainingCurrentObservation()
                .hasObservationWithNameEqualTo(DefaultVectorStoreObservationConvention.DEFAULT_NAME)
                .that()
                .hasContextualNameEqualTo("agentstore add")
                .hasLowCardinalityKeyValue("db.system", "agentstore")
                .hasHighCardinalityKeyValue("db.collection.name", "observed")
                .hasBeenStarted()
                .hasBeenStopped();

        registry.clear();
        vs.similaritySearch(query("tours").build());
        TestObservationRegistryAssert.assertThat(registry)
                .hasObservationWithNameEqualTo(DefaultVectorStoreObservationConvention.DEFAULT_NAME)
                .that()
                .hasContextualNameEqualTo("agentstore query")
                .hasHighCardinalityKeyValue("db.vector.query.top_k", "10")
                .hasBeenStopped();
    }

    private static List<String> ids(AgentStoreVectorStore vs, String filter) {
        return vs.similaritySearch(query("tours").filterExpression(filter).build()).stream().map(Document::getId).toList();
    }
}
