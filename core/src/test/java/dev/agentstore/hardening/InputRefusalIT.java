package dev.agentstore.hardening;

import static dev.agentstore.schema.Tables.CHUNK;
import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;
import static dev.agentstore.schema.Tables.CONVERSATION_SESSION;
import static dev.agentstore.schema.Tables.DOCUMENT;
import static dev.agentstore.schema.Tables.MEMORY;
import static dev.agentstore.schema.Tables.MEMORY_ENTRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.InvalidInputException;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.conversation.Session;
import dev.agentstore.document.ChunkInput;
import dev.agentstore.document.DistanceMetric;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.knowledge.Filter;
import dev.agentstore.knowledge.SearchRequest;
import dev.agentstore.memory.Memory;
import dev.agentstore.memory.MemoryFilter;
import dev.agentstore.memory.MemoryKey;
import dev.agentstore.memory.MemoryScope;
import dev.agentstore.memory.NewMemory;
import dev.agentstore.memory.RecallQuery;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.util.List;
import java.util.Map;
import org.jooq.JSONB;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The probes of issue #16, items 1-3 and 6, against a real PostgreSQL: text PostgreSQL cannot store
 * as given (NUL, unpaired UTF-16 surrogates), zero vectors under cosine and oversized JSON are refused
 * with {@link InvalidInputException} before SQL, and nothing is written.
 */
@AgentStoreTest(dimension = 3)
class InputRefusalIT {

    private static final String LONE = String.valueOf((char) 0xD800);
    private static final String NUL = String.valueOf((char) 0);
    private static final float[] V = {1f, 0f, 0f};
    private static final float[] ZERO = {0f, 0f, 0f};

    private AgentStore store;

    @BeforeEach
    void open(TestDatabase db) {
        store = AgentStore.builder().dataSource(db.dataSource()).build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private int rows() {
        return store.dsl().fetchCount(CONVERSATION_SESSION) + store.dsl().fetchCount(CONVERSATION_MESSAGE)
                + store.dsl().fetchCount(DOCUMENT) + store.dsl().fetchCount(CHUNK) + store.dsl().fetchCount(MEMORY)
                + store.dsl().fetchCount(MEMORY_ENTRY);
    }

    private void refused(Executable call, String messageStart) {
        int before = rows();
        assertThatThrownBy(call::execute).isInstanceOf(InvalidInputException.class).hasMessageContaining(messageStart);
        assertThat(rows()).as("nothing written by a refused call").isEqualTo(before);
    }

    @Test
    void surrogates_no_longer_collapse_messages_chunks_or_tenants() {
        Conversations chats = store.conversations("acme");
        Session s = chats.open(NewSession.create());
        refused(() -> chats.addMessage(s.id(), NewMessage.user("x" + LONE + "y")),
                "content holds an unpaired UTF-16 surrogate (U+D800) at index 1");
        refused(() -> chats.addMessages(s.id(), List.of(NewMessage.user("fine"), NewMessage.assistant("a" + LONE))),
                "content holds an unpaired UTF-16 surrogate (U+D800) at index 1");
        refused(() -> store.conversations("t" + LONE), "tenant id holds an unpaired UTF-16 surrogate");
        refused(() -> store.memory("t" + (char) 0xDBFF), "tenant id holds an unpaired UTF-16 surrogate (U+DBFF)");
        refused(() -> DocumentInput.of("doc", List.of("x" + LONE + "y")), "chunk text holds an unpaired UTF-16 surrogate");
        assertThat(chats.addMessage(s.id(), NewMessage.user("x?y")).content()).isEqualTo("x?y");
        assertThat(chats.addMessage(s.id(), NewMessage.user("emoji \uD83D\uDE00")).content()).isEqualTo("emoji \uD83D\uDE00");
    }

    @Test
    void nul_is_refused_in_every_kind_of_text_before_sql() {
        Conversations chats = store.conversations("acme");
        Session s = chats.open(NewSession.create());
        Documents docs = store.documents("acme");
        KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("kb", 3));
        Memory memory = store.memory("acme");

        refused(() -> chats.addMessage(s.id(), NewMessage.user("a" + NUL)), "content holds a NUL character (U+0000) at index 1");
        refused(() -> chats.open(NewSession.create().withTitle("t" + NUL)), "title holds a NUL character");
        refused(() -> chats.open(NewSession.create().withMetadata(Map.of("k", "v" + NUL))),
                "session metadata at k holds a NUL character (U+0000) at index 1");
        refused(() -> chats.listSessionsOfUser("u" + NUL, 10), "userId holds a NUL character");
        refused(() -> docs.ingest(kb.id(), DocumentInput.ofChunks("u" + NUL, List.of(ChunkInput.of("c", V)))),
                "sourceUri holds a NUL character");
        refused(() -> docs.ingest(kb.id(), DocumentInput.ofChunks("doc", List.of(ChunkInput.of("c", V))).withTitle("t" + NUL)),
                "title of document 'doc' holds a NUL character");
        refused(() -> docs.ingest(kb.id(), DocumentInput.ofChunks("doc", List.of(ChunkInput.of("c" + NUL, V)))),
                "chunk text holds a NUL character");
        refused(() -> docs.ingest(kb.id(), DocumentInput.ofChunks("doc",
                List.of(ChunkInput.of("c", Map.of("page", "1" + NUL))).stream().map(c -> new ChunkInput(c.text(), c.metadata(), V))
                        .toList())), "metadata of chunk 0 of document 'doc' at page holds a NUL character");
        refused(() -> docs.createKnowledgeBase(KnowledgeBaseSpec.of("k" + NUL, 3)), "knowledge base name holds a NUL character");
        refused(() -> memory.put(MemoryKey.of("planner", MemoryScope.agent(), "k" + NUL), "1"), "key holds a NUL character");
        refused(() -> memory.put(MemoryKey.of("planner", MemoryScope.agent(), "k"), "{\"a\": \"\\u0000\"}"),
                "value of memory entry 'k' (agent 'planner', agent) at a holds a NUL character");
        refused(() -> memory.putValue(MemoryKey.of("planner", MemoryScope.agent(), "k"), List.of("x" + NUL)),
                "at [0] holds a NUL character");
        refused(() -> memory.remember(NewMemory.of("planner", "fact", "c" + NUL, V)), "content holds a NUL character");
        refused(() -> store.knowledge("acme").search(SearchRequest.text("q" + NUL).build()), "query text holds a NUL character");
        refused(() -> store.knowledge("acme").search(SearchRequest.vector(V)
                .filter(Filter.metadata("lang").eq("e" + NUL)).build()), "metadata filter value of 'lang' holds a NUL");
        refused(() -> store.knowledge("acme").search(SearchRequest.vector(V)
                .filter(Filter.sourceUriPrefix("p" + NUL)).build()), "sourceUriPrefix holds a NUL character");
    }

    @Test
    void zero_vectors_are_refused_under_cosine_for_chunks_memories_and_queries() {
        Documents docs = store.documents("acme");
        KnowledgeBase cosine = docs.createKnowledgeBase(KnowledgeBaseSpec.of("cosine", 3));
        refused(() -> docs.ingest(cosine.id(), DocumentInput.ofChunks("doc", List.of(ChunkInput.of("a", V), ChunkInput.of("b", ZERO)))),
                "embedding of chunk 1 of document 'doc' is all zeros: cosine distance to a zero vector is undefined (NaN)");
        assertThatThrownBy(() -> docs.ingest(cosine.id(), DocumentInput.of("doc2", List.of("a")), texts -> List.of(ZERO.clone())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("embedding of chunk 0 of document 'doc2' (returned by the embedding function) is all zeros");
        assertThat(store.dsl().fetchCount(CHUNK)).isZero();

        KnowledgeBase l2 = docs.createKnowledgeBase(KnowledgeBaseSpec.of("l2", 3).withMetric(DistanceMetric.L2));
        docs.ingest(l2.id(), DocumentInput.ofChunks("origin", List.of(ChunkInput.of("the origin", ZERO))));
        assertThat(store.dsl().fetchCount(CHUNK)).as("under L2 a zero vector has a distance").isEqualTo(1);

        Memory memory = store.memory("acme");
        refused(() -> memory.remember(NewMemory.of("planner", "fact", "c", ZERO)), "embedding of the memory is all zeros");
        refused(() -> memory.recall(RecallQuery.of(MemoryFilter.agent("planner"), ZERO, 3)), "query embedding is all zeros");
        refused(() -> store.knowledge("acme").search(SearchRequest.vector(ZERO).build()), "query embedding is all zeros");
    }

    @Test
    void metadata_and_memory_values_have_a_configurable_size_limit(TestDatabase db) {
        Map<String, Object> tenMegabytes = Map.of("blob", "x".repeat(10_000_000));
        Conversations chats = store.conversations("acme");
        refused(() -> chats.open(NewSession.create().withMetadata(tenMegabytes)),
                "session metadata has 10000011 characters of JSON, more than the limit of 65536 (raise it with "
                        + "AgentStore.Builder.maxMetadataLength(...))");
        Session s = chats.open(NewSession.create());
        refused(() -> chats.addMessage(s.id(), NewMessage.user("hi").withMetadata(Map.of("blob", "y".repeat(70_000)))),
                "metadata has 70011 characters of JSON, more than the limit of 65536");
        refused(() -> store.memory("acme").put(MemoryKey.of("a", MemoryScope.agent(), "k"), "\"" + "z".repeat(1_048_577) + "\""),
                "more than the limit of 1048576 (raise it with AgentStore.Builder.maxMemoryValueLength(...))");

        try (AgentStore roomy = AgentStore.builder().dataSource(db.dataSource()).maxMetadataLength(200_000)
                .maxMemoryValueLength(10).build()) {
            assertThat(roomy.conversations("acme").open(NewSession.create().withMetadata(Map.of("blob", "x".repeat(150_000))))
                    .metadata()).containsKey("blob");
            assertThatThrownBy(() -> roomy.memory("acme").put(MemoryKey.of("a", MemoryScope.agent(), "k"), "[1,2,3,4,5,6]"))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("more than the limit of 10");
        }
    }

    @Test
    void the_database_errors_for_nul_are_translated_when_text_bypasses_the_checks() {
        DataAccessException text = org.junit.jupiter.api.Assertions.assertThrows(DataAccessException.class,
                () -> store.dsl().insertInto(CONVERSATION_SESSION).set(CONVERSATION_SESSION.TENANT_ID, "acme")
                        .set(CONVERSATION_SESSION.TITLE, "a" + NUL).execute());
        assertThat(SqlErrors.sqlState(text)).isEqualTo("22021");
        assertThat(SqlErrors.translate(text, "open a session")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("holds a NUL character (U+0000), which PostgreSQL cannot store");
        DataAccessException json = org.junit.jupiter.api.Assertions.assertThrows(DataAccessException.class,
                () -> store.dsl().insertInto(CONVERSATION_SESSION).set(CONVERSATION_SESSION.TENANT_ID, "acme")
                        .set(CONVERSATION_SESSION.METADATA, JSONB.valueOf("{\"a\": \"\\u0000\"}")).execute());
        assertThat(SqlErrors.sqlState(json)).isEqualTo("22P05");
        assertThat(SqlErrors.translate(json, "open a session")).isInstanceOf(InvalidInputException.class);
    }
}
