package dev.agentstore.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.agentstore.AgentStore;
import dev.agentstore.ContentHash;
import dev.agentstore.InvalidInputException;
import dev.agentstore.knowledge.Knowledge;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchRequest;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keyed chunks ({@link ChunkInput#keyed}): identity by the caller's key, exact text or none, own embedding. */
@AgentStoreTest(dimension = 4)
class KeyedChunksIT {

    static AgentStore store;
    static AgentStore bulkStore;

    String tenant;
    Documents docs;
    Knowledge knowledge;
    KnowledgeBase kb;

    @BeforeAll
    static void open(TestDatabase db) {
        store = AgentStore.builder().dataSource(db.dataSource()).build();
        bulkStore = AgentStore.builder().dataSource(db.dataSource()).bulkLoadThreshold(10).build();
    }

    @AfterAll
    static void close() {
        store.close();
        bulkStore.close();
    }

    @BeforeEach
    void freshTenant() {
        tenant = "keyed-" + UUID.randomUUID();
        docs = store.documents(tenant);
        knowledge = store.knowledge(tenant);
        kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("kb", 4));
    }

    static float[] v(float... xs) {
        return xs;
    }

    private SearchHit nearest(float[] query) {
        List<SearchHit> hits = knowledge.search(SearchRequest.vector(query).knowledgeBases(kb.id()).limit(1).exact(true).build());
        assertThat(hits).hasSize(1);
        return hits.get(0);
    }

    private static DocumentInput doc(String uri, ChunkInput... chunks) {
        return DocumentInput.ofChunks(uri, List.of(chunks));
    }

    @Test
    void equal_texts_with_different_embeddings_keep_both_embeddings_and_exact_text() {
        docs.ingest(kb.id(), doc("a", ChunkInput.keyed("a", "hello   world ", v(1, 0, 0, 0))));
        docs.ingest(kb.id(), doc("b", ChunkInput.keyed("b", "hello   world ", v(0, 1, 0, 0))));

        assertThat(docs.countChunks(kb.id())).isEqualTo(2);
        SearchHit a = nearest(v(1, 0, 0, 0));
        SearchHit b = nearest(v(0, 1, 0, 0));
        assertThat(a.document().sourceUri()).isEqualTo("a");
        assertThat(a.distance()).isCloseTo(0.0, within(1e-6));
        assertThat(b.document().sourceUri()).isEqualTo("b");
        assertThat(b.distance()).isCloseTo(0.0, within(1e-6));
        assertThat(a.text()).isEqualTo("hello   world ");
        assertThat(b.text()).isEqualTo("hello   world ");
        assertThat(a.chunkId()).isNotEqualTo(b.chunkId());
        DocumentChunk listed = docs.listChunks(a.document().id()).get(0);
        assertThat(listed.text()).isEqualTo("hello   world ");
        assertThat(listed.contentHash()).isEqualTo(ChunkInput.keyed("a", "hello   world ", v(1, 0, 0, 0)).contentHash("a"));
    }

    @Test
    void a_chunk_without_text_is_stored_and_found_by_vector_but_not_by_text() {
        IngestResult r = docs.ingest(kb.id(), doc("e1", ChunkInput.keyed("e1", null, v(0, 0, 1, 0))));

        assertThat(r.status()).isEqualTo(IngestStatus.CREATED);
        assertThat(r.chunksInserted()).isEqualTo(1);
        SearchHit hit = nearest(v(0, 0, 1, 0));
        assertThat(hit.text()).isNull();
        assertThat(hit.document().sourceUri()).isEqualTo("e1");
        assertThat(docs.listChunks(r.documentId()).get(0).text()).isNull();
        assertThat(docs.listChunks(r.documentId()).get(0).toString()).contains("no text");
        docs.ingest(kb.id(), DocumentInput.of("t", List.of("some words here")), texts -> texts.stream().map(t -> v(1, 1, 1, 1)).toList());
        assertThat(knowledge.search(SearchRequest.text("words").knowledgeBases(kb.id()).limit(10).build()))
                .extracting(h -> h.document().sourceUri()).containsExactly("t");
    }

    @Test
    void a_keyed_chunk_is_never_shared_with_another_document_or_with_content_addressed_text() {
        docs.ingest(kb.id(), doc("x", ChunkInput.keyed("k", "same", v(1, 0, 0, 0))));
        IngestResult y = docs.ingest(kb.id(), doc("y", ChunkInput.keyed("k", "same", v(1, 0, 0, 0))));
        IngestResult z = docs.ingest(kb.id(), doc("z", ChunkInput.of("same", v(1, 0, 0, 0))));

        assertThat(y.chunksInserted()).isEqualTo(1);
        assertThat(y.chunksReused()).isZero();
        assertThat(z.chunksInserted()).isEqualTo(1);
        assertThat(docs.countChunks(kb.id())).isEqualTo(3);
        assertThat(docs.deleteDocument(y.documentId())).isEqualTo(1);
        assertThat(docs.countChunks(kb.id())).isEqualTo(2);
        assertThat(docs.listChunks(docs.findDocument(kb.id(), "x").orElseThrow().id())).extracting(DocumentChunk::text)
                .containsExactly("same");
    }

    @Test
    void a_changed_text_or_embedding_under_the_same_key_replaces_the_chunk_and_an_unchanged_one_writes_nothing() {
        IngestResult first = docs.ingest(kb.id(), doc("d", ChunkInput.keyed("d", "text", v(1, 0, 0, 0))));
        IngestResult same = docs.ingest(kb.id(), doc("d", ChunkInput.keyed("d", "text", v(1, 0, 0, 0))));
        IngestResult newEmbedding = docs.ingest(kb.id(), doc("d", ChunkInput.keyed("d", "text", v(0, 1, 0, 0))));
        IngestResult newText = docs.ingest(kb.id(), doc("d", ChunkInput.keyed("d", "text ", v(0, 1, 0, 0))));
        IngestResult noText = docs.ingest(kb.id(), doc("d", ChunkInput.keyed("d", null, v(0, 1, 0, 0))));

        assertThat(same.status()).isEqualTo(IngestStatus.UNCHANGED);
        assertThat(same.chunksInserted() + same.chunksRemoved()).isZero();
        for (IngestResult r : List.of(newEmbedding, newText, noText)) {
            assertThat(r.status()).isEqualTo(IngestStatus.UPDATED);
            assertThat(r.chunksInserted()).isEqualTo(1);
            assertThat(r.chunksRemoved()).isEqualTo(1);
            assertThat(r.documentId()).isEqualTo(first.documentId());
        }
        assertThat(docs.countChunks(kb.id())).isEqualTo(1);
        SearchHit hit = nearest(v(0, 1, 0, 0));
        assertThat(hit.text()).isNull();
        assertThat(hit.distance()).isCloseTo(0.0, within(1e-6));
    }

    @Test
    void content_addressed_chunks_keep_their_addressing() {
        docs.ingest(kb.id(), doc("p", ChunkInput.of("hello world", v(1, 0, 0, 0))));
        IngestResult q = docs.ingest(kb.id(), doc("q", ChunkInput.of("hello \n world", v(0, 1, 0, 0))));

        assertThat(q.chunksReused()).isEqualTo(1);
        assertThat(q.chunksInserted()).isZero();
        assertThat(docs.countChunks(kb.id())).isEqualTo(1);
        assertThat(ChunkInput.of("hello \n world").contentHash("any")).isEqualTo(ContentHash.of("hello world"));
        assertThat(nearest(v(1, 0, 0, 0)).text()).isEqualTo("hello world");
    }

    @Test
    void a_keyed_chunk_with_text_and_no_embedding_is_embedded_by_the_function() {
        AtomicInteger calls = new AtomicInteger();
        List<String> seen = new ArrayList<>();
        IngestResult r = docs.ingest(kb.id(), doc("f", ChunkInput.keyed("f", "embed  me", null)), texts -> {
            calls.incrementAndGet();
            seen.addAll(texts);
            return texts.stream().map(t -> v(0, 0, 0, 1)).toList();
        });

        assertThat(r.embeddingCalls()).isEqualTo(1);
        assertThat(seen).containsExactly("embed  me");
        assertThat(nearest(v(0, 0, 0, 1)).text()).isEqualTo("embed  me");
    }

    @Test
    void bulk_paths_store_keyed_chunks_with_and_without_text() {
        // the COPY merge path (below the bulk-load threshold) and the bulk load (above it)
        for (AgentStore s : List.of(store, bulkStore)) {
            Documents d = s.documents(tenant);
            KnowledgeBase target = d.createKnowledgeBase(KnowledgeBaseSpec.of("bulk-" + (s == store ? "copy" : "load"), 4));
            List<DocumentInput> in = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                float[] e = v(1, i, 0, 0);
                in.add(doc("e" + i, ChunkInput.keyed("e" + i, i % 2 == 0 ? null : "same text", e)));
            }
            BulkIngestResult r = d.ingestAll(target.id(), in, null);

            assertThat(r.documentsCreated()).isEqualTo(40);
            assertThat(r.chunksInserted()).isEqualTo(40);
            assertThat(d.countChunks(target.id())).isEqualTo(40);
            List<SearchHit> hits = s.knowledge(tenant).search(SearchRequest.vector(v(1, 7, 0, 0)).knowledgeBases(target.id())
                    .limit(1).exact(true).build());
            assertThat(hits.get(0).document().sourceUri()).isEqualTo("e7");
            assertThat(hits.get(0).text()).isEqualTo("same text");
            hits = s.knowledge(tenant).search(SearchRequest.vector(v(1, 8, 0, 0)).knowledgeBases(target.id())
                    .limit(1).exact(true).build());
            assertThat(hits.get(0).document().sourceUri()).isEqualTo("e8");
            assertThat(hits.get(0).text()).isNull();
        }
    }

    @Test
    void the_keyed_hash_covers_uri_key_text_and_embedding_in_its_own_namespace() {
        ChunkInput c = ChunkInput.keyed("k", "t", v(1, 2, 3, 4));
        ContentHash h = c.contentHash("u");

        assertThat(c.contentHash("u")).isEqualTo(h);
        assertThat(h).isNotEqualTo(ContentHash.of("t"));
        assertThat(c.contentHash("u2")).isNotEqualTo(h);
        assertThat(ChunkInput.keyed("k2", "t", v(1, 2, 3, 4)).contentHash("u")).isNotEqualTo(h);
        assertThat(ChunkInput.keyed("k", "t ", v(1, 2, 3, 4)).contentHash("u")).isNotEqualTo(h);
        assertThat(ChunkInput.keyed("k", null, v(1, 2, 3, 4)).contentHash("u")).isNotEqualTo(h);
        assertThat(ChunkInput.keyed("k", "t", v(1, 2, 3, 5)).contentHash("u")).isNotEqualTo(h);
        assertThat(ChunkInput.keyed("k", "t", null).contentHash("u")).isNotEqualTo(h);
        assertThat(c.withMetadata(Map.of("page", 1)).contentHash("u")).as("position metadata is not content").isEqualTo(h);
        assertThat(c.isKeyed()).isTrue();
        assertThat(ChunkInput.of("t").isKeyed()).isFalse();
        assertThat(c.toString()).doesNotContain("k\"").contains("keyed");
    }

    @Test
    void bad_keyed_chunks_are_refused_before_any_sql() {
        assertThatThrownBy(() -> ChunkInput.keyed(null, "t", v(1, 0, 0, 0))).isInstanceOf(InvalidInputException.class)
                .hasMessage("chunk key must not be null; use ChunkInput.of(text) for a content-addressed chunk");
        assertThatThrownBy(() -> ChunkInput.keyed(" ", "t", v(1, 0, 0, 0))).isInstanceOf(InvalidInputException.class)
                .hasMessage("chunk key must not be blank; give null for a content-addressed chunk");
        assertThatThrownBy(() -> ChunkInput.keyed("x".repeat(2001), "t", null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("chunk key must be at most 2000 characters, but has 2001");
        assertThatThrownBy(() -> ChunkInput.keyed("k", null, null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("keyed chunk 'k' has neither text nor embedding; a chunk without text needs its embedding");
        assertThatThrownBy(() -> ChunkInput.keyed("k", "  ", v(1, 0, 0, 0))).isInstanceOf(InvalidInputException.class)
                .hasMessage("chunk text must not be blank (give null for a keyed chunk without text)");
        assertThatThrownBy(() -> ChunkInput.keyed("k\u0000", "t", null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("chunk key");
        assertThatThrownBy(() -> ChunkInput.of(null)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("chunk text must not be null");
        // a wrong dimension or a zero vector under cosine: refused by the ingestion before any SQL, nothing written
        assertThatThrownBy(() -> docs.ingest(kb.id(), doc("bad", ChunkInput.keyed("bad", null, v(1, 0, 0)))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("embedding of chunk 0 of document 'bad'");
        assertThatThrownBy(() -> docs.ingest(kb.id(), doc("bad", ChunkInput.keyed("bad", null, v(0, 0, 0, 0)))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("embedding of chunk 0 of document 'bad'");
        assertThat(docs.findDocument(kb.id(), "bad")).isEmpty();
        assertThat(docs.countChunks(kb.id())).isZero();
    }
}
