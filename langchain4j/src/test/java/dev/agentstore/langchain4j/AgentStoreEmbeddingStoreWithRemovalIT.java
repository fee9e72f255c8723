package dev.agentstore.langchain4j;

import dev.agentstore.AgentStore;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithRemovalIT;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * LangChain4j's own contract suite {@link EmbeddingStoreWithRemovalIT}, unmodified, against the real PostgreSQL.
 * The suite clears nothing itself and expects an empty store per test: like LangChain4j's own store modules
 * (a fresh table per test instance), each test instance gets a fresh knowledge base.
 */
@AgentStoreTest(dimension = TestModel.DIMENSION)
class AgentStoreEmbeddingStoreWithRemovalIT extends EmbeddingStoreWithRemovalIT {

    private static AgentStore store;

    private final AgentStoreEmbeddingStore embeddingStore = AgentStoreEmbeddingStore.builder().store(store)
            .tenant("contract").knowledgeBase("removal-" + UUID.randomUUID()).dimension(TestModel.DIMENSION).build();

    @BeforeAll
    static void start(TestDatabase db) {
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(2).build();
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        return embeddingStore;
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return TestModel.get();
    }
}
