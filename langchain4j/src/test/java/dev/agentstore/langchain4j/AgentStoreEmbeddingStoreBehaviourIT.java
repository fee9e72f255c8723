package dev.agentstore.langchain4j;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.agentstore.AgentStore;
import dev.agentstore.DimensionMismatchException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.document.DistanceMetric;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchRequest;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What {@link AgentStoreEmbeddingStore} does beyond LangChain4j's contract suites (which run unmodified next to this). */
@AgentStoreTest(dimension = 4)
class AgentStoreEmbeddingStoreBehaviourIT {

    private static AgentStore store;
    private static AgentStore bulkStore;

    @BeforeAll
    static void start(TestDatabase db) {
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(2).build();
        bulkStore = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(2)
                .bulkLoadThreshold(10).build();
    }

    @AfterAll
    static void stop() {
        store.close();
        bulkStore.close();
    }

    private static AgentStoreEmbeddingStore fresh(DistanceMetric metric) {
        return AgentStoreEmbeddingStore.builder().store(store).tenant("behaviour").knowledgeBase("kb-" + UUID.randomUUID())
                .dimension(4).metric(metric).build();
    }

    private static Embedding e(float... v) {
        return Embedding.from(v);
    }

    private static List<EmbeddingMatch<TextSegment>> search(EmbeddingStore<TextSegment> s, Embedding q, int max, double minScore) {
        return s.search(EmbeddingSearchRequest.builder().queryEmbedding(q).maxResults(max).minScore(minScore).build()).matches();
    }

    /** The README's setup, verbatim. */
    @Test
    void readme_setup() {
        EmbeddingModel model = TestModel.get(); // e.g. new AllMiniLmL6V2QuantizedEmbeddingModel()
        // README: LangChain4j embedding store
        EmbeddingStore<TextSegment> embeddingStore = AgentStoreEmbeddingStore.builder()
                .store(store).tenant("acme").knowledgeBase("handbook").dimension(384).build(); // created when missing
        TextSegment segment = TextSegment.from("Refunds reach the card in two days.", Metadata.from("topic", "billing"));
        embeddingStore.add(model.embed(segment).content(), segment);
        List<EmbeddingMatch<TextSegment>> matches = embeddingStore.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(model.embed("How long does a refund take?").content())
                .filter(metadataKey("topic").isEqualTo("billing")).maxResults(3).minScore(0.6).build()).matches();

        assertThat(matches).hasSize(1);
        assertThat(matches.get(0).embedded()).isEqualTo(segment);
        assertThat(matches.get(0).score()).isBetween(0.6, 1.0);
    }

    @Test
    void scores_follow_langchain4j_for_every_metric_and_min_score_keeps_an_equal_score() {
        Embedding q = e(1, 0, 0, 0);
        Embedding other = e(0.6f, 0.8f, 0, 0); // unit length: cosine 0.6, inner product 0.6, L2 distance sqrt(0.8)
        double[] expected = {(1 + 0.6) / 2, (1 + 0.6) / 2, 1 / (1 + Math.sqrt(0.8))};
        DistanceMetric[] metrics = {DistanceMetric.COSINE, DistanceMetric.INNER_PRODUCT, DistanceMetric.L2};
        for (int i = 0; i < metrics.length; i++) {
            AgentStoreEmbeddingStore s = fresh(metrics[i]);
            s.add("same", q);
            s.add("other", other);

            List<EmbeddingMatch<TextSegment>> all = search(s, q, 10, 0);
            assertThat(all).extracting(EmbeddingMatch::embeddingId).as(metrics[i].name()).containsExactly("same", "other");
            assertThat(all.get(0).score()).as(metrics[i].name()).isCloseTo(1.0, within(1e-6));
            assertThat(all.get(1).score()).as(metrics[i].name()).isCloseTo(expected[i], within(1e-6));
            double exact = all.get(1).score();
            assertThat(search(s, q, 10, exact)).as("minScore equal to a score keeps it").hasSize(2);
            assertThat(search(s, q, 10, Math.nextUp(exact))).hasSize(1);
            assertThat(search(s, q, 1, 0)).hasSize(1);
        }
    }

    @Test
    void entries_with_equal_texts_keep_their_own_embeddings_and_exact_text() {
        AgentStoreEmbeddingStore s = fresh(DistanceMetric.COSINE);
        String a = s.add(e(1, 0, 0, 0), TextSegment.from("hello   world "));
        String b = s.add(e(0, 1, 0, 0), TextSegment.from("hello   world "));

        EmbeddingMatch<TextSegment> first = search(s, e(1, 0, 0, 0), 1, 0).get(0);
        EmbeddingMatch<TextSegment> second = search(s, e(0, 1, 0, 0), 1, 0).get(0);
        assertThat(first.embeddingId()).isEqualTo(a);
        assertThat(second.embeddingId()).isEqualTo(b);
        assertThat(first.embedding().vector()).containsExactly(1, 0, 0, 0);
        assertThat(second.embedding().vector()).containsExactly(0, 1, 0, 0);
        assertThat(first.embedded().text()).isEqualTo("hello   world ");
        assertThat(first.score()).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void adding_an_id_again_replaces_its_entry_and_the_last_of_a_repeated_id_wins() {
        AgentStoreEmbeddingStore s = fresh(DistanceMetric.COSINE);
        s.add("x", e(1, 0, 0, 0));
        s.addAll(List.of("x", "y", "x"), List.of(e(0, 1, 0, 0), e(0, 0, 1, 0), e(0, 0, 0, 1)),
                List.of(TextSegment.from("first"), TextSegment.from("y"), TextSegment.from("last", new Metadata().put("k", 1))));

        List<EmbeddingMatch<TextSegment>> all = search(s, e(0, 0, 0, 1), 10, 0);
        assertThat(all).extracting(EmbeddingMatch::embeddingId).containsExactlyInAnyOrder("x", "y");
        assertThat(all.get(0).embeddingId()).isEqualTo("x");
        assertThat(all.get(0).embedded()).isEqualTo(TextSegment.from("last", new Metadata().put("k", 1)));
        assertThat(store.documents("behaviour").countChunks(s.knowledgeBase().id())).as("replaced content removed").isEqualTo(2);
    }

    @Test
    void add_all_goes_through_the_bulk_load_and_remove_all_by_ids_takes_more_than_a_thousand() {
        AgentStoreEmbeddingStore s = AgentStoreEmbeddingStore.builder().store(bulkStore).tenant("behaviour")
                .knowledgeBase("bulk-" + UUID.randomUUID()).dimension(4).build();
        int n = 1_200;
        List<String> ids = new ArrayList<>();
        List<Embedding> embeddings = new ArrayList<>();
        List<TextSegment> segments = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("id-" + i);
            embeddings.add(e(1, i, i % 7, 1));
            segments.add(i % 2 == 0 ? null : TextSegment.from("text " + i, new Metadata().put("i", i)));
        }
        s.addAll(ids, embeddings, segments);

        List<SearchHit> hits = bulkStore.knowledge("behaviour").search(SearchRequest.vector(new float[] {1, 3, 3, 1})
                .knowledgeBases(s.knowledgeBase().id()).limit(1).exact(true).build());
        assertThat(hits.get(0).document().sourceUri()).isEqualTo("id-3");
        assertThat(hits.get(0).text()).isEqualTo("text 3");
        EmbeddingMatch<TextSegment> noText = search(s, e(1, 4, 4, 1), 1, 0).get(0);
        assertThat(noText.embeddingId()).isEqualTo("id-4");
        assertThat(noText.embedded()).isNull();

        s.removeAll(ids.subList(0, 1_100));
        assertThat(store.documents("behaviour").listDocuments(s.knowledgeBase().id())).hasSize(100);
        s.removeAll(metadataKey("i").isGreaterThanOrEqualTo(1_150));
        assertThat(store.documents("behaviour").listDocuments(s.knowledgeBase().id())).hasSize(75);
        s.removeAll();
        assertThat(store.documents("behaviour").countChunks(s.knowledgeBase().id())).isZero();
    }

    @Test
    void the_builder_finds_or_creates_the_knowledge_base_and_refuses_a_mismatch() {
        String name = "kb-" + UUID.randomUUID();
        AgentStoreEmbeddingStore created = AgentStoreEmbeddingStore.builder().store(store).tenant("behaviour").knowledgeBase(name)
                .dimension(4).metric(DistanceMetric.L2).build();
        AgentStoreEmbeddingStore found = AgentStoreEmbeddingStore.builder().store(store).tenant("behaviour").knowledgeBase(name).build();

        assertThat(found.knowledgeBase().id()).isEqualTo(created.knowledgeBase().id());
        assertThat(found.knowledgeBase().metric()).isEqualTo(DistanceMetric.L2);
        assertThat(found.toString()).contains(name).contains("L2").contains("dimension=4");
        assertThatThrownBy(() -> AgentStoreEmbeddingStore.builder().store(store).tenant("behaviour").knowledgeBase(name)
                .dimension(8).build()).isInstanceOf(DimensionMismatchException.class);
        assertThatThrownBy(() -> AgentStoreEmbeddingStore.builder().store(store).tenant("behaviour").knowledgeBase(name)
                .metric(DistanceMetric.COSINE).build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("uses metric L2, not COSINE");
        assertThatThrownBy(() -> AgentStoreEmbeddingStore.builder().store(store).tenant("behaviour")
                .knowledgeBase("missing-" + UUID.randomUUID()).build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("give its dimension to create it");
        assertThatThrownBy(() -> AgentStoreEmbeddingStore.builder().tenant("behaviour").build())
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("store must be set");
        assertThatThrownBy(() -> AgentStoreEmbeddingStore.builder().store(store).build())
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("tenant must be set");
    }

    @Test
    void bad_input_is_refused_before_any_sql_and_nothing_is_written() {
        AgentStoreEmbeddingStore s = fresh(DistanceMetric.COSINE);

        assertThatThrownBy(() -> s.addAll(List.of("a"), List.of(e(1, 0, 0, 0), e(0, 1, 0, 0)), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must have the same size");
        assertThatThrownBy(() -> s.addAll(List.of("a", " "), List.of(e(1, 0, 0, 0), e(0, 1, 0, 0)), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ids[1] must not be null or blank");
        assertThatThrownBy(() -> s.add("a", e(1, 0, 0))).isInstanceOf(DimensionMismatchException.class);
        assertThatThrownBy(() -> s.add("a", e(0, 0, 0, 0))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("cosine");
        assertThatThrownBy(() -> s.search(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.search(EmbeddingSearchRequest.builder().queryEmbedding(e(1, 0, 0, 0))
                .filter(metadataKey("bad key").isEqualTo(1)).build())).isInstanceOf(InvalidInputException.class);
        assertThat(search(s, e(1, 0, 0, 0), 10, 0)).isEmpty();
    }
}
