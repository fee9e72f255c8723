package dev.agentstore.knowledge;

import static dev.agentstore.knowledge.Corpus.piece;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.agentstore.AgentStore;
import dev.agentstore.DimensionMismatchException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.document.DistanceMetric;
import dev.agentstore.document.DocumentId;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.document.TextSearchConfig;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@AgentStoreTest(dimension = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KnowledgeSearchIT {

    private static final float[] EAST = {1, 0, 0};

    private AgentStore store;

    @BeforeAll
    void open(TestDatabase db) {
        store = AgentStore.builder().dataSource(db.dataSource()).build();
    }

    @AfterAll
    void close() {
        store.close();
    }

    /** A fresh tenant per test, so tests share the database without seeing each other's rows. */
    private static String newTenant() {
        return "t-" + UUID.randomUUID();
    }

    private static List<String> texts(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::text).toList();
    }

    @Test
    void vector_search_returns_nearest_chunks_first_with_cosine_similarity_as_score() {
        // given
        String tenant = newTenant();
        Corpus corpus = new Corpus(store.dsl(), tenant);
        KnowledgeBaseId kb = corpus.knowledgeBase("docs", DistanceMetric.COSINE, TextSearchConfig.ENGLISH, 3);
        DocumentId manual = corpus.document(kb, "manual/account.md", "Account", "manual", Map.of("lang", "en"),
                piece("Reset your password from the account settings page.", 1, 0, 0),
                piece("Contact support by phone.", 0.6f, 0, 0.8f));
        corpus.document(kb, "faq/billing", "Billing", "faq", Map.of(),
                piece("Invoices are sent by email every month.", 0.8f, 0.6f, 0),
                piece("Refunds take five business days.", 0, 1, 0));

        // when
        List<SearchHit> hits = store.knowledge(tenant).search(SearchRequest.vector(EAST).build());

        // then
        assertThat(texts(hits)).containsExactly("Reset your password from the account settings page.",
                "Invoices are sent by email every month.", "Contact support by phone.", "Refunds take five business days.");
        assertThat(hits.stream().mapToDouble(SearchHit::score).toArray())
                .containsExactly(new double[] {1.0, 0.8, 0.6, 0.0}, within(1e-6));
        assertThat(hits.get(2).distance()).isCloseTo(0.4, within(1e-6));
        assertThat(hits.get(2).score()).isCloseTo(1 - hits.get(2).distance(), within(1e-12));
        SearchHit phone = hits.get(2);
        assertThat(phone.chunkIndex()).isEqualTo(1);
        assertThat(phone.knowledgeBaseId()).isEqualTo(kb);
        assertThat(phone.document().id()).isEqualTo(manual);
        assertThat(phone.document().sourceUri()).isEqualTo("manual/account.md");
        assertThat(phone.document().title()).isEqualTo("Account");
        assertThat(phone.document().docType()).isEqualTo("manual");
        assertThat(phone.document().metadata()).isEqualTo(Map.of("lang", "en"));
        assertThat(phone.documents()).containsExactly(phone.document());
        assertThat(phone.toString()).doesNotContain("phone");
    }

    @Test
    void limit_returns_only_the_k_nearest() {
        String tenant = newTenant();
        Corpus corpus = new Corpus(store.dsl(), tenant);
        KnowledgeBaseId kb = corpus.knowledgeBase("docs", DistanceMetric.COSINE, TextSearchConfig.SIMPLE, 3);
        corpus.document(kb, "a", null, null, Map.of(), piece("near", 1, 0.1f, 0), piece("middle", 1, 1, 0),
                piece("far", 0, 1, 0));

        List<SearchHit> hits = store.knowledge(tenant).search(SearchRequest.vector(EAST).limit(2).build());

        assertThat(texts(hits)).containsExactly("near", "middle");
    }

    @Test
    void l2_and_inner_product_scores_follow_their_documented_formulas() {
        String tenant = newTenant();
        Corpus corpus = new Corpus(store.dsl(), tenant);
        KnowledgeBaseId l2 = corpus.knowledgeBase("l2", DistanceMetric.L2, TextSearchConfig.SIMPLE, 3);
        KnowledgeBaseId ip = corpus.knowledgeBase("ip", DistanceMetric.INNER_PRODUCT, TextSearchConfig.SIMPLE, 3);
        corpus.document(l2, "l2", null, null, Map.of(), piece("same", 1, 0, 0), piece("two away", 1, 2, 0));
        corpus.document(ip, "ip", null, null, Map.of(), piece("long", 2, 0, 0), piece("short", 0.5f, 0, 0));
        Knowledge knowledge = store.knowledge(tenant);

        List<SearchHit> byL2 = knowledge.search(SearchRequest.vector(EAST).knowledgeBases(l2).build());
        List<SearchHit> byIp = knowledge.search(SearchRequest.vector(EAST).knowledgeBases(ip).build());

        assertThat(texts(byL2)).containsExactly("same", "two away");
        assertThat(byL2.get(1).distance()).isCloseTo(2.0, within(1e-6));
        assertThat(byL2.get(1).score()).isCloseTo(1.0 / 3.0, within(1e-6));
        assertThat(byL2.get(0).score()).isEqualTo(1.0);
        assertThat(texts(byIp)).containsExactly("long", "short");
        assertThat(byIp.get(0).distance()).isCloseTo(-2.0, within(1e-6));
        assertThat(byIp.get(0).score()).isCloseTo(2.0, within(1e-6));
        assertThat(byIp.get(1).score()).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void min_score_drops_weaker_hits() {
        String tenant = newTenant();
        Corpus corpus = new Corpus(store.dsl(), tenant);
        KnowledgeBaseId kb = corpus.knowledgeBase("docs", DistanceMetric.COSINE, TextSearchConfig.SIMPLE, 3);
        corpus.document(kb, "a", null, null, Map.of(), piece("one", 1, 0, 0), piece("two", 0.9f, 0.1f, 0),
                piece("three", 0.5f, 0.5f, 0));
        Knowledge knowledge = store.knowledge(tenant);

        List<SearchHit> strict = knowledge.search(SearchRequest.vector(EAST).minScore(0.995).build());
        List<SearchHit> loose = knowledge.search(SearchRequest.vector(EAST).minScore(0.99).build());

        assertThat(texts(strict)).containsExactly("one");
        assertThat(texts(loose)).containsExactly("one", "two");
        assertThat(loose).allSatisfy(h -> assertThat(h.score()).isGreaterThanOrEqualTo(0.99));
    }

    // ------------------------------------------------------------------------------------------
    // filters

    private String filterCorpus() {
        String tenant = newTenant();
        Corpus corpus = new Corpus(store.dsl(), tenant);
        KnowledgeBaseId kb = corpus.knowledgeBase("docs", DistanceMetric.COSINE, TextSearchConfig.SIMPLE, 3);
        corpus.document(kb, "https://ex.com/a%b_c/1", "One", "faq",
                Map.of("category", "billing", "priority", 1, "tags", List.of("x", "y"), "lang", "en"),
                Instant.parse("2026-01-01T00:00:00Z"), piece("one", 1, 0, 0));
        corpus.document(kb, "https://ex.com/aXbYc/2", "Two", "manual",
                Map.of("category", "account", "priority", 5, "tags", List.of("y"), "lang", "de"),
                Instant.parse("2026-02-01T00:00:00Z"), piece("two", 0.9f, 0.1f, 0));
        corpus.document(kb, "https://ex.com/other/3", "Three", "faq",
                Map.of("category", "account", "priority", 10, "archived", true),
                Instant.parse("2026-03-01T00:00:00Z"), piece("three", 0.8f, 0.2f, 0));
        corpus.document(kb, "file:///notes/4", "Four", null, Map.of("priority", "high"),
                Instant.parse("2026-04-01T00:00:00Z"), piece("four", 0.7f, 0.3f, 0));
        return tenant;
    }

    private List<String> searchWith(String tenant, Filter filter) {
        return texts(store.knowledge(tenant).search(SearchRequest.vector(EAST).filter(filter).build()));
    }

    @Test
    void every_filter_kind_keeps_exactly_the_matching_documents() {
        String t = filterCorpus();

        assertThat(searchWith(t, Filter.docType("faq"))).containsExactly("one", "three");
        assertThat(searchWith(t, Filter.docTypes(List.of("faq", "manual")))).containsExactly("one", "two", "three");
        assertThat(searchWith(t, Filter.sourceUriPrefix("https://ex.com/"))).containsExactly("one", "two", "three");
        assertThat(searchWith(t, Filter.createdBetween(Instant.parse("2026-01-15T00:00:00Z"),
                Instant.parse("2026-03-01T00:00:00Z")))).containsExactly("two");
        assertThat(searchWith(t, Filter.createdBetween(Instant.parse("2026-03-01T00:00:00Z"), null)))
                .containsExactly("three", "four");
        assertThat(searchWith(t, Filter.metadata("category").eq("account"))).containsExactly("two", "three");
        assertThat(searchWith(t, Filter.metadata("priority").eq(5))).containsExactly("two");
        assertThat(searchWith(t, Filter.metadata("priority").eq("5"))).isEmpty();
        assertThat(searchWith(t, Filter.metadata("archived").eq(true))).containsExactly("three");
        assertThat(searchWith(t, Filter.metadata("category").in("billing", "account"))).containsExactly("one", "two", "three");
        assertThat(searchWith(t, Filter.metadata("priority").between(2, 10))).containsExactly("two", "three");
        assertThat(searchWith(t, Filter.metadata("priority").atMost(1.5))).containsExactly("one");
        assertThat(searchWith(t, Filter.metadata("priority").atLeast("a"))).containsExactly("four");
        assertThat(searchWith(t, Filter.metadata("archived").exists())).containsExactly("three");
        assertThat(searchWith(t, Filter.metadata("tags").contains("y"))).containsExactly("one", "two");
        assertThat(searchWith(t, Filter.metadata("tags").contains(List.of("x", "y")))).containsExactly("one");
    }

    @Test
    void filters_combine_with_and_or_not_and_a_missing_key_counts_as_not_matching() {
        String t = filterCorpus();

        assertThat(searchWith(t, Filter.and(Filter.docType("faq"), Filter.metadata("category").eq("account"))))
                .containsExactly("three");
        assertThat(searchWith(t, Filter.metadata("category").eq("billing").or(Filter.metadata("archived").exists())))
                .containsExactly("one", "three");
        assertThat(searchWith(t, Filter.not(Filter.metadata("category").eq("account")))).containsExactly("one", "four");
        assertThat(searchWith(t, Filter.not(Filter.docType("faq")))).containsExactly("two", "four");
        assertThat(searchWith(t, Filter.or(Filter.and(Filter.docType("manual"), Filter.metadata("lang").eq("de")),
                Filter.not(Filter.metadata("priority").exists().or(Filter.docType("faq")))))).containsExactly("two");
    }

    @Test
    void a_source_uri_prefix_is_literal_so_like_wildcards_in_it_match_only_themselves() {
        String t = filterCorpus();

        assertThat(searchWith(t, Filter.sourceUriPrefix("https://ex.com/a%b_c/"))).containsExactly("one");
        assertThat(searchWith(t, Filter.sourceUriPrefix("https://ex.com/a_b"))).isEmpty();
        assertThat(searchWith(t, Filter.sourceUriPrefix("%"))).isEmpty();
    }

    @Test
    void contains_text_matches_substrings_of_string_values_only_case_sensitively_and_literally() {
        String t = filterCorpus();

        assertThat(searchWith(t, Filter.metadata("category").containsText("ount"))).containsExactly("two", "three");
        assertThat(searchWith(t, Filter.metadata("category").containsText("billing"))).containsExactly("one");
        assertThat(searchWith(t, Filter.metadata("category").containsText("Billing"))).isEmpty();
        assertThat(searchWith(t, Filter.metadata("priority").containsText("1"))).isEmpty();
        assertThat(searchWith(t, Filter.metadata("priority").containsText("ig"))).containsExactly("four");
        assertThat(searchWith(t, Filter.metadata("tags").containsText("x"))).isEmpty();
        assertThat(searchWith(t, Filter.metadata("category").containsText("%"))).isEmpty();
        assertThat(searchWith(t, Filter.metadata("category").containsText("_"))).isEmpty();
        assertThat(searchWith(t, Filter.not(Filter.metadata("category").containsText("ount"))))
                .containsExactly("one", "four");
        assertThatThrownBy(() -> Filter.metadata("category").containsText(""))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("containsText on 'category' needs 1 to 2000 characters, but had 0");
    }

    @Test
    void hostile_filter_values_are_data_not_sql_or_json_path() {
        // given: documents whose metadata holds text that would break SQL or JSON path if spliced in
        String tenant = newTenant();
        Corpus corpus = new Corpus(store.dsl(), tenant);
        KnowledgeBaseId kb = corpus.knowledgeBase("docs", DistanceMetric.COSINE, TextSearchConfig.SIMPLE, 3);
        List<String> hostile = List.of("it's", "'; DROP TABLE agentstore.chunk; --", "$$ || pg_sleep(5) || $$",
                "$.tags[*] ? (@ == \"x\")", "\\", "%", "{\"a\": 1}", "' OR '1'='1");
        for (int i = 0; i < hostile.size(); i++) {
            corpus.document(kb, "doc" + i + hostile.get(i), null, "t'" + i, Map.of("note", hostile.get(i)),
                    piece("chunk " + i, 1, i, 0));
        }
        Knowledge knowledge = store.knowledge(tenant);

        // when / then: each value finds exactly its own document
        for (int i = 0; i < hostile.size(); i++) {
            String value = hostile.get(i);
            assertThat(texts(knowledge.search(SearchRequest.vector(EAST).filter(Filter.metadata("note").eq(value)).build())))
                    .as(value).containsExactly("chunk " + i);
            assertThat(texts(knowledge.search(SearchRequest.vector(EAST).filter(Filter.sourceUriPrefix("doc" + i + value)).build())))
                    .as(value).containsExactly("chunk " + i);
            assertThat(texts(knowledge.search(SearchRequest.vector(EAST).filter(Filter.metadata("note").contains(value)).build())))
                    .as(value).containsExactly("chunk " + i);
            List<String> containing = new ArrayList<>();
            for (int j = 0; j < hostile.size(); j++) {
                if (hostile.get(j).contains(value)) {
                    containing.add("chunk " + j);
                }
            }
            assertThat(texts(knowledge.search(SearchRequest.vector(EAST).filter(Filter.metadata("note").containsText(value)).build())))
                    .as(value).containsExactlyInAnyOrderElementsOf(containing);
        }
        assertThat(texts(knowledge.search(SearchRequest.vector(EAST).filter(Filter.docType("t'3")).build())))
                .containsExactly("chunk 3");
        assertThat(knowledge.search(SearchRequest.text("'; DROP TABLE agentstore.chunk; -- $$ \\ ' | & !").build()))
                .isNotNull();
        assertThat(knowledge.search(SearchRequest.vector(EAST).build())).hasSize(hostile.size());
    }

    @Test
    void a_metadata_key_with_odd_characters_is_refused_before_any_sql() {
        for (String key : List.of("a'b", "a b", "$.x", "tags[0]", "", "1st", "a\"b", "x".repeat(65), "k->>'x'")) {
            assertThatThrownBy(() -> Filter.metadata(key)).as(key)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("is not allowed: keys are top-level names of 1 to 64 characters");
        }
        assertThatThrownBy(() -> Filter.metadata(null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("metadata key must not be null");
        assertThat(Filter.metadata("page.no-2_x").exists()).isEqualTo(new Filter.MetadataExists("page.no-2_x"));
    }

    // ------------------------------------------------------------------------------------------
    // documents, tenants, knowledge bases

    @Test
    void content_shared_by_several_documents_is_one_hit_listing_every_document() {
        // given: the same paragraph in two documents (one chunk row), once twice in the same document
        String tenant = newTenant();
        Corpus corpus = new Corpus(store.dsl(), tenant);
        KnowledgeBaseId kb = corpus.knowledgeBase("docs", DistanceMetric.COSINE, TextSearchConfig.SIMPLE, 3);
        DocumentId older = corpus.document(kb, "a", "A", "manual", Map.of(), Instant.parse("2026-01-01T00:00:00Z"),
                piece("intro", 0, 1, 0), piece("Shared paragraph.", 1, 0, 0), piece("Shared  paragraph.", 1, 0, 0));
        DocumentId newer = corpus.document(kb, "b", "B", "faq", Map.of(), Instant.parse("2026-02-01T00:00:00Z"),
                piece("Shared paragraph.", 1, 0, 0));
        Knowledge knowledge = store.knowledge(tenant);

        // when
        List<SearchHit> all = knowledge.search(SearchRequest.vector(EAST).build());
        List<SearchHit> faqOnly = knowledge.search(SearchRequest.vector(EAST).filter(Filter.docType("faq")).build());

        // then
        assertThat(texts(all)).containsExactly("Shared paragraph.", "intro");
        SearchHit shared = all.get(0);
        assertThat(shared.documents()).extracting(DocumentRef::id).containsExactly(older, newer);
        assertThat(shared.document().id()).isEqualTo(older);
        assertThat(shared.chunkIndex()).isEqualTo(1);
        assertThat(shared.documents().get(1).chunkIndex()).isZero();
        assertThat(faqOnly).hasSize(1);
        assertThat(faqOnly.get(0).document().id()).isEqualTo(newer);
        assertThat(faqOnly.get(0).chunkIndex()).isZero();
        assertThat(faqOnly.get(0).documents()).extracting(DocumentRef::id, DocumentRef::matchesFilter)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(newer, true), org.assertj.core.groups.Tuple.tuple(older, false));
    }

    @Test
    void a_tenant_never_sees_another_tenants_chunks_or_knowledge_bases() {
        String alice = newTenant();
        String bob = newTenant();
        KnowledgeBaseId aliceKb = new Corpus(store.dsl(), alice).knowledgeBase("docs", DistanceMetric.COSINE, TextSearchConfig.SIMPLE, 3);
        KnowledgeBaseId bobKb = new Corpus(store.dsl(), bob).knowledgeBase("docs", DistanceMetric.COSINE, TextSearchConfig.SIMPLE, 3);
        new Corpus(store.dsl(), alice).document(aliceKb, "a", null, null, Map.of(), piece("alice secret", 1, 0, 0));
        new Corpus(store.dsl(), bob).document(bobKb, "a", null, null, Map.of(), piece("bob secret", 1, 0, 0));

        assertThat(texts(store.knowledge(alice).search(SearchRequest.vector(EAST).build()))).containsExactly("alice secret");
        assertThat(texts(store.knowledge(alice).search(SearchRequest.text("secret").build()))).containsExactly("alice secret");
        assertThat(texts(store.knowledge(alice).search(SearchRequest.hybrid("secret", EAST).build()))).containsExactly("alice secret");
        assertThatThrownBy(() -> store.knowledge(alice).search(SearchRequest.vector(EAST).knowledgeBases(bobKb).build()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("knowledge base " + bobKb + " not found for tenant '" + alice + "'");
        assertThat(store.knowledge(newTenant()).search(SearchRequest.vector(EAST).build())).isEmpty();
    }

    @Test
    void knowledge_bases_restrict_the_search_and_mixed_metrics_are_refused() {
        String tenant = newTenant();
        Corpus corpus = new Corpus(store.dsl(), tenant);
        KnowledgeBaseId one = corpus.knowledgeBase("one", DistanceMetric.COSINE, TextSearchConfig.SIMPLE, 3);
        KnowledgeBaseId two = corpus.knowledgeBase("two", DistanceMetric.COSINE, TextSearchConfig.SIMPLE, 3);
        KnowledgeBaseId l2 = corpus.knowledgeBase("l2", DistanceMetric.L2, TextSearchConfig.SIMPLE, 3);
        corpus.document(one, "a", null, null, Map.of(), piece("in one", 1, 0, 0));
        corpus.document(two, "a", null, null, Map.of(), piece("in two", 1, 0.1f, 0));
        Knowledge knowledge = store.knowledge(tenant);

        assertThat(texts(knowledge.search(SearchRequest.vector(EAST).knowledgeBases(two).build()))).containsExactly("in two");
        assertThat(texts(knowledge.search(SearchRequest.vector(EAST).knowledgeBases(one, two).build())))
                .containsExactly("in one", "in two");
        assertThatThrownBy(() -> knowledge.search(SearchRequest.vector(EAST).build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("different distance metrics [cosine, l2]");
        assertThat(l2).isNotNull();
    }

    @Test
    void faq_entries_are_documents_with_metadata_searchable_by_category() {
        // given: FAQ entries stored as one-chunk documents with question, answer and category in the metadata
        String tenant = newTenant();
        Corpus corpus = new Corpus(store.dsl(), tenant);
        KnowledgeBaseId faq = corpus.knowledgeBase("faq", DistanceMetric.COSINE, TextSearchConfig.ENGLISH, 3);
        record Entry(String question, String answer, String category, float[] embedding) {
        }
        List<Entry> entries = List.of(
                new Entry("How do I get a refund?", "Refunds are issued within 5 days.", "billing", new float[] {1, 0, 0}),
                new Entry("How do I change my card?", "Open Billing > Payment methods.", "billing", new float[] {0.8f, 0.2f, 0}),
                new Entry("How do I reset my password?", "Use 'Forgot password' on the login page.", "account", new float[] {0.95f, 0, 0.05f}));
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            corpus.document(faq, "faq://" + i, e.question(), "faq",
                    Map.of("question", e.question(), "answer", e.answer(), "category", e.category()),
                    piece("Q: " + e.question() + "\nA: " + e.answer(), e.embedding()));
        }

        // when
        List<SearchHit> billing = store.knowledge(tenant).search(SearchRequest.vector(EAST)
                .filter(Filter.metadata("category").eq("billing")).limit(5).build());
        List<SearchHit> byText = store.knowledge(tenant).search(SearchRequest.text("password")
                .filter(Filter.metadata("category").eq("account")).build());

        // then
        assertThat(billing).extracting(h -> h.document().metadata().get("question"))
                .containsExactly("How do I get a refund?", "How do I change my card?");
        assertThat(billing.get(0).document().metadata().get("answer")).isEqualTo("Refunds are issued within 5 days.");
        assertThat(byText).extracting(h -> h.document().title()).containsExactly("How do I reset my password?");
    }

    // ------------------------------------------------------------------------------------------
    // full-text and hybrid

    @Test
    void text_search_matches_any_word_of_the_query_and_ranks_by_cover_density() {
        String tenant = newTenant();
        Corpus corpus = new Corpus(store.dsl(), tenant);
        KnowledgeBaseId kb = corpus.knowledgeBase("docs", DistanceMetric.COSINE, TextSearchConfig.ENGLISH, 3);
        corpus.document(kb, "a", null, null, Map.of(), piece("The cat sat on the mat", 1, 0, 0),
                piece("Dogs chase cats in the garden", 0, 1, 0), piece("A garden full of roses", 0, 0, 1),
                piece("Nothing relevant here", 1, 1, 0));
        Knowledge knowledge = store.knowledge(tenant);

        List<SearchHit> hits = knowledge.search(SearchRequest.text("Where do cats and gardens meet?").build());

        assertThat(hits.get(0).text()).isEqualTo("Dogs chase cats in the garden");
        assertThat(texts(hits)).containsExactlyInAnyOrder("Dogs chase cats in the garden", "The cat sat on the mat",
                "A garden full of roses");
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
        assertThat(hits).allSatisfy(h -> assertThat(h.distance()).isNull());
        assertThat(texts(knowledge.search(SearchRequest.text("cats zebra").build())))
                .containsExactlyInAnyOrder("Dogs chase cats in the garden", "The cat sat on the mat");
        assertThat(knowledge.search(SearchRequest.text("the and of").build())).isEmpty();
        assertThat(knowledge.search(SearchRequest.text("zebra").build())).isEmpty();
        assertThat(texts(knowledge.search(SearchRequest.text("cats").minScore(0.1).build()))).hasSize(2);
        assertThat(knowledge.search(SearchRequest.text("cats").minScore(1000).build())).isEmpty();
    }

    @Test
    void hybrid_search_fuses_both_rankings_by_reciprocal_rank_fusion_in_the_hand_checked_order() {
        // given: vector ranks Q(1) R(2) P(3) S(4); text ranks for "solar panel": P(1, both words) R(2, one word)
        String tenant = newTenant();
        Corpus corpus = new Corpus(store.dsl(), tenant);
        KnowledgeBaseId kb = corpus.knowledgeBase("energy", DistanceMetric.COSINE, TextSearchConfig.ENGLISH, 3);
        corpus.document(kb, "energy", null, null, Map.of(),
                piece("solar panel installation guide", 0.1f, 1, 0),
                piece("wind turbine maintenance", 1, 0, 0),
                piece("solar energy basics", 0.7f, 0.7f, 0),
                piece("battery storage", 0, 0, 1));
        Knowledge knowledge = store.knowledge(tenant);

        // when
        List<SearchHit> equal = knowledge.search(SearchRequest.hybrid("solar panel", EAST).fusion(Fusion.RRF).build());
        List<SearchHit> vectorHeavy = knowledge.search(SearchRequest.hybrid("solar panel", EAST).fusion(Fusion.RRF).weights(2, 1).build());
        List<SearchHit> vectorOnly = knowledge.search(SearchRequest.hybrid("solar panel", EAST).fusion(Fusion.RRF).weights(1, 0).build());

        // then: P = 1/63 + 1/61 = 0.032266 > R = 1/62 + 1/62 = 0.032258 > Q = 1/61 > S = 1/64
        assertThat(texts(equal)).containsExactly("solar panel installation guide", "solar energy basics",
                "wind turbine maintenance", "battery storage");
        assertThat(equal).extracting(SearchHit::score).containsExactly(1.0 / 63 + 1.0 / 61, 2.0 / 62, 1.0 / 61, 1.0 / 64);
        assertThat(equal.get(0).distance()).isCloseTo(1 - 0.1 / Math.sqrt(1.01), within(1e-6));
        // weights 2:1: R = 3/62 = 0.04839 > P = 2/63 + 1/61 = 0.04814 > Q = 2/61 > S = 2/64
        assertThat(texts(vectorHeavy)).containsExactly("solar energy basics", "solar panel installation guide",
                "wind turbine maintenance", "battery storage");
        assertThat(texts(vectorOnly)).containsExactly("wind turbine maintenance", "solar energy basics",
                "solar panel installation guide", "battery storage");
        assertThat(texts(knowledge.search(SearchRequest.hybrid("solar panel", EAST).fusion(Fusion.RRF).rrfK(1).limit(2).build())))
                .containsExactly("solar panel installation guide", "solar energy basics");
        assertThat(texts(knowledge.search(SearchRequest.hybrid("solar panel", EAST).fusion(Fusion.RRF).minScore(0.03).build())))
                .containsExactly("solar panel installation guide", "solar energy basics");
    }

    @Test
    void text_search_ranks_a_rare_word_of_the_question_above_a_common_one_by_the_knowledge_base_statistics() {
        String tenant = newTenant();
        Corpus corpus = new Corpus(store.dsl(), tenant);
        KnowledgeBaseId kb = corpus.knowledgeBase("docs", DistanceMetric.COSINE, TextSearchConfig.ENGLISH, 3);
        List<Corpus.Piece> pieces = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            pieces.add(piece("The server handles request " + i + " with the server pool and writes the server log", 1, 0, 0));
        }
        pieces.add(piece("Configure the proxy timeout", 0, 1, 0));
        corpus.document(kb, "a", null, null, Map.of(), pieces.toArray(Corpus.Piece[]::new));
        store.dsl().execute("analyze");

        List<SearchHit> hits = store.knowledge(tenant).search(SearchRequest.text("server proxy").limit(3).build());

        // cover density (ts_rank_cd) put the chunks repeating "server" first; idf puts the one rare word first
        assertThat(hits.get(0).text()).isEqualTo("Configure the proxy timeout");
        assertThat(hits.get(0).score()).isGreaterThan(3 * hits.get(1).score());
        assertThat(hits.subList(1, 3)).allSatisfy(h -> assertThat(h.text()).contains("server"));
    }

    @Test
    void equal_scores_are_ordered_by_content_hash_so_a_fresh_ingest_in_another_order_ranks_the_same() {
        List<String> texts = List.of("a garden of roses", "the garden gate", "garden tools", "a small garden", "garden party");
        List<List<String>> rankings = new ArrayList<>();
        for (List<String> order : List.of(texts, texts.reversed())) {
            String tenant = newTenant();
            Corpus corpus = new Corpus(store.dsl(), tenant);
            KnowledgeBaseId kb = corpus.knowledgeBase("docs", DistanceMetric.COSINE, TextSearchConfig.ENGLISH, 3);
            for (String t : order) {
                corpus.document(kb, "doc/" + t, null, null, Map.of(), piece(t, 1, 0, 0));
            }
            Knowledge knowledge = store.knowledge(tenant);
            rankings.add(texts(knowledge.search(SearchRequest.text("garden").build())));
            assertThat(texts(knowledge.search(SearchRequest.vector(EAST).build()))).as("equal distances")
                    .containsExactlyElementsOf(rankings.getLast());
        }

        List<String> byHash = texts.stream().sorted((x, y) -> java.util.Arrays.compareUnsigned(
                dev.agentstore.ContentHash.of(x).bytes(), dev.agentstore.ContentHash.of(y).bytes())).toList();
        assertThat(rankings).containsOnly(byHash);
    }

    @Test
    void hits_carry_the_chunk_embedding_only_when_the_request_asks_for_it() {
        String tenant = newTenant();
        Corpus corpus = new Corpus(store.dsl(), tenant);
        KnowledgeBaseId kb = corpus.knowledgeBase("docs", DistanceMetric.COSINE, TextSearchConfig.ENGLISH, 3);
        corpus.document(kb, "a", null, null, Map.of(), piece("solar panel", 0.6f, 0.8f, 0), piece("wind turbine", 1, 0, 0));
        Knowledge knowledge = store.knowledge(tenant);

        assertThat(knowledge.search(SearchRequest.vector(EAST).build())).allSatisfy(h -> assertThat(h.embedding()).isNull());
        for (SearchRequest request : List.of(SearchRequest.vector(EAST).includeEmbedding(true).build(),
                SearchRequest.text("solar").includeEmbedding(true).build(),
                SearchRequest.hybrid("solar", EAST).includeEmbedding(true).build(),
                SearchRequest.hybrid("solar", EAST).fusion(Fusion.RRF).includeEmbedding(true).build())) {
            List<SearchHit> hits = knowledge.search(request);
            assertThat(hits).as(request.toString()).isNotEmpty().allSatisfy(h -> assertThat(h.embedding())
                    .containsExactly(h.text().equals("solar panel") ? new float[] {0.6f, 0.8f, 0} : new float[] {1, 0, 0}));
        }
    }

    @Test
    void hits_leave_their_documents_out_when_the_request_asks_and_the_filter_still_applies() {
        String tenant = newTenant();
        Corpus corpus = new Corpus(store.dsl(), tenant);
        KnowledgeBaseId kb = corpus.knowledgeBase("docs", DistanceMetric.COSINE, TextSearchConfig.ENGLISH, 3);
        corpus.document(kb, "a", null, "faq", Map.of(), piece("solar panel", 0.6f, 0.8f, 0));
        corpus.document(kb, "b", null, "manual", Map.of(), piece("wind turbine", 1, 0, 0));
        Knowledge knowledge = store.knowledge(tenant);

        for (SearchRequest.Builder builder : List.of(SearchRequest.vector(EAST), SearchRequest.text("solar wind"),
                SearchRequest.hybrid("solar wind", EAST), SearchRequest.hybrid("solar wind", EAST).fusion(Fusion.RRF))) {
            List<SearchHit> with = knowledge.search(builder.build());
            List<SearchHit> without = knowledge.search(builder.includeDocuments(false).build());
            List<SearchHit> filtered = knowledge.search(builder.filter(Filter.docType("manual")).build());

            assertThat(texts(without)).as(builder.build().toString()).containsExactlyElementsOf(texts(with)).hasSize(2);
            assertThat(without).allSatisfy(h -> {
                assertThat(h.document()).isNull();
                assertThat(h.documents()).isEmpty();
                assertThat(h.chunkIndex()).isEqualTo(-1);
            });
            assertThat(without.stream().map(SearchHit::score).toList())
                    .containsExactlyElementsOf(with.stream().map(SearchHit::score).toList());
            assertThat(with).allSatisfy(h -> assertThat(h.document()).isNotNull());
            assertThat(texts(filtered)).containsExactly("wind turbine");
            assertThat(filtered.get(0).document()).isNull();
        }
    }

    @Test
    void hybrid_search_fuses_by_score_by_default_in_the_hand_checked_order() {
        // vector similarity to EAST: Q 1, R 0.7071, P 0.0995, S 0; text "solar panel" (knowledge base never analyzed,
        // so every lexeme has idf ln 2): P has both words (s = 2 ln 2), R one (ln 2), Q and S none
        String tenant = newTenant();
        Corpus corpus = new Corpus(store.dsl(), tenant);
        KnowledgeBaseId kb = corpus.knowledgeBase("energy", DistanceMetric.COSINE, TextSearchConfig.ENGLISH, 3);
        corpus.document(kb, "energy", null, null, Map.of(),
                piece("solar panel installation guide", 0.1f, 1, 0),
                piece("wind turbine maintenance", 1, 0, 0),
                piece("solar energy basics", 0.7f, 0.7f, 0),
                piece("battery storage", 0, 0, 1));
        Knowledge knowledge = store.knowledge(tenant);

        List<SearchHit> hits = knowledge.search(SearchRequest.hybrid("solar panel", EAST).build());

        // score = similarity + 0.2 * s / s_max
        double p = 0.1 / Math.sqrt(1.01);
        assertThat(texts(hits)).containsExactly("wind turbine maintenance", "solar energy basics",
                "solar panel installation guide", "battery storage");
        double[] expected = {1.0, Math.sqrt(0.5) + 0.1, p + 0.2, 0.0};
        for (int i = 0; i < expected.length; i++) {
            assertThat(hits.get(i).score()).isCloseTo(expected[i], within(1e-6));
        }
        // weights 1:5: R = 0.7071 + 0.5 > P = 0.0995 + 1.0 > Q = 1.0 > S = 0
        assertThat(texts(knowledge.search(SearchRequest.hybrid("solar panel", EAST).weights(1, 5).build())))
                .containsExactly("solar energy basics", "solar panel installation guide", "wind turbine maintenance",
                        "battery storage");
    }

    // ------------------------------------------------------------------------------------------
    // bad input

    @Test
    void a_query_embedding_of_the_wrong_dimension_names_both_numbers_and_the_knowledge_base() {
        String tenant = newTenant();
        KnowledgeBaseId kb = new Corpus(store.dsl(), tenant).knowledgeBase("docs", DistanceMetric.COSINE,
                TextSearchConfig.ENGLISH, 3);
        assertThatThrownBy(() -> store.knowledge(tenant).search(SearchRequest.vector(new float[] {1, 2, 3, 4}).build()))
                .isInstanceOf(DimensionMismatchException.class)
                .hasMessageStartingWith("query embedding has 4 dimensions, but knowledge base " + kb + " is built for 3")
                .satisfies(e -> assertThat(((DimensionMismatchException) e).expected()).isEqualTo(3));
        assertThatThrownBy(() -> store.knowledge(tenant).search(SearchRequest.hybrid("x", new float[] {1, 2}).build()))
                .isInstanceOf(DimensionMismatchException.class)
                .hasMessageStartingWith("query embedding has 2 dimensions, but knowledge base " + kb + " is built for 3");
        assertThatThrownBy(() -> store.knowledge(tenant).search(SearchRequest.vector(new float[] {1, Float.NaN, 3}).build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> store.knowledge(newTenant()).search(null))
                .isInstanceOf(InvalidInputException.class).hasMessage("request must not be null");
    }
}
