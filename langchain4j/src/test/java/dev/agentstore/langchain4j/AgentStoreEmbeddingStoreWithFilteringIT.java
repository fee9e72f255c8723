package dev.agentstore.langchain4j;

import dev.agentstore.AgentStore;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** LangChain4j's own contract suite {@link EmbeddingStoreWithFilteringIT}, unmodified, against the real PostgreSQL. */
@AgentStoreTest(dimension = TestModel.DIMENSION)
class AgentStoreEmbeddingStoreWithFilteringIT extends EmbeddingStoreWithFilteringIT {

    private static AgentStore store;
    private static AgentStoreEmbeddingStore embeddingStore;

    @BeforeAll
    static void start(TestDatabase db) {
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(2).build();
        embeddingStore = AgentStoreEmbeddingStore.builder().store(store).tenant("contract").knowledgeBase("WithFiltering")
                .dimension(TestModel.DIMENSION).build();
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @Override
    protected void clearStore() {
        embeddingStore.removeAll();
    }

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        return embeddingStore;
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return TestModel.get();
    }

    /** The suite's own switch (off by default): agentstore supports {@code containsString}, so its tests run. */
    @Override
    protected boolean supportsContains() {
        return true;
    }
}
