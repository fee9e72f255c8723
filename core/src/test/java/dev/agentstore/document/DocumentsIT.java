package dev.agentstore.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.ConflictException;
import dev.agentstore.ContentHash;
import dev.agentstore.DimensionMismatchException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AgentStoreTest(dimension = 8)
class DocumentsIT {

    static final int DIM = 8;
    static AgentStore store;
    static TestDatabase database;

    Documents docs;
    KnowledgeBase kb;
    CountingEmbedder embedder;

    @BeforeAll
    static void open(TestDatabase db) {
        database = db;
        store = AgentStore.builder().dataSource(db.dataSource()).embeddingBatchSize(3).maxChunkLength(1000).build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @BeforeEach
    void freshTenant() {
        docs = store.documents("tenant-" + UUID.randomUUID());
        kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("handbook", DIM));
        embedder = new CountingEmbedder();
    }

    /** A deterministic embedding per text, counting calls and texts. */
    static final class CountingEmbedder implements EmbeddingFunction {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger texts = new AtomicInteger();
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

        @Override
        public List<float[]> embed(List<String> in) {
            calls.incrementAndGet();
            texts.addAndGet(in.size());
            batchSizes.add(in.size());
            return in.stream().map(DocumentsIT::vector).toList();
        }
    }

    static float[] vector(String text) {
        Random r = new Random(ContentHash.normalize(text).hashCode());
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = r.nextFloat() - 0.5f;
        }
        return v;
    }

    static DocumentInput doc(String uri, String... texts) {
        return DocumentInput.of(uri, List.of(texts));
    }

    long rows(String sql) throws Exception {
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long chunkRows() throws Exception {
        return rows("select count(*) from agentstore.chunk where tenant_id = '" + docs.tenant().value() + "'");
    }

    long documentRows() throws Exception {
        return rows("select count(*) from agentstore.document where tenant_id = '" + docs.tenant().value() + "'");
    }

    // ------------------------------------------------------------------------------------------
    // knowledge bases

    @Test
    void a_knowledge_base_is_created_found_listed_and_deleted() {
        KnowledgeBase faq = docs.createKnowledgeBase(KnowledgeBaseSpec.of("faq", DIM).withDescription("questions")
                .withEmbeddingModel("toy-8").withMetric(DistanceMetric.L2).withTextSearchConfig(TextSearchConfig.SIMPLE)
                .withMetadata(Map.of("owner", "support")));

        assertThat(docs.getKnowledgeBase(faq.id())).isEqualTo(faq);
        assertThat(faq.metric()).isEqualTo(DistanceMetric.L2);
        assertThat(faq.textSearchConfig()).isEqualTo(TextSearchConfig.SIMPLE);
        assertThat(faq.embeddingModel()).isEqualTo("toy-8");
        assertThat(faq.metadata()).containsEntry("owner", "support");
        assertThat(docs.findKnowledgeBase("faq")).contains(faq);
        assertThat(docs.listKnowledgeBases()).extracting(KnowledgeBase::name).containsExactly("faq", "handbook");

        assertThat(docs.deleteKnowledgeBase(faq.id())).isTrue();
        assertThat(docs.deleteKnowledgeBase(faq.id())).isFalse();
        assertThat(docs.findKnowledgeBase(faq.id())).isEmpty();
        assertThatThrownBy(() -> docs.getKnowledgeBase(faq.id())).isInstanceOf(NotFoundException.class)
                .hasMessageContaining(faq.id().toString());
    }

    @Test
    void a_knowledge_base_name_is_unique_per_tenant_and_its_dimension_is_its_own() {
        assertThatThrownBy(() -> docs.createKnowledgeBase(KnowledgeBaseSpec.of("handbook", DIM)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("knowledge_base_name_uk");
        assertThat(store.documents("another-" + UUID.randomUUID()).createKnowledgeBase(KnowledgeBaseSpec.of("handbook", DIM)))
                .isNotNull();

        KnowledgeBase big = docs.createKnowledgeBase(KnowledgeBaseSpec.of("big", 768));
        KnowledgeBase half = docs.createKnowledgeBase(KnowledgeBaseSpec.of("half", 3000).withVectorType(VectorType.HALFVEC));
        KnowledgeBase byDefault = docs.createKnowledgeBase(KnowledgeBaseSpec.of("default"));

        assertThat(big.dimension()).isEqualTo(768);
        assertThat(big.vectorType()).isEqualTo(VectorType.VECTOR);
        assertThat(half.dimension()).isEqualTo(3000);
        assertThat(half.vectorType()).isEqualTo(VectorType.HALFVEC);
        assertThat(byDefault.dimension()).isEqualTo(DIM);
        assertThatThrownBy(() -> docs.createKnowledgeBase(KnowledgeBaseSpec.of("huge", 3000)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at most 2000").hasMessageContaining("3000").hasMessageContaining("HALFVEC");
        assertThatThrownBy(() -> docs.ingest(big.id(), DocumentInput.ofChunks("file:///x", List.of(
                        ChunkInput.of("x", new float[DIM])))))
                .isInstanceOf(DimensionMismatchException.class)
                .hasMessageContaining(DIM + " dimensions").hasMessageContaining("knowledge base " + big.id() + " is built for 768");
    }

    // ------------------------------------------------------------------------------------------
    // ingestion

    @Test
    void ingesting_a_document_stores_its_chunks_in_order_with_their_metadata() {
        DocumentInput input = DocumentInput.ofChunks("file:///leave.md", List.of(
                        ChunkInput.of("Leave is requested in the portal.", Map.of("section", "request")),
                        ChunkInput.of("Sick days need a note after three days."),
                        ChunkInput.of("Leave is requested in the portal.", Map.of("section", "repeat"))))
                .withTitle("Leave").withDocType("markdown").withVersion("3").withMetadata(Map.of("department", "hr"));

        IngestResult r = docs.ingest(kb.id(), input, embedder);

        assertThat(r.status()).isEqualTo(IngestStatus.CREATED);
        assertThat(r.chunksInserted()).isEqualTo(2);
        assertThat(r.chunksReused()).isZero();
        assertThat(r.chunksRemoved()).isZero();
        assertThat(r.embeddingCalls()).isEqualTo(1);
        assertThat(r.textsEmbedded()).isEqualTo(2);
        assertThat(r.duration()).isPositive();
        Document d = docs.getDocument(r.documentId());
        assertThat(d.sourceUri()).isEqualTo("file:///leave.md");
        assertThat(d.title()).isEqualTo("Leave");
        assertThat(d.docType()).isEqualTo("markdown");
        assertThat(d.version()).isEqualTo("3");
        assertThat(d.metadata()).containsEntry("department", "hr");
        assertThat(d.status()).isEqualTo(DocumentStatus.COMPLETED);
        assertThat(d.chunkCount()).isEqualTo(3);
        assertThat(d.contentHash()).isNotNull();
        assertThat(docs.findDocument(kb.id(), "file:///leave.md")).contains(d);
        List<DocumentChunk> chunks = docs.listChunks(d.id());
        assertThat(chunks).extracting(DocumentChunk::index).containsExactly(0, 1, 2);
        assertThat(chunks.get(0).chunkId()).isEqualTo(chunks.get(2).chunkId());
        assertThat(chunks.get(0).metadata()).containsEntry("section", "request");
        assertThat(chunks.get(2).metadata()).containsEntry("section", "repeat");
        assertThat(chunks.get(1).text()).isEqualTo("Sick days need a note after three days.");
        assertThat(chunks.get(1).contentHash()).isEqualTo(ContentHash.of("Sick days need a note after three days."));
        assertThat(docs.countChunks(kb.id())).isEqualTo(2);
    }

    @Test
    void ingesting_the_same_document_twice_writes_nothing_and_makes_no_embedding_call() throws Exception {
        DocumentInput input = doc("file:///a.md", "alpha", "beta", "gamma", "delta").withTitle("A");
        IngestResult first = docs.ingest(kb.id(), input, embedder);
        Document before = docs.getDocument(first.documentId());
        int callsAfterFirst = embedder.calls.get();
        long xminBefore = rows("select sum(xmin::text::bigint) from agentstore.document where id = '" + first.documentId() + "'");

        IngestResult second = docs.ingest(kb.id(), input, embedder);

        assertThat(callsAfterFirst).isEqualTo(2); // 4 texts in batches of 3
        assertThat(embedder.calls.get()).isEqualTo(callsAfterFirst);
        assertThat(second.status()).isEqualTo(IngestStatus.UNCHANGED);
        assertThat(second.documentId()).isEqualTo(first.documentId());
        assertThat(second.embeddingCalls()).isZero();
        assertThat(second.textsEmbedded()).isZero();
        assertThat(second.chunksInserted()).isZero();
        assertThat(second.chunksRemoved()).isZero();
        assertThat(docs.getDocument(first.documentId())).isEqualTo(before);
        assertThat(rows("select sum(xmin::text::bigint) from agentstore.document where id = '" + first.documentId() + "'"))
                .as("the document row was not rewritten").isEqualTo(xminBefore);
    }

    @Test
    void the_same_text_differently_spaced_is_one_chunk_and_changing_only_metadata_is_a_change() {
        IngestResult first = docs.ingest(kb.id(), doc("u1", "Hello,\n  world"), embedder);
        IngestResult other = docs.ingest(kb.id(), doc("u2", "Hello, world "), embedder);
        IngestResult metadataOnly = docs.ingest(kb.id(), doc("u1", "Hello,\n  world").withMetadata(Map.of("k", 1)), embedder);

        assertThat(first.chunksInserted()).isEqualTo(1);
        assertThat(other.chunksInserted()).isZero();
        assertThat(other.chunksReused()).isEqualTo(1);
        assertThat(metadataOnly.status()).isEqualTo(IngestStatus.UPDATED);
        assertThat(metadataOnly.embeddingCalls()).isZero();
        assertThat(docs.getDocument(first.documentId()).metadata()).containsEntry("k", 1);
        assertThat(embedder.texts.get()).isEqualTo(1);
        assertThat(docs.countChunks(kb.id())).isEqualTo(1);
    }

    @Test
    void content_shared_by_documents_is_stored_and_embedded_once() {
        IngestResult a = docs.ingest(kb.id(), doc("a", "x", "y"), embedder);
        IngestResult b = docs.ingest(kb.id(), doc("b", "y", "z"), embedder);

        assertThat(a.chunksInserted()).isEqualTo(2);
        assertThat(b.chunksInserted()).isEqualTo(1);
        assertThat(b.chunksReused()).isEqualTo(1);
        assertThat(b.textsEmbedded()).isEqualTo(1);
        assertThat(embedder.texts.get()).isEqualTo(3);
        assertThat(docs.countChunks(kb.id())).isEqualTo(3);
        assertThat(docs.listChunks(a.documentId()).get(1).chunkId()).isEqualTo(docs.listChunks(b.documentId()).get(0).chunkId());
    }

    @Test
    void a_changed_document_replaces_its_chunks_and_removes_content_no_other_document_uses() {
        IngestResult a = docs.ingest(kb.id(), doc("a", "x", "y", "z"), embedder);
        docs.ingest(kb.id(), doc("b", "y"), embedder);

        IngestResult changed = docs.ingest(kb.id(), doc("a", "x", "w"), embedder);

        assertThat(changed.status()).isEqualTo(IngestStatus.UPDATED);
        assertThat(changed.documentId()).isEqualTo(a.documentId());
        assertThat(changed.chunksInserted()).isEqualTo(1); // w
        assertThat(changed.chunksReused()).isEqualTo(1); // x
        assertThat(changed.chunksRemoved()).isEqualTo(1); // z; y is still used by b
        assertThat(changed.textsEmbedded()).isEqualTo(1);
        assertThat(docs.listChunks(a.documentId())).extracting(DocumentChunk::text).containsExactly("x", "w");
        assertThat(docs.getDocument(a.documentId()).chunkCount()).isEqualTo(2);
        assertThat(docs.getDocument(a.documentId()).status()).isEqualTo(DocumentStatus.COMPLETED);
        assertThat(docs.countChunks(kb.id())).isEqualTo(3); // x, y, w
    }

    @Test
    void deleting_a_document_removes_exactly_the_content_no_other_document_uses() throws Exception {
        IngestResult a = docs.ingest(kb.id(), doc("a", "x", "y", "x"), embedder);
        IngestResult b = docs.ingest(kb.id(), doc("b", "y", "z"), embedder);

        assertThat(docs.deleteDocument(a.documentId())).isEqualTo(1); // x
        assertThat(docs.findDocument(a.documentId())).isEmpty();
        assertThat(docs.listChunks(b.documentId())).extracting(DocumentChunk::text).containsExactly("y", "z");
        assertThat(docs.countChunks(kb.id())).isEqualTo(2);
        assertThatThrownBy(() -> docs.deleteDocument(a.documentId())).isInstanceOf(NotFoundException.class);

        assertThat(docs.deleteDocument(b.documentId())).isEqualTo(2);
        assertThat(chunkRows()).isZero();
    }

    @Test
    void deleting_a_knowledge_base_removes_its_documents_and_chunks() throws Exception {
        docs.ingest(kb.id(), doc("a", "x", "y"), embedder);
        docs.ingest(kb.id(), doc("b", "y", "z"), embedder);

        assertThat(docs.deleteKnowledgeBase(kb.id())).isTrue();

        assertThat(documentRows()).isZero();
        assertThat(chunkRows()).isZero();
        assertThat(rows("select count(*) from agentstore.document_chunk where tenant_id = '" + docs.tenant().value() + "'"))
                .isZero();
    }

    @Test
    void orphan_clean_up_removes_content_left_unlinked_by_hand() throws Exception {
        IngestResult a = docs.ingest(kb.id(), doc("a", "x", "y"), embedder);
        docs.ingest(kb.id(), doc("b", "y"), embedder);
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("delete from agentstore.document where id = '" + a.documentId() + "'");
        }

        assertThat(docs.deleteOrphanChunks(kb.id())).isEqualTo(1);
        assertThat(docs.deleteOrphanChunks(kb.id())).isZero();
        assertThat(docs.countChunks(kb.id())).isEqualTo(1);
    }

    @Test
    void embeddings_are_requested_in_batches_of_the_configured_size_and_only_for_new_texts() {
        docs.ingest(kb.id(), doc("a", "t1", "t2"), embedder);
        embedder.batchSizes.clear();

        IngestResult r = docs.ingest(kb.id(), doc("b", "t1", "t3", "t4", "t2", "t5", "t6", "t7", "t8", "t3"), embedder);

        assertThat(embedder.batchSizes).containsExactly(3, 3);
        assertThat(r.embeddingCalls()).isEqualTo(2);
        assertThat(r.textsEmbedded()).isEqualTo(6);
        assertThat(r.chunksInserted()).isEqualTo(6);
        assertThat(r.chunksReused()).isEqualTo(2);
    }

    @Test
    void precomputed_embeddings_are_stored_without_an_embedding_function() {
        float[] v = vector("pre");
        IngestResult r = docs.ingest(kb.id(), DocumentInput.ofChunks("p", List.of(ChunkInput.of("pre", v))));

        assertThat(r.embeddingCalls()).isZero();
        assertThat(r.chunksInserted()).isEqualTo(1);
        float[] stored = store.dsl().select(dev.agentstore.schema.Tables.CHUNK.EMBEDDING)
                .from(dev.agentstore.schema.Tables.CHUNK)
                .where(dev.agentstore.schema.Tables.CHUNK.ID.eq(docs.listChunks(r.documentId()).get(0).chunkId().value()))
                .fetchSingle().value1();
        assertThat(stored).containsExactly(v);
        assertThatThrownBy(() -> docs.ingest(kb.id(), doc("q", "no vector")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("chunk 0 of document 'q' has no embedding");
    }

    @Test
    void a_mix_of_precomputed_and_function_embeddings_calls_the_function_only_for_the_rest() {
        DocumentInput in = DocumentInput.ofChunks("m", List.of(ChunkInput.of("one", vector("one")), ChunkInput.of("two")));

        IngestResult r = docs.ingest(kb.id(), in, embedder);

        assertThat(r.textsEmbedded()).isEqualTo(1);
        assertThat(r.chunksInserted()).isEqualTo(2);
    }

    // ------------------------------------------------------------------------------------------
    // failures

    @Test
    void an_embedding_function_that_throws_writes_nothing_and_names_the_chunk() throws Exception {
        EmbeddingFunction broken = texts -> {
            throw new IllegalStateException("model offline");
        };

        assertThatThrownBy(() -> docs.ingest(kb.id(), doc("a", "x", "y"), broken))
                .isInstanceOf(EmbeddingFailedException.class)
                .hasMessageContaining("chunk 0 of document 'a'")
                .hasMessageContaining("model offline")
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(((EmbeddingFailedException) e).sourceUri()).isEqualTo("a"));

        assertThat(documentRows()).isZero();
        assertThat(chunkRows()).isZero();
    }

    @Test
    void a_failing_re_ingestion_keeps_the_previous_chunks_and_marks_the_document_failed() {
        IngestResult a = docs.ingest(kb.id(), doc("a", "x", "y"), embedder);
        EmbeddingFunction failsOnSecond = texts -> {
            throw new java.io.IOException("quota exceeded");
        };

        assertThatThrownBy(() -> docs.ingest(kb.id(), doc("a", "x", "new text"), failsOnSecond))
                .isInstanceOf(EmbeddingFailedException.class)
                .hasMessageContaining("chunk 1 of document 'a'")
                .hasMessageContaining("quota exceeded");

        Document d = docs.getDocument(a.documentId());
        assertThat(d.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(d.errorMessage()).contains("quota exceeded").contains("chunk 1");
        assertThat(docs.listChunks(a.documentId())).extracting(DocumentChunk::text).containsExactly("x", "y");
        assertThat(docs.countChunks(kb.id())).isEqualTo(2);

        IngestResult retried = docs.ingest(kb.id(), doc("a", "x", "new text"), embedder);
        assertThat(retried.status()).isEqualTo(IngestStatus.UPDATED);
        assertThat(docs.getDocument(a.documentId()).status()).isEqualTo(DocumentStatus.COMPLETED);
        assertThat(docs.getDocument(a.documentId()).errorMessage()).isNull();
    }

    @Test
    void a_vector_of_the_wrong_dimension_fails_with_both_numbers_and_writes_nothing() throws Exception {
        EmbeddingFunction wrong = texts -> texts.stream().map(t -> t.equals("y") ? new float[DIM + 1] : vector(t)).toList();

        assertThatThrownBy(() -> docs.ingest(kb.id(), doc("a", "x", "y"), wrong))
                .isInstanceOf(DimensionMismatchException.class)
                .hasMessageContaining("embedding of chunk 1 of document 'a'")
                .hasMessageContaining("9 dimensions").hasMessageContaining("built for 8");
        assertThat(documentRows()).isZero();
        assertThat(chunkRows()).isZero();
    }

    @Test
    void nan_or_infinite_vectors_fail_naming_the_chunk_and_write_nothing() throws Exception {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            EmbeddingFunction f = texts -> texts.stream().map(t -> {
                float[] v = vector(t);
                v[3] = bad;
                return v;
            }).toList();

            assertThatThrownBy(() -> docs.ingest(kb.id(), doc("a", "x"), f))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("embedding of chunk 0 of document 'a'")
                    .hasMessageContaining(bad + " at index 3");
        }
        assertThat(documentRows()).isZero();
        assertThat(chunkRows()).isZero();
    }

    @Test
    void an_embedding_function_returning_too_few_vectors_fails() throws Exception {
        EmbeddingFunction short1 = texts -> List.of(vector("x"));

        assertThatThrownBy(() -> docs.ingest(kb.id(), doc("a", "x", "y"), short1))
                .isInstanceOf(EmbeddingFailedException.class)
                .hasMessageContaining("returned 1 vectors for 2 texts");
        assertThat(documentRows()).isZero();
    }

    @Test
    void empty_null_blank_and_too_long_chunks_are_refused_before_anything_is_written() throws Exception {
        assertThatThrownBy(() -> DocumentInput.of("a", List.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("document 'a' has no chunks");
        assertThatThrownBy(() -> DocumentInput.of("a", java.util.Arrays.asList("x", null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("chunk 1 of document 'a' must not be null");
        assertThatThrownBy(() -> DocumentInput.of("a", List.of("x", " \n\t")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("chunk 1 of document 'a' must not be blank");
        assertThatThrownBy(() -> docs.ingest(kb.id(), doc("a", "x", "y".repeat(1001)), embedder))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("chunk 1 of document 'a' has 1001 characters, more than the limit of 1000")
                .hasMessageContaining("maxChunkLength");
        assertThatThrownBy(() -> docs.ingest(kb.id(), null, embedder))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("document must not be null");

        assertThat(embedder.calls.get()).isZero();
        assertThat(documentRows()).isZero();
        assertThat(chunkRows()).isZero();
    }

    @Test
    void ingesting_into_an_unknown_knowledge_base_fails_before_embedding() {
        KnowledgeBaseId unknown = KnowledgeBaseId.of(UUID.randomUUID());

        assertThatThrownBy(() -> docs.ingest(unknown, doc("a", "x"), embedder))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(unknown.toString());
        assertThat(embedder.calls.get()).isZero();
    }

    @Test
    void another_tenant_sees_none_of_the_documents() {
        IngestResult a = docs.ingest(kb.id(), doc("a", "x"), embedder);
        Documents other = store.documents("other-" + UUID.randomUUID());

        assertThat(other.findDocument(a.documentId())).isEmpty();
        assertThat(other.findKnowledgeBase(kb.id())).isEmpty();
        assertThat(other.listDocuments(kb.id())).isEmpty();
        assertThatThrownBy(() -> other.ingest(kb.id(), doc("a", "x"), embedder)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> other.deleteDocument(a.documentId())).isInstanceOf(NotFoundException.class);
        assertThat(docs.listDocuments(kb.id())).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------
    // bulk

    static List<DocumentInput> corpus(int documents, int chunksPerDocument, int distinctTexts, String version) {
        List<DocumentInput> out = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            List<String> texts = new ArrayList<>();
            for (int c = 0; c < chunksPerDocument; c++) {
                texts.add("text " + ((d * 7 + c * 13) % distinctTexts) + " " + version);
            }
            out.add(DocumentInput.of("doc-" + d, texts).withTitle("Document " + d));
        }
        return out;
    }

    static long distinctTexts(List<DocumentInput> corpus) {
        return corpus.stream().flatMap(d -> d.chunks().stream()).map(c -> ContentHash.of(c.text())).distinct().count();
    }

    @Test
    void bulk_ingestion_reports_progress_and_a_second_run_writes_and_embeds_nothing() {
        List<DocumentInput> corpus = corpus(90, 100, 5000, "v1");
        List<IngestProgress> events = new ArrayList<>();

        BulkIngestResult first = docs.ingestAll(kb.id(), corpus, embedder, events::add);

        long distinct = distinctTexts(corpus);
        assertThat(first.documentsCreated()).isEqualTo(90);
        assertThat(first.chunksInserted()).isEqualTo(distinct);
        assertThat(first.textsEmbedded()).isEqualTo(distinct);
        assertThat(docs.countChunks(kb.id())).isEqualTo(distinct);
        assertThat(events).hasSizeGreaterThanOrEqualTo(4); // start + one per batch of about 4,000 chunks
        assertThat(events.get(0)).isEqualTo(new IngestProgress(0, 90, 0, 9000));
        assertThat(events.get(events.size() - 1)).isEqualTo(new IngestProgress(90, 90, 9000, 9000));
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).chunksDone()).isGreaterThan(events.get(i - 1).chunksDone());
            assertThat(events.get(i).documentsDone()).isGreaterThan(events.get(i - 1).documentsDone());
        }
        Document d7 = docs.findDocument(kb.id(), "doc-7").orElseThrow();
        assertThat(docs.listChunks(d7.id())).extracting(DocumentChunk::text)
                .containsExactlyElementsOf(corpus.get(7).chunks().stream().map(ChunkInput::text).toList());
        int callsAfterFirst = embedder.calls.get();

        BulkIngestResult second = docs.ingestAll(kb.id(), corpus, embedder);

        assertThat(second.documentsUnchanged()).isEqualTo(90);
        assertThat(second.documentsCreated() + second.documentsUpdated()).isZero();
        assertThat(second.chunksInserted()).isZero();
        assertThat(second.embeddingCalls()).isZero();
        assertThat(embedder.calls.get()).isEqualTo(callsAfterFirst);
    }

    @Test
    void bulk_ingestion_replaces_changed_documents_and_removes_unused_content() {
        docs.ingestAll(kb.id(), List.of(doc("a", "x", "y"), doc("b", "y", "z"), doc("c", "q")), embedder);

        BulkIngestResult r = docs.ingestAll(kb.id(), List.of(doc("a", "x", "y"), doc("b", "w"), doc("d", "q", "x")), embedder);

        assertThat(r.documentsUnchanged()).isEqualTo(1);
        assertThat(r.documentsUpdated()).isEqualTo(1);
        assertThat(r.documentsCreated()).isEqualTo(1);
        assertThat(r.chunksInserted()).isEqualTo(1); // w
        assertThat(r.chunksRemoved()).isEqualTo(1); // z (y is still in a)
        assertThat(r.textsEmbedded()).isEqualTo(1);
        assertThat(docs.countChunks(kb.id())).isEqualTo(4); // x, y, q, w
        assertThat(docs.listChunks(docs.findDocument(kb.id(), "b").orElseThrow().id()))
                .extracting(DocumentChunk::text).containsExactly("w");
    }

    @Test
    void bulk_ingestion_refuses_a_repeated_source_uri_before_writing() throws Exception {
        assertThatThrownBy(() -> docs.ingestAll(kb.id(), List.of(doc("a", "x"), doc("a", "y")), embedder))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("repeats source URI 'a'");
        assertThat(documentRows()).isZero();
        assertThat(embedder.calls.get()).isZero();
    }

    @Test
    void a_failing_bulk_batch_writes_none_of_its_documents_and_marks_existing_ones_failed() throws Exception {
        docs.ingestAll(kb.id(), List.of(doc("a", "x")), embedder);
        EmbeddingFunction broken = texts -> {
            throw new IllegalStateException("model offline");
        };

        assertThatThrownBy(() -> docs.ingestAll(kb.id(), List.of(doc("a", "x", "y"), doc("b", "z")), broken))
                .isInstanceOf(EmbeddingFailedException.class).hasMessageContaining("model offline");

        assertThat(docs.findDocument(kb.id(), "b")).isEmpty();
        Document a = docs.findDocument(kb.id(), "a").orElseThrow();
        assertThat(a.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(a.errorMessage()).contains("model offline");
        assertThat(docs.listChunks(a.id())).extracting(DocumentChunk::text).containsExactly("x");
        assertThat(docs.countChunks(kb.id())).isEqualTo(1);
    }

    @Test
    void bulk_ingestion_streams_link_metadata_and_precomputed_vectors() {
        DocumentInput in = DocumentInput.ofChunks("m", List.of(
                new ChunkInput("one", Map.of("page", 1, "tags", List.of("a", "b")), vector("one")),
                new ChunkInput("two", Map.of("quote", "it's \"$$\" {}"), null)));

        BulkIngestResult r = docs.ingestAll(kb.id(), List.of(in), embedder);

        assertThat(r.textsEmbedded()).isEqualTo(1);
        List<DocumentChunk> chunks = docs.listChunks(docs.findDocument(kb.id(), "m").orElseThrow().id());
        assertThat(chunks.get(0).metadata()).containsEntry("page", 1).containsEntry("tags", List.of("a", "b"));
        assertThat(chunks.get(1).metadata()).containsEntry("quote", "it's \"$$\" {}");
    }

    // ------------------------------------------------------------------------------------------
    // concurrency

    @Test
    void eight_threads_ingesting_the_same_corpus_end_with_one_row_per_text_and_no_error(TestDatabase db) throws Exception {
        try (AgentStore pooled = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password())
                .poolSize(8).embeddingBatchSize(16).build()) {
            Documents shared = pooled.documents(docs.tenant());
            List<DocumentInput> corpus = corpus(40, 20, 300, "c");
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Thread> threads = IntStream.range(0, 8).mapToObj(i -> Thread.ofPlatform().start(() -> {
                try {
                    List<DocumentInput> mine = new ArrayList<>(corpus);
                    Collections.shuffle(mine, new Random(i));
                    go.await();
                    if (i % 2 == 0) {
                        shared.ingestAll(kb.id(), mine, embedder);
                    } else {
                        for (DocumentInput d : mine) {
                            shared.ingest(kb.id(), d, embedder);
                        }
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            })).toList();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }

            assertThat(errors).isEmpty();
            assertThat(shared.countChunks(kb.id())).isEqualTo(distinctTexts(corpus));
            assertThat(shared.listDocuments(kb.id())).hasSize(40)
                    .allSatisfy(d -> assertThat(d.status()).isEqualTo(DocumentStatus.COMPLETED));
            for (DocumentInput in : corpus) {
                Document d = shared.findDocument(kb.id(), in.sourceUri()).orElseThrow();
                assertThat(shared.listChunks(d.id())).extracting(DocumentChunk::text)
                        .containsExactlyElementsOf(in.chunks().stream().map(ChunkInput::text).toList());
            }
        }
    }

    @Test
    void concurrent_replacements_and_deletions_of_overlapping_content_stay_consistent(TestDatabase db) throws Exception {
        try (AgentStore pooled = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password())
                .poolSize(8).build()) {
            Documents shared = pooled.documents(docs.tenant());
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            // each thread flips its own document between two versions sharing texts with the other threads' documents
            List<Thread> threads = IntStream.range(0, 8).mapToObj(i -> Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int round = 0; round < 15; round++) {
                        int v = (round + i) % 3;
                        List<String> texts = IntStream.range(0, 6).mapToObj(c -> "shared " + ((c + v * 2) % 10)).toList();
                        if (round % 5 == 4) {
                            shared.findDocument(kb.id(), "t" + i).ifPresent(d -> shared.deleteDocument(d.id()));
                        } else {
                            shared.ingest(kb.id(), DocumentInput.of("t" + i, texts), embedder);
                        }
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            })).toList();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }

            assertThat(errors).isEmpty();
            String tenant = docs.tenant().value();
            assertThat(rows("select count(*) from agentstore.chunk c where tenant_id = '" + tenant + "' and not exists "
                    + "(select 1 from agentstore.document_chunk l where l.tenant_id = c.tenant_id and l.chunk_id = c.id)"))
                    .as("no unlinked content").isZero();
            assertThat(rows("select count(*) from (select content_hash from agentstore.chunk where tenant_id = '" + tenant
                    + "' group by content_hash having count(*) > 1) d")).as("one row per text").isZero();
            for (Document d : shared.listDocuments(kb.id())) {
                assertThat(d.status()).isEqualTo(DocumentStatus.COMPLETED);
                assertThat(shared.listChunks(d.id())).hasSize(6);
            }
        }
    }
}
