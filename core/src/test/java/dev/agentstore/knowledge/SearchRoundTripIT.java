package dev.agentstore.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.NotFoundException;
import dev.agentstore.document.ChunkInput;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A search on a connection in auto-commit mode is one execute (one round trip: settings and search together), no
 * commit; when the knowledge bases' layouts changed since the store last saw them, it is sent again and still
 * returns exactly the hits of the current data.
 */
@AgentStoreTest(dimension = 3)
class SearchRoundTripIT {

    private static final float[] EAST = {1, 0, 0};

    private final AtomicInteger executes = new AtomicInteger();
    private final AtomicInteger commits = new AtomicInteger();
    private AgentStore store;
    private Documents docs;
    private Knowledge knowledge;

    @BeforeEach
    void open(TestDatabase db) {
        store = AgentStore.builder().dataSource(counting(db.dataSource())).build();
        String tenant = "rt-" + System.nanoTime();
        docs = store.documents(tenant);
        knowledge = store.knowledge(tenant);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void a_search_is_one_execute_without_a_commit_once_the_layouts_are_known_and_follows_them_when_they_change() {
        KnowledgeBaseId a = docs.createKnowledgeBase(KnowledgeBaseSpec.of("a", 3)).id();
        docs.ingest(a, DocumentInput.ofChunks("a/1", List.of(ChunkInput.of("solar panel", new float[] {1, 0.1f, 0}))));
        List<SearchRequest> requests = List.of(SearchRequest.vector(EAST).build(), SearchRequest.text("solar").build(),
                SearchRequest.hybrid("solar", EAST).build(), SearchRequest.vector(EAST).knowledgeBases(a).build());
        for (SearchRequest r : requests) {
            knowledge.search(r); // first of its shape and key: reads the layouts, then searches
        }

        for (SearchRequest r : requests) {
            int before = executes.get();
            int commitsBefore = commits.get();
            assertThat(knowledge.search(r)).as(r.toString()).extracting(SearchHit::text).containsExactly("solar panel");
            assertThat(executes.get() - before).as("executes of " + r).isEqualTo(1);
            assertThat(commits.get() - commitsBefore).as("commits of " + r).isZero();
        }

        // a second knowledge base: the remembered layouts no longer hold, the search is sent again for the new ones
        KnowledgeBaseId b = docs.createKnowledgeBase(KnowledgeBaseSpec.of("b", 3)).id();
        docs.ingest(b, DocumentInput.ofChunks("b/1", List.of(ChunkInput.of("wind turbine", new float[] {1, 0, 0}))));
        int before = executes.get();
        assertThat(knowledge.search(SearchRequest.vector(EAST).build())).extracting(SearchHit::text)
                .containsExactly("wind turbine", "solar panel");
        assertThat(executes.get() - before).isEqualTo(2);

        // a deleted knowledge base: its partition is gone, the search reads the layouts again
        docs.deleteKnowledgeBase(b);
        assertThat(knowledge.search(SearchRequest.vector(EAST).build())).extracting(SearchHit::text)
                .containsExactly("solar panel");
        assertThat(knowledge.search(SearchRequest.hybrid("wind solar", EAST).build())).extracting(SearchHit::text)
                .containsExactly("solar panel");
        assertThatThrownBy(() -> knowledge.search(SearchRequest.vector(EAST).knowledgeBases(b).build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(b.toString());
    }

    @Test
    void a_tenant_that_had_no_knowledge_base_is_searched_once_it_has_one() {
        assertThat(knowledge.search(SearchRequest.vector(EAST).build())).isEmpty();

        KnowledgeBaseId a = docs.createKnowledgeBase(KnowledgeBaseSpec.of("a", 3)).id();
        docs.ingest(a, DocumentInput.ofChunks("a/1", List.of(ChunkInput.of("solar panel", new float[] {1, 0, 0}))));

        assertThat(knowledge.search(SearchRequest.vector(EAST).build())).extracting(SearchHit::text)
                .containsExactly("solar panel");
    }

    /** A data source whose connections count the executes of their prepared statements and the commits. */
    private DataSource counting(DataSource target) {
        InvocationHandler ds = (proxy, method, args) -> {
            Object result = invoke(target, method, args);
            return result instanceof Connection c ? connection(c) : result;
        };
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class}, ds);
    }

    private Connection connection(Connection c) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        commits.incrementAndGet();
                    }
                    Object result = invoke(c, method, args);
                    return result instanceof PreparedStatement ps ? statement(ps) : result;
                });
    }

    private PreparedStatement statement(PreparedStatement ps) {
        return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("execute")) {
                        executes.incrementAndGet();
                    }
                    return invoke(ps, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
