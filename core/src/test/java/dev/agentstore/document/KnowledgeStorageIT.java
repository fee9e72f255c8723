package dev.agentstore.document;

import static dev.agentstore.schema.Tables.CHUNK;
import static dev.agentstore.schema.Tables.KNOWLEDGE_BASE_SEGMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.ConflictException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchRequest;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage of knowledge bases: one partition each, bulk loads as new index ranges, compaction,
 * constant-time delete, per-knowledge-base vector types, switching readers by name.
 */
@AgentStoreTest(dimension = 3)
class KnowledgeStorageIT {

    static AgentStore store;

    Documents docs;
    String tenant;

    @BeforeAll
    static void open(TestDatabase db) {
        // small thresholds: 50 chunk positions make a bulk load; searches use the indexes (not exact scans)
        store = AgentStore.builder().dataSource(db.dataSource()).bulkLoadThreshold(50).exactSearchMaxChunks(1)
                .maxIndexRanges(3).indexBuildMemoryMb(64).build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @BeforeEach
    void freshTenant() {
        tenant = "tenant-" + UUID.randomUUID();
        docs = store.documents(tenant);
    }

    /** The embedding of a text: three components from its hash, deterministic. */
    static float[] embed(String text) {
        Random r = new Random(text.hashCode());
        return new float[] {r.nextFloat() + 0.01f, r.nextFloat(), r.nextFloat()};
    }

    static final EmbeddingFunction MODEL = texts -> texts.stream().map(KnowledgeStorageIT::embed).toList();

    static List<DocumentInput> corpus(String prefix, int documents) {
        List<DocumentInput> out = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            out.add(DocumentInput.of(prefix + "/" + d, List.of(prefix + " text " + d + " a", prefix + " text " + d + " b")));
        }
        return out;
    }

    List<String> ranges(KnowledgeBase kb) {
        return store.dsl().select(KNOWLEDGE_BASE_SEGMENT.SEGMENT_FROM, KNOWLEDGE_BASE_SEGMENT.SEGMENT_TO)
                .from(KNOWLEDGE_BASE_SEGMENT)
                .where(KNOWLEDGE_BASE_SEGMENT.TENANT_ID.eq(tenant))
                .and(KNOWLEDGE_BASE_SEGMENT.KNOWLEDGE_BASE_ID.eq(kb.id().value()))
                .orderBy(KNOWLEDGE_BASE_SEGMENT.SEGMENT_FROM)
                .fetch(r -> r.value1() + "-" + r.value2());
    }

    List<String> indexes(KnowledgeBase kb) {
        return store.dsl().fetch("select indexname || ' ' || indexdef from pg_indexes where schemaname = 'agentstore' "
                        + "and tablename = (select 'chunk_p' || storage_id from agentstore.knowledge_base where id = ?) "
                        + "and (indexdef like '%hnsw%' or indexdef like '%gin%') order by indexname", kb.id().value())
                .getValues(0, String.class);
    }

    List<UUID> nearest(KnowledgeBase kb, float[] q, boolean exact) {
        return store.knowledge(tenant).search(SearchRequest.vector(q).knowledgeBases(kb.id()).limit(10).exact(exact)
                .efSearch(200).build()).stream().map(h -> h.chunkId().value()).toList();
    }

    @Test
    void a_large_ingest_all_loads_a_new_segment_whose_indexes_are_built_after_the_load() {
        KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("bulk"));
        assertThat(ranges(kb)).containsExactly("0-0");

        BulkIngestResult r = docs.ingestAll(kb.id(), corpus("a", 40), MODEL);

        assertThat(r.chunksInserted()).isEqualTo(80);
        assertThat(r.documentsCreated()).isEqualTo(40);
        assertThat(ranges(kb)).containsExactly("0-0", "1-1");
        assertThat(indexes(kb)).anySatisfy(i -> assertThat(i).contains("_v1_1", "hnsw", "vector(3)", "segment <= 1"))
                .anySatisfy(i -> assertThat(i).contains("_t1_1", "gin"));
        assertThat(store.dsl().fetchValue("select count(*) from agentstore.chunk where knowledge_base_id = ? and segment = 1",
                kb.id().value())).isEqualTo(80L);
        float[] q = embed("a text 7 a");
        assertThat(nearest(kb, q, false)).containsExactlyElementsOf(nearest(kb, q, true));
        assertThat(store.knowledge(tenant).search(SearchRequest.text("text")
                .knowledgeBases(kb.id()).limit(5).build())).hasSize(5);
    }

    /** The toast_tuple_target of a knowledge base's chunk partition ("" when it has the default). */
    String toastTarget(KnowledgeBase kb) {
        return store.dsl().fetchValue("select coalesce((select o from unnest(c.reloptions) o where o like 'toast_tuple_target=%'), '') "
                + "from pg_class c where c.oid = ('agentstore.chunk_p' || (select storage_id from agentstore.knowledge_base "
                + "where id = ?))::regclass", kb.id().value()).toString();
    }

    @Test
    void a_partition_toasts_its_rows_only_down_to_the_size_that_keeps_as_many_rows_per_page_as_the_vector_alone() {
        // 768 dimensions: a vector of 3,080 bytes, two rows per page; the text stays inline next to it
        KnowledgeBase large = docs.createKnowledgeBase(KnowledgeBaseSpec.of("d768", 768));
        // 2,000 dimensions: one row per page, nothing toasted below a page
        KnowledgeBase wide = docs.createKnowledgeBase(KnowledgeBaseSpec.of("d2000", 2000));
        // 3,000 halfvec dimensions: 6,008 bytes, one row per page too
        KnowledgeBase half = docs.createKnowledgeBase(KnowledgeBaseSpec.of("h3000", 3000).withVectorType(VectorType.HALFVEC));
        // 3 dimensions: many rows per page, the default target
        KnowledgeBase tiny = docs.createKnowledgeBase(KnowledgeBaseSpec.of("d3", 3));

        assertThat(toastTarget(large)).isEqualTo("toast_tuple_target=4072");
        assertThat(toastTarget(wide)).isEqualTo("toast_tuple_target=8152");
        assertThat(toastTarget(half)).isEqualTo("toast_tuple_target=8152");
        assertThat(toastTarget(tiny)).isEmpty();

        // a 768-dimension row with ~500 characters of text: text inline, two rows per page, the vector never toasted
        float[] v = new float[768];
        Arrays.fill(v, 0.5f);
        List<DocumentInput> in = new ArrayList<>();
        for (int d = 0; d < 30; d++) {
            List<ChunkInput> chunks = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                chunks.add(ChunkInput.of(("document " + d + " chunk " + c + " ").repeat(20), v));
            }
            in.add(DocumentInput.ofChunks("toast/" + d, chunks));
        }
        docs.ingestAll(large.id(), in, null);
        assertThat(store.dsl().fetchValue("select count(*) filter (where pg_column_size(content) < octet_length(content)) "
                + "|| ':' || count(*) filter (where pg_column_size(embedding) = 8 + 4 * 768) || ':' || count(*) "
                + "from agentstore.chunk where knowledge_base_id = ?", large.id().value()))
                // pg_column_size of an inline text is its length + header; of a toasted one the pointer (18 bytes)
                .isEqualTo("0:60:60");
    }

    @Test
    void a_bulk_load_of_many_documents_analyzes_the_document_table_before_it_writes_their_links() {
        KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("many-documents"));

        docs.ingestAll(kb.id(), corpus("m", BulkLoader.ANALYZE_MIN_DOCUMENTS), MODEL);

        // the statistics know the new knowledge base's documents (so the links' foreign-key checks are planned on
        // the unique key, not as a scan of all its documents)
        String common = store.dsl().fetchValue("select most_common_vals::text from pg_stats where schemaname = 'agentstore' "
                + "and tablename = 'document' and attname = 'knowledge_base_id'").toString();
        assertThat(common).contains(kb.id().value().toString());
        assertThat(store.dsl().fetchValue("select count(*) from agentstore.document where knowledge_base_id = ?", kb.id().value()))
                .isEqualTo((long) BulkLoader.ANALYZE_MIN_DOCUMENTS);
    }

    @Test
    void many_knowledge_bases_are_created_in_batches_each_with_its_own_storage() {
        List<KnowledgeBaseSpec> specs = new ArrayList<>();
        for (int i = 0; i < KnowledgeBases.CREATE_BATCH * 2 + 7; i++) {
            specs.add(KnowledgeBaseSpec.of("many-" + i).withDescription("number " + i));
        }

        List<KnowledgeBase> created = docs.createKnowledgeBases(specs);

        assertThat(created).extracting(KnowledgeBase::name).containsExactlyElementsOf(specs.stream().map(KnowledgeBaseSpec::name).toList());
        assertThat(created).extracting(KnowledgeBase::description).startsWith("number 0", "number 1");
        assertThat(docs.listKnowledgeBases()).hasSize(specs.size());
        for (KnowledgeBase kb : List.of(created.get(0), created.get(KnowledgeBases.CREATE_BATCH), created.get(created.size() - 1))) {
            assertThat(ranges(kb)).containsExactly("0-0");
            assertThat(docs.getKnowledgeBase(kb.id()).id()).isEqualTo(kb.id());
        }
        KnowledgeBase last = created.get(created.size() - 1);
        docs.ingestAll(last.id(), corpus("last", 30), MODEL);
        float[] q = embed("last text 3 a");
        assertThat(nearest(last, q, false)).hasSize(10).containsExactlyElementsOf(nearest(last, q, true));
        assertThat(nearest(created.get(0), q, true)).isEmpty();
    }

    @Test
    void a_batch_creation_checks_every_spec_before_any_sql_and_keeps_the_batches_before_a_failing_one() {
        assertThatThrownBy(() -> docs.createKnowledgeBases(List.of(KnowledgeBaseSpec.of("x"), KnowledgeBaseSpec.of("y"),
                KnowledgeBaseSpec.of("x"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("specs[2] repeats the name 'x'");
        assertThatThrownBy(() -> docs.createKnowledgeBases(java.util.Arrays.asList(KnowledgeBaseSpec.of("x"), null)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("specs[1] must not be null");
        assertThatThrownBy(() -> docs.createKnowledgeBases(List.of(KnowledgeBaseSpec.of("x"), KnowledgeBaseSpec.of("wide", 2001))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("specs[1]: knowledge base dimension must be at most 2000");
        assertThat(docs.listKnowledgeBases()).isEmpty();

        docs.createKnowledgeBase(KnowledgeBaseSpec.of("taken"));
        List<KnowledgeBaseSpec> specs = new ArrayList<>();
        for (int i = 0; i < KnowledgeBases.CREATE_BATCH + 3; i++) {
            specs.add(KnowledgeBaseSpec.of(i == KnowledgeBases.CREATE_BATCH + 1 ? "taken" : "b-" + i));
        }
        assertThatThrownBy(() -> docs.createKnowledgeBases(specs))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("the first " + KnowledgeBases.CREATE_BATCH + " are created");
        // the first batch, and the knowledge base that was there; nothing of the failed batch
        assertThat(docs.listKnowledgeBases()).hasSize(KnowledgeBases.CREATE_BATCH + 1);
        assertThat(docs.findKnowledgeBase("b-" + KnowledgeBases.CREATE_BATCH)).isEmpty();
    }

    @Test
    void a_knowledge_base_below_the_exact_search_threshold_gets_no_graph_until_a_load_takes_it_past_it(TestDatabase db) {
        try (AgentStore small = AgentStore.builder().dataSource(db.dataSource()).bulkLoadThreshold(50)
                .exactSearchMaxChunks(150).indexBuildMemoryMb(64).indexBuildWorkers(0).build()) {
            Documents d = small.documents(tenant);
            KnowledgeBase kb = d.createKnowledgeBase(KnowledgeBaseSpec.of("small"));

            d.ingestAll(kb.id(), corpus("a", 30), MODEL); // 60 chunks: searched exactly, so no graph
            d.ingestAll(kb.id(), corpus("b", 30), MODEL); // 120 chunks: still below 150

            assertThat(ranges(kb)).containsExactly("0-0", "1-1", "2-2");
            assertThat(indexes(kb)).noneSatisfy(i -> assertThat(i).contains("hnsw", "segment >= 1"))
                    .anySatisfy(i -> assertThat(i).contains("_t1_1", "gin"))
                    .anySatisfy(i -> assertThat(i).contains("_t2_2", "gin"));
            assertThat(store.dsl().fetchValue("select count(*) from agentstore.knowledge_base_segment "
                    + "where knowledge_base_id = ? and vector_index is null", kb.id().value())).isEqualTo(2L);
            float[] q = embed("b text 4 b");
            assertThat(small.knowledge(tenant).search(SearchRequest.vector(q).knowledgeBases(kb.id()).limit(10)
                    .build()).stream().map(h -> h.chunkId().value()).toList()).containsExactlyElementsOf(nearest(kb, q, true));

            d.ingestAll(kb.id(), corpus("c", 30), MODEL); // 180 chunks: past the threshold

            // the graph covers the earlier ranges too: one range [1, 3] with both indexes
            assertThat(ranges(kb)).containsExactly("0-0", "1-3");
            assertThat(indexes(kb)).anySatisfy(i -> assertThat(i).contains("_v1_3", "hnsw", "segment >= 1", "segment <= 3"))
                    .anySatisfy(i -> assertThat(i).contains("_t1_3", "gin"))
                    .noneSatisfy(i -> assertThat(i).contains("_t1_1"));
            float[] q2 = embed("c text 9 a");
            assertThat(nearest(kb, q2, false)).containsExactlyElementsOf(nearest(kb, q2, true));
        }
    }

    @Test
    void appending_becomes_another_index_range_small_ingests_stay_live_and_compaction_merges_the_ranges() {
        KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("append"));
        docs.ingestAll(kb.id(), corpus("a", 30), MODEL);
        IngestResult small = docs.ingest(kb.id(), DocumentInput.of("small", List.of("a text 3 a", "only here")), MODEL);
        BulkIngestResult append = docs.ingestAll(kb.id(), corpus("b", 30), MODEL);

        assertThat(small.chunksReused()).isEqualTo(1);
        assertThat(small.chunksInserted()).isEqualTo(1);
        assertThat(append.chunksInserted()).isEqualTo(60);
        assertThat(ranges(kb)).containsExactly("0-0", "1-1", "2-2");
        assertThat(store.dsl().fetchValue("select segment from agentstore.chunk where knowledge_base_id = ? and content = ?",
                kb.id().value(), "only here")).isEqualTo(0);
        float[] q = embed("b text 4 b");
        List<UUID> exact = nearest(kb, q, true);
        assertThat(nearest(kb, q, false)).containsExactlyElementsOf(exact);

        assertThat(docs.compactKnowledgeBase(kb.id())).isEqualTo(2);

        assertThat(ranges(kb)).containsExactly("0-0", "1-2");
        assertThat(indexes(kb)).hasSize(4).noneSatisfy(i -> assertThat(i).contains("_v2_2"));
        assertThat(nearest(kb, q, false)).containsExactlyElementsOf(exact);
        assertThat(docs.compactKnowledgeBase(kb.id())).isZero();
        assertThat(docs.countChunks(kb.id())).isEqualTo(121);
    }

    @Test
    void a_bulk_load_compacts_on_its_own_above_max_index_ranges_and_deduplicates_across_segments() {
        KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("auto"));
        for (String prefix : List.of("a", "b", "c")) {
            docs.ingestAll(kb.id(), corpus(prefix, 30), MODEL);
        }
        assertThat(ranges(kb)).containsExactly("0-0", "1-1", "2-2", "3-3");

        BulkIngestResult fourth = docs.ingestAll(kb.id(), corpus("d", 30), MODEL);
        BulkIngestResult again = docs.ingestAll(kb.id(), corpus("a", 30), MODEL);
        List<DocumentInput> renamed = new ArrayList<>();
        for (DocumentInput d : corpus("a", 30)) {
            renamed.add(DocumentInput.ofChunks("copy-of-" + d.sourceUri(), d.chunks()));
        }
        BulkIngestResult copies = docs.ingestAll(kb.id(), renamed, MODEL);

        assertThat(fourth.chunksInserted()).isEqualTo(60);
        assertThat(ranges(kb)).containsExactly("0-0", "1-4");
        assertThat(again.documentsUnchanged()).isEqualTo(30);
        assertThat(again.embeddingCalls()).isZero();
        assertThat(copies.chunksInserted()).isZero();
        assertThat(copies.chunksReused()).isEqualTo(60);
        assertThat(copies.embeddingCalls()).isZero();
        assertThat(docs.countChunks(kb.id())).isEqualTo(240);
        float[] q = embed("c text 9 b");
        assertThat(nearest(kb, q, false)).containsExactlyElementsOf(nearest(kb, q, true));
    }

    @Test
    void searches_see_the_previous_state_during_a_bulk_load_and_other_writers_of_it_wait() throws Exception {
        KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("busy"));
        KnowledgeBase other = docs.createKnowledgeBase(KnowledgeBaseSpec.of("other"));
        docs.ingest(kb.id(), DocumentInput.of("before", List.of("visible before")), MODEL);
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EmbeddingFunction slow = texts -> {
            loading.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return MODEL.embed(texts);
        };
        CompletableFuture<BulkIngestResult> bulk = CompletableFuture.supplyAsync(
                () -> docs.ingestAll(kb.id(), corpus("a", 30), slow));
        assertThat(loading.await(30, TimeUnit.SECONDS)).isTrue();

        // while the load holds the knowledge base's writer lock
        long t0 = System.nanoTime();
        List<SearchHit> during = store.knowledge(tenant).search(SearchRequest.vector(embed("visible before"))
                .knowledgeBases(kb.id()).limit(100).build());
        long searchMillis = (System.nanoTime() - t0) / 1_000_000;
        CompletableFuture<IngestResult> writer = CompletableFuture.supplyAsync(
                () -> docs.ingest(kb.id(), DocumentInput.of("waits", List.of("written after the load")), MODEL));
        IngestResult elsewhere = docs.ingest(other.id(), DocumentInput.of("free", List.of("another knowledge base")), MODEL);
        Thread.sleep(300);
        boolean writerWaited = !writer.isDone();
        release.countDown();
        BulkIngestResult loaded = bulk.get(60, TimeUnit.SECONDS);
        IngestResult afterwards = writer.get(60, TimeUnit.SECONDS);

        assertThat(during).extracting(SearchHit::text).containsExactly("visible before");
        assertThat(searchMillis).isLessThan(5_000);
        assertThat(elsewhere.chunksInserted()).isEqualTo(1);
        assertThat(writerWaited).as("a writer of the same knowledge base waits for the bulk load").isTrue();
        assertThat(loaded.chunksInserted()).isEqualTo(60);
        assertThat(afterwards.chunksInserted()).isEqualTo(1);
        assertThat(store.knowledge(tenant).search(SearchRequest.vector(embed("a text 1 a")).knowledgeBases(kb.id())
                .limit(100).build())).hasSize(62);
    }

    @Test
    void deleting_a_knowledge_base_drops_its_partitions_and_leaves_the_others_alone() {
        KnowledgeBase gone = docs.createKnowledgeBase(KnowledgeBaseSpec.of("gone"));
        KnowledgeBase kept = docs.createKnowledgeBase(KnowledgeBaseSpec.of("kept"));
        docs.ingestAll(gone.id(), corpus("a", 30), MODEL);
        docs.ingestAll(kept.id(), corpus("a", 30), MODEL);
        Object storage = store.dsl().fetchValue("select storage_id from agentstore.knowledge_base where id = ?",
                gone.id().value());

        long t0 = System.nanoTime();
        assertThat(docs.deleteKnowledgeBase(gone.id())).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(store.dsl().fetchValue("select to_regclass('agentstore.chunk_p" + storage + "') is null "
                + "and to_regclass('agentstore.document_chunk_p" + storage + "') is null")).isEqualTo(true);
        assertThat(docs.listDocuments(gone.id())).isEmpty();
        assertThat(docs.countChunks(gone.id())).isZero();
        assertThat(ranges(gone)).isEmpty();
        assertThat(docs.countChunks(kept.id())).isEqualTo(60);
        assertThat(docs.listDocuments(kept.id())).hasSize(30);
        assertThat(docs.deleteKnowledgeBase(gone.id())).isFalse();
    }

    @Test
    void a_halfvec_knowledge_base_indexes_half_precision_and_keeps_full_precision_in_the_table() {
        KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("half").withVectorType(VectorType.HALFVEC));
        docs.ingestAll(kb.id(), corpus("h", 30), MODEL);

        assertThat(indexes(kb)).anySatisfy(i -> assertThat(i).contains("halfvec(3)", "halfvec_cosine_ops"));
        float[] q = embed("h text 2 a");
        assertThat(nearest(kb, q, false)).containsExactlyElementsOf(nearest(kb, q, true));
        DocumentChunk first = docs.listChunks(docs.findDocument(kb.id(), "h/2").orElseThrow().id()).get(0);
        float[] stored = store.dsl().select(CHUNK.EMBEDDING).from(CHUNK).where(CHUNK.ID.eq(first.chunkId().value()))
                .fetchSingle().value1();
        assertThat(stored).containsExactly(embed("h text 2 a"));
    }

    @Test
    void readers_move_to_a_rebuilt_knowledge_base_by_swapping_names_in_one_transaction() {
        KnowledgeBase v1 = docs.createKnowledgeBase(KnowledgeBaseSpec.of("handbook").withEmbeddingModel("model-1"));
        docs.ingest(v1.id(), DocumentInput.of("leave", List.of("old model text")), MODEL);
        KnowledgeBase v2 = docs.createKnowledgeBase(KnowledgeBaseSpec.of("handbook-next", 5).withEmbeddingModel("model-2"));
        docs.ingest(v2.id(), DocumentInput.of("leave", List.of("new model text")),
                texts -> texts.stream().map(t -> new float[] {1, 0, 0, 0, 1}).toList());

        docs.swapKnowledgeBaseNames(v1.id(), v2.id());

        KnowledgeBase current = docs.findKnowledgeBase("handbook").orElseThrow();
        assertThat(current.id()).isEqualTo(v2.id());
        assertThat(current.dimension()).isEqualTo(5);
        assertThat(docs.findKnowledgeBase("handbook-next").orElseThrow().id()).isEqualTo(v1.id());
        assertThat(store.knowledge(tenant).search(SearchRequest.vector(new float[] {1, 0, 0, 0, 1})
                .knowledgeBases(current.id()).build())).extracting(SearchHit::text).containsExactly("new model text");
        assertThat(docs.deleteKnowledgeBase(v1.id())).isTrue();
        assertThat(docs.renameKnowledgeBase(v2.id(), "handbook-2027").name()).isEqualTo("handbook-2027");
        assertThat(docs.listKnowledgeBases()).extracting(KnowledgeBase::name).containsExactly("handbook-2027");
    }
}
