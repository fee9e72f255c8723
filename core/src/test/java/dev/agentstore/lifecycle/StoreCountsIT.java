package dev.agentstore.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentstore.AgentStore;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.conversation.Session;
import dev.agentstore.document.ChunkInput;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.DocumentStatus;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.memory.MemoryKey;
import dev.agentstore.memory.MemoryScope;
import dev.agentstore.memory.NewMemory;
import dev.agentstore.schema.Agentstore;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@AgentStoreTest(dimension = 3)
class StoreCountsIT {

    private static AgentStore store;

    @BeforeAll
    static void start(TestDatabase db) {
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(4).build();
        for (String tenant : List.of("small", "big")) {
            Conversations chats = store.conversations(tenant);
            int sessions = tenant.equals("big") ? 40 : 3;
            for (int s = 0; s < sessions; s++) {
                Session session = chats.open(NewSession.of("u" + s, "bot"));
                List<NewMessage> turn = new ArrayList<>();
                for (int m = 0; m < 50; m++) {
                    turn.add(NewMessage.user("message " + m));
                }
                chats.addMessages(session.id(), turn);
            }
            store.memory(tenant).put(MemoryKey.of("bot", MemoryScope.agent(), "k"), "1");
            store.memory(tenant).remember(NewMemory.of("bot", "fact", "a fact", new float[] {1, 0, 0}));
            Documents docs = store.documents(tenant);
            KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("kb", 3));
            docs.ingest(kb.id(), DocumentInput.ofChunks("file://a", List.of(ChunkInput.of("one", new float[] {1, 0, 0}),
                    ChunkInput.of("two", new float[] {0, 1, 0}))), null);
        }
        store.dsl().execute("ANALYZE");
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @Test
    void small_tenants_are_counted_exactly_per_capability() {
        TenantCounts c = store.counts("small").tenant();

        assertThat(c.sessions()).isEqualTo(new Count(3, true));
        assertThat(c.messages()).isEqualTo(new Count(150, true));
        assertThat(c.knowledgeBases()).isEqualTo(new Count(1, true));
        assertThat(c.documentsByStatus()).containsEntry(DocumentStatus.COMPLETED, new Count(1, true))
                .containsEntry(DocumentStatus.PENDING, new Count(0, true));
        assertThat(c.documents()).isEqualTo(new Count(1, true));
        assertThat(c.chunks()).isEqualTo(new Count(2, true));
        assertThat(c.memoryEntries()).isEqualTo(new Count(1, true));
        assertThat(c.memories()).isEqualTo(new Count(1, true));
        assertThat(store.counts("nobody").tenant().messages()).isEqualTo(new Count(0, true));
    }

    @Test
    void above_the_threshold_the_statistics_estimate_is_returned_and_marked() {
        TenantCounts c = store.counts("big").withExactThreshold(1_000).tenant();

        assertThat(c.messages().exact()).isFalse();
        assertThat((double) c.messages().value()).isCloseTo(2_000, within(400.0));
        assertThat(c.sessions()).isEqualTo(new Count(40, true));
        assertThat(c.messages().toString()).startsWith("~");
    }

    @Test
    void table_sizes_cover_every_table_largest_first() {
        List<TableSize> sizes = store.counts("small").tableSizes();

        assertThat(sizes).extracting(TableSize::table)
                .containsExactlyInAnyOrderElementsOf(Agentstore.AGENTSTORE.getTables().stream().map(Table::getName).toList());
        assertThat(sizes).allSatisfy(s -> assertThat(s.totalBytes()).isGreaterThanOrEqualTo(s.tableBytes() + s.indexBytes() - 8192));
        assertThat(sizes.get(0).totalBytes()).isGreaterThanOrEqualTo(sizes.get(sizes.size() - 1).totalBytes());
        TableSize messages = sizes.stream().filter(s -> s.table().equals("conversation_message")).findFirst().orElseThrow();
        assertThat(messages.estimatedRows()).isBetween(1_500L, 2_500L);
        assertThat(messages.indexBytes()).isPositive();
    }
}
