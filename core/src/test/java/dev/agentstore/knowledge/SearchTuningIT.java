package dev.agentstore.knowledge;

import static dev.agentstore.knowledge.Corpus.piece;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.AgentStore;
import dev.agentstore.document.DistanceMetric;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.document.TextSearchConfig;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Per-request pgvector tuning. The database is set to prefer the HNSW index even for this small
 * corpus (enable_seqscan and enable_sort off for new connections), so that what the index returns
 * under each setting is visible; the store uses a pool of ONE connection, so every search and every
 * check after it runs on the same pooled connection.
 */
@AgentStoreTest(dimension = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchTuningIT {

    private static final String TENANT = "tuning";
    private static final float[] QUERY = {1, 0.2f, 0.1f};

    private AgentStore store;
    private KnowledgeBaseId kb;

    @BeforeAll
    void open(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE \"" + db.name() + "\" SET enable_seqscan = off");
            s.execute("ALTER DATABASE \"" + db.name() + "\" SET enable_sort = off");
        }
        // start-up validation needs two connections at once (noted for the foundation); the database is migrated
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(1)
                .embeddingDimension(3).validateOnStart(false)
                // 400 chunks: searched through the HNSW index, not exactly as a small knowledge base would be
                .exactSearchMaxChunks(1).build();
        Corpus corpus = new Corpus(store.dsl(), TENANT);
        kb = corpus.knowledgeBase("docs", DistanceMetric.COSINE, TextSearchConfig.SIMPLE, 3);
        Random random = new Random(42);
        for (int i = 0; i < 400; i++) {
            // one document in 20 is "rare": the filtered searches keep 5% of the rows
            corpus.document(kb, "doc/" + i, null, i % 20 == 0 ? "rare" : "common", Map.of("n", i),
                    piece("chunk " + i, random.nextFloat(), random.nextFloat(), random.nextFloat()));
        }
    }

    @AfterAll
    void close() {
        store.close();
    }

    private String show(String setting) {
        return store.dsl().fetchValue("SHOW " + setting).toString();
    }

    @Test
    void settings_are_transaction_local_and_never_leak_to_the_next_user_of_the_pooled_connection() {
        // given: a search with every setting changed
        store.knowledge(TENANT).search(SearchRequest.vector(QUERY).efSearch(300).iterativeScan(IterativeScan.STRICT_ORDER)
                .maxScanTuples(1234).filter(Filter.docType("rare")).build());

        // then: the same (only) pooled connection is back at pgvector's defaults
        assertThat(show("hnsw.ef_search")).isEqualTo("40");
        assertThat(show("hnsw.iterative_scan")).isEqualTo("off");
        assertThat(show("hnsw.max_scan_tuples")).isEqualTo("20000");
    }

    @Test
    void a_k_larger_than_the_default_ef_search_still_returns_k_hits() {
        // an HNSW scan returns at most ef_search rows; the search raises it to the candidate depth
        List<SearchHit> hits = store.knowledge(TENANT).search(SearchRequest.vector(QUERY).limit(150)
                .iterativeScan(IterativeScan.OFF).build());

        assertThat(hits).hasSize(150);
    }

    @Test
    void a_selective_filter_returns_k_hits_with_iterative_scans_and_fewer_without() {
        Knowledge knowledge = store.knowledge(TENANT);
        SearchRequest.Builder rare = SearchRequest.vector(QUERY).limit(10).filter(Filter.docType("rare")).efSearch(10);

        List<SearchHit> withoutIterative = knowledge.search(rare.iterativeScan(IterativeScan.OFF).build());
        List<SearchHit> relaxed = knowledge.search(rare.iterativeScan(IterativeScan.RELAXED_ORDER).build());
        List<SearchHit> strict = knowledge.search(rare.iterativeScan(IterativeScan.STRICT_ORDER).build());
        List<SearchHit> exact = knowledge.search(rare.exact(true).build());

        assertThat(withoutIterative.size()).isLessThan(10);
        assertThat(relaxed).hasSize(10);
        assertThat(strict).hasSize(10);
        assertThat(exact).hasSize(10);
        assertThat(relaxed).allSatisfy(h -> assertThat(h.document().docType()).isEqualTo("rare"));
        assertThat(relaxed).extracting(SearchHit::distance).isSorted();
        // the re-sorted relaxed result matches the exact nearest rare chunks
        assertThat(relaxed).extracting(SearchHit::chunkId).containsExactlyElementsOf(exact.stream().map(SearchHit::chunkId).toList());
    }

    @Test
    void exact_mode_gives_the_true_nearest_neighbours() {
        List<SearchHit> exact = store.knowledge(TENANT).search(SearchRequest.vector(QUERY).limit(20).exact(true).build());
        List<SearchHit> indexed = store.knowledge(TENANT).search(SearchRequest.vector(QUERY).limit(20).efSearch(200).build());

        assertThat(exact).hasSize(20);
        assertThat(exact).extracting(SearchHit::distance).isSorted();
        assertThat(indexed).extracting(SearchHit::chunkId).containsExactlyElementsOf(exact.stream().map(SearchHit::chunkId).toList());
    }
}
