package dev.agentstore.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.InvalidInputException;
import dev.agentstore.conversation.Message;
import dev.agentstore.conversation.Role;
import dev.agentstore.conversation.Session;
import dev.agentstore.conversation.ToolCall;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AgentStoreTest(dimension = 3)
class AgentStoreChatMemoryStoreIT {

    private static final AtomicInteger TENANTS = new AtomicInteger();

    private static TestDatabase db;
    private static AgentStore store;
    private static CountingDataSource counting;
    private static AgentStore countedStore;

    private AgentStoreChatMemoryStore memoryStore;
    private String tenant;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(8).build();
        counting = new CountingDataSource(db.dataSource());
        countedStore = AgentStore.builder().dataSource(counting.dataSource()).build();
    }

    @AfterAll
    static void stop() {
        store.close();
        countedStore.close();
    }

    @BeforeEach
    void freshTenant() {
        tenant = "memory-" + TENANTS.incrementAndGet();
        memoryStore = AgentStoreChatMemoryStore.builder().store(store).tenant(tenant).agentId("assistant").build();
    }

    private static List<ChatMessage> everyType() {
        ToolExecutionRequest weather = ToolExecutionRequest.builder().id("call_1").name("weather")
                .arguments("{ \"city\": \"Zürich\" ,\"units\":\"metric\"}").build();
        ToolExecutionRequest time = ToolExecutionRequest.builder().id("call_2").name("time").arguments("{}").build();
        ToolExecutionRequest noId = ToolExecutionRequest.builder().name("now").arguments(null).build();
        return List.of(
                SystemMessage.from("You are terse."),
                UserMessage.from("What is the weather in Zürich?  "),
                UserMessage.from("alice", "named user"),
                UserMessage.from(TextContent.from("look at this"), ImageContent.from("https://example.com/cat.png")),
                AiMessage.from(List.of(weather, time)),
                AiMessage.from("Let me check both.", List.of(weather)),
                AiMessage.builder().text("").toolExecutionRequests(List.of(noId)).build(),
                ToolExecutionResultMessage.from(weather, "{\"celsius\": 4}"),
                ToolExecutionResultMessage.from("call_2", "time", ""),
                ToolExecutionResultMessage.from(null, "now", "12:00"),
                ToolExecutionResultMessage.builder().id("call_3").toolName("weather").text("boom").isError(true).build(),
                AiMessage.builder().text("It is 4 °C.").thinking("cold").build(),
                AiMessage.builder().text("with attributes").attributes(Map.of("k", "v")).build(),
                AiMessage.from("Plain answer.\n"),
                CustomMessage.from(Map.of("provider", "x", "n", 1)));
    }

    @Test
    void every_message_type_round_trips_equal_and_tool_calls_use_agentstores_columns() {
        List<ChatMessage> messages = everyType();

        memoryStore.updateMessages("user-1", messages);

        assertThat(memoryStore.getMessages("user-1")).containsExactlyElementsOf(messages);
        AgentStoreChatMemoryStore other = AgentStoreChatMemoryStore.builder().store(store).tenant(tenant).agentId("assistant").build();
        assertThat(other.getMessages("user-1")).containsExactlyElementsOf(messages);

        Session session = memoryStore.findSession("user-1").orElseThrow();
        List<Message> stored = store.conversations(tenant).listLastMessages(session.id(), 100);
        assertThat(stored).extracting(Message::role).containsExactly(Role.SYSTEM, Role.USER, Role.USER, Role.USER,
                Role.ASSISTANT, Role.ASSISTANT, Role.ASSISTANT, Role.TOOL, Role.TOOL, Role.TOOL, Role.TOOL,
                Role.ASSISTANT, Role.ASSISTANT, Role.ASSISTANT, Role.USER);
        // typed where agentstore's columns hold the message exactly
        assertThat(stored.get(4).toolCalls()).containsExactly(
                ToolCall.of("call_1", "weather", "{ \"city\": \"Zürich\" ,\"units\":\"metric\"}"), ToolCall.of("call_2", "time", "{}"));
        assertThat(stored.get(4).content()).isEmpty();
        assertThat(stored.get(4).metadata()).doesNotContainKey(ChatMessages.MESSAGE_KEY);
        assertThat(stored.get(5).content()).isEqualTo("Let me check both.");
        assertThat(stored.get(6).toolCalls()).containsExactly(ToolCall.of(null, "now", null));
        assertThat(stored.get(7).toolCallId()).isEqualTo("call_1");
        assertThat(stored.get(7).toolName()).isEqualTo("weather");
        assertThat(stored.get(7).content()).isEqualTo("{\"celsius\": 4}");
        assertThat(stored.get(8).content()).isEmpty();
        assertThat(stored.get(1).content()).isEqualTo("What is the weather in Zürich?  ");
        assertThat(stored.get(13).metadata()).doesNotContainKey(ChatMessages.MESSAGE_KEY);
        // kept as LangChain4j JSON where they cannot, with a readable text
        assertThat(stored.get(10).toolName()).isEqualTo("weather"); // a tool error keeps the typed columns too
        assertThat(stored.get(10).metadata()).containsEntry(ChatMessages.IS_ERROR_KEY, true);
        for (int i : new int[] {2, 3, 11, 12, 14}) {
            assertThat(stored.get(i).metadata()).as("message %d", i).containsKey(ChatMessages.MESSAGE_KEY);
        }
        assertThat(stored.get(3).content()).isEqualTo("look at this");
        assertThat(stored.get(14).content()).isEqualTo("[custom message]");
    }

    @Test
    void a_message_window_keeps_the_last_messages_and_appends_each_message_once() throws SQLException {
        ChatMemory memory = MessageWindowChatMemory.builder().id("w").maxMessages(4).chatMemoryStore(memoryStore).build();
        memory.add(SystemMessage.from("Be brief."));
        for (int i = 1; i <= 5; i++) {
            memory.add(UserMessage.from("question " + i));
            memory.add(AiMessage.from("answer " + i));
        }

        List<ChatMessage> expected = List.of(SystemMessage.from("Be brief."), AiMessage.from("answer 4"),
                UserMessage.from("question 5"), AiMessage.from("answer 5"));
        assertThat(memory.messages()).containsExactlyElementsOf(expected);
        assertThat(memoryStore.getMessages("w")).containsExactlyElementsOf(expected);
        assertThat(MessageWindowChatMemory.builder().id("w").maxMessages(4).chatMemoryStore(
                AgentStoreChatMemoryStore.builder().store(store).tenant(tenant).agentId("assistant").build()).build().messages())
                .containsExactlyElementsOf(expected);
        // the whole conversation is agentstore's history, each message once
        assertThat(messageRows(tenant)).isEqualTo(11);
        Session session = memoryStore.findSession("w").orElseThrow();
        assertThat(store.conversations(tenant).listLastMessages(session.id(), 20)).extracting(Message::content)
                .containsExactly("Be brief.", "question 1", "answer 1", "question 2", "answer 2", "question 3", "answer 3",
                        "question 4", "answer 4", "question 5", "answer 5");
    }

    @Test
    void a_changed_system_message_replaces_the_old_one_first_or_last_as_the_memory_puts_it() {
        ChatMemory first = MessageWindowChatMemory.builder().id("s1").maxMessages(10).alwaysKeepSystemMessageFirst(true)
                .chatMemoryStore(memoryStore).build();
        first.add(SystemMessage.from("v1"));
        first.add(UserMessage.from("hi"));
        first.add(AiMessage.from("hello"));
        first.add(SystemMessage.from("v1")); // the same system message: nothing changes
        first.add(SystemMessage.from("v2"));

        assertThat(memoryStore.getMessages("s1")).containsExactly(SystemMessage.from("v2"), UserMessage.from("hi"),
                AiMessage.from("hello"));

        ChatMemory last = MessageWindowChatMemory.builder().id("s2").maxMessages(10).chatMemoryStore(memoryStore).build();
        last.add(SystemMessage.from("v1"));
        last.add(UserMessage.from("hi"));
        last.add(SystemMessage.from("v2"));
        assertThat(memoryStore.getMessages("s2")).containsExactly(UserMessage.from("hi"), SystemMessage.from("v2"));
        last.add(AiMessage.from("hello"));
        assertThat(last.messages()).containsExactly(UserMessage.from("hi"), SystemMessage.from("v2"), AiMessage.from("hello"));
    }

    @Test
    void evicting_an_ai_message_with_tool_calls_evicts_its_orphan_tool_results() {
        ChatMemory memory = MessageWindowChatMemory.builder().id("t").maxMessages(3).chatMemoryStore(memoryStore).build();
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("c1").name("weather").arguments("{}").build();
        memory.add(UserMessage.from("weather?"));
        memory.add(AiMessage.from(List.of(call)));
        memory.add(ToolExecutionResultMessage.from(call, "sunny"));
        memory.add(AiMessage.from("It is sunny."));
        memory.add(UserMessage.from("thanks"));

        assertThat(memoryStore.getMessages("t")).containsExactly(AiMessage.from("It is sunny."), UserMessage.from("thanks"));
    }

    @Test
    void an_update_that_only_removes_messages_is_kept_too() {
        List<ChatMessage> all = List.of(UserMessage.from("a"), AiMessage.from("b"), UserMessage.from("c"), AiMessage.from("d"));
        memoryStore.updateMessages("r", all);

        memoryStore.updateMessages("r", List.of(all.get(0), all.get(3)));
        assertThat(memoryStore.getMessages("r")).containsExactly(all.get(0), all.get(3));

        memoryStore.updateMessages("r", List.of(all.get(0), all.get(3), UserMessage.from("e")));
        assertThat(memoryStore.getMessages("r")).containsExactly(all.get(0), all.get(3), UserMessage.from("e"));

        memoryStore.updateMessages("r", List.of());
        assertThat(memoryStore.getMessages("r")).isEmpty();
        memoryStore.updateMessages("r", List.of(UserMessage.from("again")));
        assertThat(memoryStore.getMessages("r")).containsExactly(UserMessage.from("again"));
    }

    @Test
    void repeated_equal_messages_keep_their_count_and_order() {
        List<ChatMessage> list = List.of(UserMessage.from("ok"), AiMessage.from("ok"), UserMessage.from("ok"),
                UserMessage.from("ok"));
        memoryStore.updateMessages("dup", list);
        assertThat(memoryStore.getMessages("dup")).containsExactlyElementsOf(list);
        List<ChatMessage> more = new ArrayList<>(list.subList(1, 4));
        more.add(UserMessage.from("ok"));
        memoryStore.updateMessages("dup", more);
        assertThat(memoryStore.getMessages("dup")).containsExactlyElementsOf(more);
    }

    @Test
    void delete_removes_the_session_and_an_unknown_memory_is_empty() {
        memoryStore.updateMessages(42, List.of(UserMessage.from("x")));
        assertThat(memoryStore.getMessages(42)).containsExactly(UserMessage.from("x"));
        assertThat(memoryStore.getMessages("42")).containsExactly(UserMessage.from("x"));

        memoryStore.deleteMessages(42);

        assertThat(memoryStore.getMessages(42)).isEmpty();
        assertThat(memoryStore.findSession(42)).isEmpty();
        memoryStore.deleteMessages("never-used");
        assertThat(memoryStore.getMessages(UUID.randomUUID())).isEmpty();
    }

    @Test
    void bad_input_is_refused_before_anything_is_written() throws SQLException {
        assertThatThrownBy(() -> memoryStore.getMessages(null))
                .isInstanceOf(InvalidInputException.class).hasMessage("memoryId must not be null");
        assertThatThrownBy(() -> memoryStore.updateMessages("m", null))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("messages must not be null");
        List<ChatMessage> withNull = new ArrayList<>();
        withNull.add(UserMessage.from("a"));
        withNull.add(null);
        assertThatThrownBy(() -> memoryStore.updateMessages("m", withNull))
                .isInstanceOf(InvalidInputException.class).hasMessage("messages must not contain null, but element 1 is null");
        assertThatThrownBy(() -> AgentStoreChatMemoryStore.builder().store(store).build())
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("tenant must be set");
        assertThat(messageRows(tenant)).isZero();
    }

    @Test
    void two_memory_ids_in_parallel_keep_their_own_conversations() throws Exception {
        int turns = 15;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<ChatMessage>>> results = new ArrayList<>();
            for (String id : List.of("alice", "bob")) {
                Callable<List<ChatMessage>> chat = () -> {
                    ChatMemory memory = MessageWindowChatMemory.builder().id(id).maxMessages(10).chatMemoryStore(memoryStore).build();
                    for (int i = 0; i < turns; i++) {
                        memory.add(UserMessage.from(id + " asks " + i));
                        memory.add(AiMessage.from("answer to " + id + " " + i));
                    }
                    return memory.messages();
                };
                results.add(pool.submit(chat));
            }
            for (int k = 0; k < 2; k++) {
                String id = k == 0 ? "alice" : "bob";
                List<ChatMessage> expected = new ArrayList<>();
                for (int i = turns - 5; i < turns; i++) {
                    expected.add(UserMessage.from(id + " asks " + i));
                    expected.add(AiMessage.from("answer to " + id + " " + i));
                }
                assertThat(results.get(k).get()).containsExactlyElementsOf(expected);
                assertThat(memoryStore.getMessages(id)).containsExactlyElementsOf(expected);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(messageRows(tenant)).isEqualTo(4L * turns);
    }

    @Test
    void a_turn_costs_the_same_statements_and_one_row_per_new_message_whatever_the_window() throws SQLException {
        long[] small = turnCost(20);
        long[] large = turnCost(200);

        // updateMessages with one new user message, then with one new assistant message
        assertThat(small[1]).isEqualTo(2); // rows written: exactly the two new messages
        assertThat(large[1]).isEqualTo(2);
        assertThat(small[0]).isLessThanOrEqualTo(12);
        assertThat(large[0]).isEqualTo(small[0]);
    }

    /** Statements executed and message rows written by one turn on a full window of this size. */
    private long[] turnCost(int window) throws SQLException {
        String t = "cost-" + window + "-" + TENANTS.incrementAndGet();
        AgentStoreChatMemoryStore counted = AgentStoreChatMemoryStore.builder().store(countedStore).tenant(t).build();
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from("system"));
        for (int i = 0; messages.size() < window; i++) {
            messages.add(i % 2 == 0 ? UserMessage.from("q" + i) : AiMessage.from("a" + i));
        }
        counted.updateMessages("m", messages);
        long rowsBefore = messageRows(t);
        long before = counting.executed();

        List<ChatMessage> next = new ArrayList<>(messages);
        next.remove(1); // the window is full: the oldest non-system message is evicted
        next.add(UserMessage.from("new question"));
        counted.updateMessages("m", next);
        List<ChatMessage> after = new ArrayList<>(next);
        after.remove(1);
        after.add(AiMessage.from("new answer"));
        counted.updateMessages("m", after);

        long statements = counting.executed() - before;
        System.out.printf("chat memory turn on a %d-message window: %d statements, %d message rows written%n", window,
                statements, messageRows(t) - rowsBefore);
        assertThat(counted.getMessages("m")).containsExactlyElementsOf(after);
        return new long[] {statements, messageRows(t) - rowsBefore};
    }

    private static long messageRows(String tenant) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM agentstore.conversation_message WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
