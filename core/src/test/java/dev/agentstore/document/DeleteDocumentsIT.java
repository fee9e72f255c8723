package dev.agentstore.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.knowledge.Filter;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchRequest;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Documents#deleteDocuments(KnowledgeBaseId, Filter)} and {@link Documents#deleteAllDocuments(KnowledgeBaseId)}. */
@AgentStoreTest(dimension = 4)
class DeleteDocumentsIT {

    static AgentStore store;
    static DataSource dataSource;

    String tenant;
    Documents docs;
    KnowledgeBase kb;

    @BeforeAll
    static void open(TestDatabase db) {
        dataSource = db.dataSource();
        store = AgentStore.builder().dataSource(dataSource).build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @BeforeEach
    void freshTenant() {
        tenant = "delete-" + UUID.randomUUID();
        docs = store.documents(tenant);
        kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("kb", 4));
    }

    static float[] vector(String text) {
        int h = text.hashCode();
        return new float[] {1 + (h & 7), (h >> 3) & 7, (h >> 6) & 7, (h >> 9) & 7};
    }

    static final EmbeddingFunction EMBED = texts -> texts.stream().map(DeleteDocumentsIT::vector).toList();

    private void ingest(String uri, Map<String, ?> metadata, String... texts) {
        docs.ingest(kb.id(), DocumentInput.of(uri, List.of(texts)).withMetadata(metadata), EMBED);
    }

    private List<String> uris() {
        return docs.listDocuments(kb.id()).stream().map(Document::sourceUri).toList();
    }

    private long count(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private long unlinkedChunks() {
        return count("select count(*) from agentstore.chunk c where tenant_id = '" + tenant + "' and not exists "
                + "(select 1 from agentstore.document_chunk l where l.tenant_id = c.tenant_id and l.chunk_id = c.id)");
    }

    @Test
    void deletes_the_documents_passing_a_metadata_filter_and_only_the_content_nobody_else_uses() {
        ingest("a", Map.of("lang", "en"), "shared", "only a");
        ingest("b", Map.of("lang", "en"), "shared", "only b");
        ingest("c", Map.of("lang", "de"), "shared", "only c");

        DeleteResult r = docs.deleteDocuments(kb.id(), Filter.metadata("lang").eq("en"));

        assertThat(r).isEqualTo(new DeleteResult(2, 2));
        assertThat(uris()).containsExactly("c");
        assertThat(docs.countChunks(kb.id())).isEqualTo(2);
        assertThat(unlinkedChunks()).isZero();
        List<SearchHit> hits = store.knowledge(tenant).search(SearchRequest.vector(vector("shared")).knowledgeBases(kb.id())
                .limit(1).exact(true).build());
        assertThat(hits.get(0).text()).isEqualTo("shared");
        assertThat(hits.get(0).document().sourceUri()).isEqualTo("c");
    }

    @Test
    void filters_mean_what_they_mean_for_search_including_missing_keys_under_not() {
        ingest("with-en", Map.of("lang", "en", "n", 3), "one");
        ingest("with-de", Map.of("lang", "de", "n", 7), "two");
        ingest("without", Map.of(), "three");

        assertThat(docs.deleteDocuments(kb.id(), Filter.metadata("n").between(5, 10)).documents()).isEqualTo(1);
        assertThat(uris()).containsExactly("with-en", "without");
        assertThat(docs.deleteDocuments(kb.id(), Filter.not(Filter.metadata("lang").eq("en")))).isEqualTo(new DeleteResult(1, 1));
        assertThat(uris()).containsExactly("with-en");
        assertThat(docs.deleteDocuments(kb.id(), Filter.metadata("lang").containsText("E"))).isEqualTo(new DeleteResult(0, 0));
        assertThat(uris()).containsExactly("with-en");
    }

    @Test
    void source_uri_filters_match_exactly_and_literally() {
        ingest("file:///a%", Map.of(), "one");
        ingest("file:///ab", Map.of(), "two");
        ingest("file:///a_", Map.of(), "three");

        assertThat(docs.deleteDocuments(kb.id(), Filter.sourceUri("file:///a%", "file:///missing"))).isEqualTo(new DeleteResult(1, 1));
        assertThat(uris()).containsExactly("file:///a_", "file:///ab");
        assertThat(docs.deleteDocuments(kb.id(), Filter.sourceUris(List.of("file:///a")))).isEqualTo(new DeleteResult(0, 0));
        assertThat(docs.deleteDocuments(kb.id(), Filter.or(Filter.sourceUri("file:///ab"), Filter.sourceUriPrefix("file:///a_")))
                .documents()).isEqualTo(2);
        assertThat(uris()).isEmpty();
        assertThat(docs.countChunks(kb.id())).isZero();
    }

    @Test
    void other_tenants_and_knowledge_bases_are_untouched() {
        ingest("a", Map.of("lang", "en"), "one");
        KnowledgeBase other = docs.createKnowledgeBase(KnowledgeBaseSpec.of("other", 4));
        docs.ingest(other.id(), DocumentInput.of("a", List.of("one")).withMetadata(Map.of("lang", "en")), EMBED);
        Documents otherTenant = store.documents(tenant + "-other");
        KnowledgeBase theirs = otherTenant.createKnowledgeBase(KnowledgeBaseSpec.of("kb", 4));
        otherTenant.ingest(theirs.id(), DocumentInput.of("a", List.of("one")).withMetadata(Map.of("lang", "en")), EMBED);

        assertThat(docs.deleteAllDocuments(kb.id())).isEqualTo(new DeleteResult(1, 1));
        assertThat(docs.listDocuments(other.id())).hasSize(1);
        assertThat(otherTenant.listDocuments(theirs.id())).hasSize(1);
        assertThatThrownBy(() -> otherTenant.deleteDocuments(other.id(), Filter.sourceUri("a")))
                .as("another tenant cannot reach this tenant's knowledge base").isInstanceOf(NotFoundException.class);
        assertThat(docs.listDocuments(other.id())).hasSize(1);
    }

    @Test
    void delete_all_empties_the_knowledge_base_which_stays_usable() {
        for (int i = 0; i < 30; i++) {
            ingest("d" + i, Map.of("i", i), "shared", "own " + i);
        }

        assertThat(docs.deleteAllDocuments(kb.id())).isEqualTo(new DeleteResult(30, 31));
        assertThat(uris()).isEmpty();
        assertThat(docs.countChunks(kb.id())).isZero();
        assertThat(docs.deleteAllDocuments(kb.id())).isEqualTo(new DeleteResult(0, 0));
        ingest("again", Map.of(), "shared");
        assertThat(uris()).containsExactly("again");
    }

    @Test
    void a_large_delete_takes_the_writer_lock_instead_of_one_lock_per_document() {
        int n = DocumentDeletion.FINE_LOCK_LIMIT + 50;
        List<DocumentInput> in = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            in.add(DocumentInput.of("bulk/" + i, List.of("common", "text " + i)).withMetadata(Map.of("even", i % 2 == 0)));
        }
        in.add(DocumentInput.of("keep", List.of("common")));
        docs.ingestAll(kb.id(), in, EMBED);

        DeleteResult r = docs.deleteDocuments(kb.id(), Filter.sourceUriPrefix("bulk/"));

        assertThat(r).isEqualTo(new DeleteResult(n, n));
        assertThat(uris()).containsExactly("keep");
        assertThat(docs.countChunks(kb.id())).isEqualTo(1);
        assertThat(unlinkedChunks()).isZero();
    }

    @Test
    void concurrent_deletes_and_ingestions_of_overlapping_content_leave_nothing_unlinked(TestDatabase db) throws Exception {
        try (AgentStore pooled = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password())
                .poolSize(6).build()) {
            Documents shared = pooled.documents(tenant);
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = IntStream.range(0, 6).mapToObj(t -> Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int round = 0; round < 11; round++) {
                        if (round % 3 == 2) {
                            shared.deleteDocuments(kb.id(), Filter.metadata("owner").eq(t));
                        } else {
                            List<String> texts = IntStream.range(0, 4).mapToObj(c -> "shared " + ((c + t) % 6)).toList();
                            shared.ingest(kb.id(), DocumentInput.of("t" + t + "-" + round, texts)
                                    .withMetadata(Map.of("owner", t)), EMBED);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            })).toList();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }

            assertThat(errors).isEmpty();
            assertThat(unlinkedChunks()).isZero();
            assertThat(shared.listDocuments(kb.id())).hasSize(6 * 2);
        }
    }

    @Test
    void bad_input_is_refused_before_any_sql_and_nothing_is_deleted() {
        ingest("a", Map.of(), "one");

        assertThatThrownBy(() -> docs.deleteDocuments(null, Filter.sourceUri("a"))).isInstanceOf(InvalidInputException.class)
                .hasMessage("knowledgeBaseId must not be null");
        assertThatThrownBy(() -> docs.deleteDocuments(kb.id(), null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("filter (use deleteAllDocuments(knowledgeBaseId) to delete every document) must not be null");
        assertThatThrownBy(() -> docs.deleteAllDocuments(null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("knowledgeBaseId must not be null");
        assertThatThrownBy(() -> Filter.sourceUri()).isInstanceOf(InvalidInputException.class)
                .hasMessage("sourceUri filter needs 1 to 1000 source URIs, but got 0");
        assertThatThrownBy(() -> Filter.sourceUris(null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("sourceUri filter needs 1 to 1000 source URIs, but got null");
        assertThatThrownBy(() -> Filter.sourceUri("a", null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("sourceUri filter value 1 must be a non-blank source URI of at most 2000 characters, but was null");
        assertThatThrownBy(() -> Filter.sourceUri(" ")).isInstanceOf(InvalidInputException.class)
                .hasMessage("sourceUri filter value 0 must be a non-blank source URI of at most 2000 characters, but was blank");
        assertThatThrownBy(() -> Filter.sourceUris(Collections.nCopies(1001, "x"))).isInstanceOf(InvalidInputException.class)
                .hasMessage("sourceUri filter needs 1 to 1000 source URIs, but got 1001; split the URIs into several calls");
        assertThatThrownBy(() -> Filter.sourceUri("a\u0000")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("sourceUri filter value 0");
        assertThatThrownBy(() -> docs.deleteDocuments(KnowledgeBaseId.of(UUID.randomUUID()), Filter.sourceUri("a")))
                .isInstanceOf(NotFoundException.class);
        assertThat(uris()).containsExactly("a");
    }
}
