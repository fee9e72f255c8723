package dev.agentstore.spring.ai;

import dev.agentstore.AgentStore;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.ai.test.vectorstore.BaseVectorStoreTests;
import org.springframework.ai.vectorstore.VectorStore;

/** Spring AI's own vector store contract ({@code spring-ai-test}'s {@link BaseVectorStoreTests}), unmodified. */
@AgentStoreTest(dimension = 64)
class AgentStoreVectorStoreContractIT extends BaseVectorStoreTests {

    private static AgentStore store;
    private static VectorStore vectorStore;

    @BeforeAll
    static void store(TestDatabase db) {
        store = AgentStore.builder().dataSource(db.dataSource()).build();
        vectorStore = AgentStoreVectorStore.builder(store, new WordHashEmbeddingModel(64))
                .tenant("contract").knowledgeBase("spring-ai-test").build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Override
    protected void executeTest(Consumer<VectorStore> testFunction) {
        testFunction.accept(vectorStore);
    }
}
