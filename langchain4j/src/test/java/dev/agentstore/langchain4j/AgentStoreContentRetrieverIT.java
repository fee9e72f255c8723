package dev.agentstore.langchain4j;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.InvalidInputException;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.EmbeddingFunction;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.knowledge.SearchMode;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.query.Query;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@AgentStoreTest(dimension = TestModel.DIMENSION)
class AgentStoreContentRetrieverIT {

    private static AgentStore store;
    private static KnowledgeBase kb;

    @BeforeAll
    static void start(TestDatabase db) {
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(2).build();
        Documents docs = store.documents("acme");
        kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("handbook", TestModel.DIMENSION));
        EmbeddingFunction model = texts -> TestModel.get().embedAll(texts.stream().map(TextSegment::from).toList())
                .content().stream().map(e -> e.vector()).toList();
        docs.ingestAll(kb.id(), List.of(
                DocumentInput.of("kb://billing/refunds", List.of("Refunds reach the card in one to two days once approved.",
                        "A refund is approved within a day of the request.")).withTitle("Refunds")
                        .withMetadata(Map.of("topic", "billing", "lang", "en")),
                DocumentInput.of("kb://billing/invoices", List.of("Invoices are issued on the 3rd of each month."))
                        .withTitle("Invoices").withMetadata(Map.of("topic", "billing", "lang", "en")),
                DocumentInput.of("kb://account/password", List.of("Reset a forgotten password from the login page."))
                        .withMetadata(Map.of("topic", "account", "lang", "en")),
                DocumentInput.of("kb://account/passwort", List.of("Ein vergessenes Passwort setzt man auf der Anmeldeseite zurück."))
                        .withMetadata(Map.of("topic", "account", "lang", "de"))), model);
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    private static AgentStoreContentRetriever.Builder retriever() {
        return AgentStoreContentRetriever.builder().store(store).tenant("acme").knowledgeBase("handbook")
                .embeddingModel(TestModel.get());
    }

    @Test
    void hybrid_retrieval_finds_the_answer_with_its_document_metadata_and_scores() {
        List<Content> contents = retriever().maxResults(2).build().retrieve(Query.from("How long until my refund arrives?"));

        assertThat(contents).hasSize(2);
        assertThat(contents).extracting(c -> c.textSegment().text()).containsExactlyInAnyOrder(
                "Refunds reach the card in one to two days once approved.", "A refund is approved within a day of the request.");
        TextSegment best = contents.get(0).textSegment();
        assertThat(best.metadata().getString("topic")).isEqualTo("billing");
        assertThat(best.metadata().getString(AgentStoreContentRetriever.SOURCE_URI_KEY)).isEqualTo("kb://billing/refunds");
        assertThat(best.metadata().getString(AgentStoreContentRetriever.TITLE_KEY)).isEqualTo("Refunds");
        assertThat((Double) contents.get(0).metadata().get(ContentMetadata.SCORE))
                .isGreaterThanOrEqualTo((Double) contents.get(1).metadata().get(ContentMetadata.SCORE));
        assertThat(contents.get(0).metadata().get(ContentMetadata.EMBEDDING_ID)).isNotNull();
    }

    @Test
    void a_filter_keeps_only_matching_documents_and_a_dynamic_filter_is_chosen_per_query() {
        List<Content> account = retriever().maxResults(10).filter(metadataKey("topic").isEqualTo("account")).build()
                .retrieve(Query.from("refund"));
        assertThat(account).extracting(c -> c.textSegment().metadata().getString("topic")).containsOnly("account");
        assertThat(account).hasSize(2);

        AgentStoreContentRetriever perUser = retriever().maxResults(10)
                .dynamicFilter(q -> metadataKey("lang").isEqualTo(q.text().contains("Passwort") ? "de" : "en")).build();
        List<Content> german = perUser.retrieve(Query.from("Passwort vergessen"));
        assertThat(german).extracting(c -> c.textSegment().text())
                .containsExactly("Ein vergessenes Passwort setzt man auf der Anmeldeseite zurück.");
        assertThat(perUser.retrieve(Query.from("password"))).extracting(c -> c.textSegment().metadata().getString("lang"))
                .containsOnly("en");
    }

    @Test
    void full_text_retrieval_needs_no_embedding_model_and_vector_retrieval_ranks_by_meaning() {
        List<Content> text = AgentStoreContentRetriever.builder().store(store).tenant("acme").knowledgeBase(kb.id())
                .mode(SearchMode.TEXT).build().retrieve(Query.from("invoices issued"));
        assertThat(text).extracting(c -> c.textSegment().text()).containsExactly("Invoices are issued on the 3rd of each month.");

        List<Content> vector = retriever().mode(SearchMode.VECTOR).maxResults(1).build()
                .retrieve(Query.from("When do I get billed?"));
        assertThat(vector).extracting(c -> c.textSegment().text()).containsExactly("Invoices are issued on the 3rd of each month.");
    }

    @Test
    void bad_configuration_is_refused_with_the_fix() {
        assertThatThrownBy(() -> AgentStoreContentRetriever.builder().store(store).tenant("acme").knowledgeBase("nope")
                .embeddingModel(TestModel.get()).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("knowledge base 'nope' does not exist");
        assertThatThrownBy(() -> AgentStoreContentRetriever.builder().store(store).tenant("acme").knowledgeBase("handbook").build())
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("embeddingModel must be set for HYBRID");
        assertThatThrownBy(() -> retriever().maxResults(0))
                .isInstanceOf(InvalidInputException.class).hasMessage("maxResults must be between 1 and 1000, but was 0");
    }

    @Test
    void metadata_values_langchain4j_cannot_hold_come_back_as_text() {
        Metadata m = MetadataValues.fromStored(Map.of("flag", true, "n", 3, "big", new java.math.BigInteger("123456789012345678901"),
                "list", List.of("a")));
        assertThat(m.getString("flag")).isEqualTo("true");
        assertThat(m.getInteger("n")).isEqualTo(3);
        assertThat(m.getString("big")).isEqualTo("123456789012345678901");
        assertThat(m.getString("list")).isEqualTo("[a]");
    }
}
