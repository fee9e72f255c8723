package dev.agentstore.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.agents.AgentDefinition;
import dev.agentstore.agents.AgentId;
import dev.agentstore.agents.AgentVersionId;
import dev.agentstore.agents.Agents;
import dev.agentstore.agents.NewAgent;
import dev.agentstore.agents.NewRun;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.conversation.Session;
import dev.agentstore.conversation.SessionId;
import dev.agentstore.document.ChunkInput;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.knowledge.SearchRequest;
import dev.agentstore.memory.Memory;
import dev.agentstore.memory.MemoryFilter;
import dev.agentstore.memory.MemoryKey;
import dev.agentstore.memory.MemoryScope;
import dev.agentstore.memory.NewMemory;
import dev.agentstore.memory.RecallQuery;
import dev.agentstore.observe.Operation;
import dev.agentstore.observe.Outcome;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Micrometer observer against the test kit's PostgreSQL: one timer per operation and outcome, pool gauges. */
@AgentStoreTest(dimension = 3)
class MicrometerStoreObserverIT {

    private final TestDatabase db;
    private SimpleMeterRegistry registry;
    private AgentStore store;

    MicrometerStoreObserverIT(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void open() {
        registry = new SimpleMeterRegistry();
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(3)
                .observer(MicrometerStoreObserver.of(registry)).build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Timer timer(Operation operation, Outcome outcome) {
        return registry.find(MicrometerStoreObserver.TIMER).tags("capability", operation.capability(),
                "operation", operation.operation(), "outcome", outcome.tag()).timer();
    }

    private long count(Operation operation, Outcome outcome) {
        Timer t = timer(operation, outcome);
        return t == null ? 0 : t.count();
    }

    @Test
    void every_operation_of_a_chat_turn_search_ingest_memory_and_run_is_timed_once_with_its_tags() {
        String tenant = "t-" + UUID.randomUUID();
        Conversations chats = store.conversations(tenant);
        Session session = chats.open(NewSession.of("alice", "helper"));
        chats.addMessages(session.id(), List.of(NewMessage.user("hi"), NewMessage.assistant("hello")));
        chats.addMessage(session.id(), NewMessage.user("again"));
        chats.listLastMessages(session.id(), 20);
        chats.getSession(session.id()); // delegates to findSession: reported once, as the outer call

        Documents documents = store.documents(tenant);
        KnowledgeBase kb = documents.createKnowledgeBase(KnowledgeBaseSpec.of("kb", 3));
        documents.ingest(kb.id(), DocumentInput.ofChunks("doc-1", List.of(ChunkInput.of("returns within 30 days", new float[] {1, 0, 0}))).withUser("alice"));
        store.knowledge(tenant).search(SearchRequest.vector(new float[] {1, 0, 0}).knowledgeBases(kb.id()).limit(3).build());
        store.knowledge(tenant).search(SearchRequest.text("returns").knowledgeBases(kb.id()).limit(3).build());
        store.knowledge(tenant).search(SearchRequest.hybrid("returns", new float[] {1, 0, 0}).knowledgeBases(kb.id()).limit(3).build());

        Memory memory = store.memory(tenant);
        memory.put(MemoryKey.of("helper", MemoryScope.agent(), "plan"), "{\"step\": 1}");
        memory.remember(NewMemory.of("helper", "fact", "alice likes tea", new float[] {0, 1, 0}));
        memory.recall(RecallQuery.of(MemoryFilter.agent("helper"), new float[] {0, 1, 0}, 3));

        Agents agents = store.agents(tenant);
        agents.register(NewAgent.of("helper"));
        agents.publish(AgentId.of("helper"), AgentDefinition.of("openai", "gpt-4o"));
        agents.runs().record(NewRun.succeeded(AgentVersionId.of("helper", 1), Instant.parse("2026-01-01T00:00:00Z"),
                Duration.ofMillis(5)));
        store.erasure(tenant).eraseUser("alice");

        assertThat(count(Operation.SESSION_OPEN, Outcome.SUCCESS)).isEqualTo(1);
        assertThat(count(Operation.MESSAGE_APPEND, Outcome.SUCCESS)).isEqualTo(2); // addMessage delegates: not twice
        assertThat(count(Operation.MESSAGE_LAST, Outcome.SUCCESS)).isEqualTo(1);
        assertThat(count(Operation.SESSION_READ, Outcome.SUCCESS)).isEqualTo(1);
        assertThat(count(Operation.KNOWLEDGE_BASE_CREATE, Outcome.SUCCESS)).isEqualTo(1);
        assertThat(count(Operation.INGEST, Outcome.SUCCESS)).isEqualTo(1);
        assertThat(count(Operation.SEARCH_VECTOR, Outcome.SUCCESS)).isEqualTo(1);
        assertThat(count(Operation.SEARCH_TEXT, Outcome.SUCCESS)).isEqualTo(1);
        assertThat(count(Operation.SEARCH_HYBRID, Outcome.SUCCESS)).isEqualTo(1);
        assertThat(count(Operation.MEMORY_PUT, Outcome.SUCCESS)).isEqualTo(1);
        assertThat(count(Operation.MEMORY_REMEMBER, Outcome.SUCCESS)).isEqualTo(1);
        assertThat(count(Operation.MEMORY_RECALL, Outcome.SUCCESS)).isEqualTo(1);
        assertThat(count(Operation.AGENT_REGISTER, Outcome.SUCCESS)).isEqualTo(1);
        assertThat(count(Operation.AGENT_PUBLISH, Outcome.SUCCESS)).isEqualTo(1);
        assertThat(count(Operation.RUN_RECORD, Outcome.SUCCESS)).isEqualTo(1);
        assertThat(count(Operation.ERASE_USER, Outcome.SUCCESS)).isEqualTo(1);
        Timer append = timer(Operation.MESSAGE_APPEND, Outcome.SUCCESS);
        assertThat(append.getId().getTags()).contains(Tag.of("capability", "conversations"),
                Tag.of("operation", "message.append"), Tag.of("outcome", "success"));
        assertThat(append.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
        // the erasure deletes documents through Documents: the nested calls are not reported on their own
        assertThat(count(Operation.DOCUMENT_DELETE, Outcome.SUCCESS)).isZero();
    }

    @Test
    void failures_are_timed_under_the_category_of_the_exception() {
        Conversations chats = store.conversations("failures");
        SessionId missing = SessionId.of(UUID.randomUUID());
        assertThatThrownBy(() -> chats.addMessage(missing, NewMessage.user("hi"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> chats.addMessages(missing, List.of())).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> chats.getSession(missing)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.knowledge("failures").search(null)).isInstanceOf(InvalidInputException.class);

        assertThat(count(Operation.MESSAGE_APPEND, Outcome.NOT_FOUND)).isEqualTo(1);
        assertThat(count(Operation.MESSAGE_APPEND, Outcome.INVALID_INPUT)).isEqualTo(1);
        assertThat(count(Operation.MESSAGE_APPEND, Outcome.SUCCESS)).isZero();
        assertThat(count(Operation.SESSION_READ, Outcome.NOT_FOUND)).isEqualTo(1);
        assertThat(count(Operation.SEARCH_VECTOR, Outcome.INVALID_INPUT)).isEqualTo(1);
    }

    @Test
    void pool_gauges_read_the_store_pool_and_go_away_when_the_store_closes() {
        Tags schema = Tags.of("schema", store.schema());
        Gauge max = registry.find(MicrometerStoreObserver.POOL_PREFIX + "max").tags(schema).gauge();
        assertThat(max).isNotNull();
        assertThat(max.value()).isEqualTo(3.0);
        for (String name : List.of("active", "idle", "pending", "total")) {
            assertThat(registry.find(MicrometerStoreObserver.POOL_PREFIX + name).tags(schema).gauge()).as(name).isNotNull();
        }
        assertThat(registry.find(MicrometerStoreObserver.POOL_PREFIX + "total").gauge().value()).isBetween(0.0, 3.0);
        store.close();
        assertThat(registry.find(MicrometerStoreObserver.POOL_PREFIX + "max").gauge()).isNull();
        open(); // for close()
    }

    @Test
    void an_observer_that_throws_never_changes_the_result_of_an_operation() {
        try (AgentStore throwing = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(2)
                .observer((operation, outcome, nanos, failure) -> {
                    throw new IllegalStateException("broken observer");
                }).build()) {
            Conversations chats = throwing.conversations("throwing");
            Session s = chats.open(NewSession.of("bob", "helper"));
            assertThat(chats.addMessage(s.id(), NewMessage.user("still stored")).content()).isEqualTo("still stored");
            assertThat(chats.listLastMessages(s.id(), 5)).hasSize(1);
        }
    }

    @Test
    void reserved_tag_names_are_rejected() {
        assertThatThrownBy(() -> MicrometerStoreObserver.of(registry, Tags.of("outcome", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'outcome'");
    }
}
