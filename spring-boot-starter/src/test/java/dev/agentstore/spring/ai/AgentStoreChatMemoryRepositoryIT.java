package dev.agentstore.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.conversation.Session;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.Media;
import org.springframework.util.MimeTypeUtils;

@AgentStoreTest(dimension = 4)
class AgentStoreChatMemoryRepositoryIT {

    private static AgentStore store;

    @BeforeAll
    static void store(TestDatabase db) {
        store = AgentStore.builder().dataSource(db.dataSource()).build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static AgentStoreChatMemoryRepository repository(String tenant) {
        return AgentStoreChatMemoryRepository.builder(store).tenant(tenant).build();
    }

    private static Session session(String tenant, String conversationId) {
        return store.conversations(tenant).history().findByHostKey(conversationId).orElseThrow();
    }

    private static List<dev.agentstore.conversation.Message> all(String tenant, String conversationId) {
        Session s = session(tenant, conversationId);
        return store.conversations(tenant).listLastMessages(s.id(), 1000);
    }

    @Test
    void every_message_type_round_trips_including_tool_calls_and_several_tool_responses() {
        AgentStoreChatMemoryRepository repo = repository("types");
        List<Message> conversation = List.of(
                new SystemMessage("You are a weather bot."),
                UserMessage.builder().text("Weather in Oslo and Bergen?").metadata(Map.of("client", "web")).build(),
                AssistantMessage.builder().content("").toolCalls(List.of(
                        new AssistantMessage.ToolCall("call_1", "function", "weather", "{\"city\":\"Oslo\"}"),
                        new AssistantMessage.ToolCall("call_2", "function", "weather", "{\"city\":\"Bergen\"}"))).build(),
                ToolResponseMessage.builder().responses(List.of(
                        new ToolResponseMessage.ToolResponse("call_1", "weather", "{\"celsius\":-3}"),
                        new ToolResponseMessage.ToolResponse("call_2", "weather", "{\"celsius\":4}"))).build(),
                AssistantMessage.builder().content("Oslo -3 °C, Bergen 4 °C.")
                        .properties(Map.of("finishReason", "STOP", "tokens", 12)).build());

        repo.saveAll("c1", conversation);

        List<Message> back = repo.findByConversationId("c1");
        assertThat(back).isEqualTo(conversation);
        assertThat(back).extracting(Message::getMessageType).containsExactly(MessageType.SYSTEM, MessageType.USER,
                MessageType.ASSISTANT, MessageType.TOOL, MessageType.ASSISTANT);
        assertThat(((AssistantMessage) back.get(2)).getToolCalls()).extracting(AssistantMessage.ToolCall::arguments)
                .containsExactly("{\"city\":\"Oslo\"}", "{\"city\":\"Bergen\"}");
        assertThat(((ToolResponseMessage) back.get(3)).getResponses()).extracting(ToolResponseMessage.ToolResponse::responseData)
                .containsExactly("{\"celsius\":-3}", "{\"celsius\":4}");

        // agentstore's own view: typed tool calls and one tool-result row per response
        List<dev.agentstore.conversation.Message> rows = all("types", "c1");
        assertThat(rows).hasSize(6);
        assertThat(rows.get(2).toolCalls()).extracting(dev.agentstore.conversation.ToolCall::name).containsExactly("weather", "weather");
        assertThat(rows.get(3).toolCallId()).isEqualTo("call_1");
        assertThat(rows.get(4).toolCallId()).isEqualTo("call_2");
    }

    @Test
    void a_chat_turn_through_message_window_chat_memory_writes_only_the_new_messages() {
        AgentStoreChatMemoryRepository repo = repository("turns");
        ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repo).maxMessages(20).build();
        memory.add("c", new SystemMessage("Be brief."));
        for (int turn = 0; turn < 15; turn++) {
            memory.add("c", List.of(new UserMessage("question " + turn), new AssistantMessage("answer " + turn)));
        }
        List<dev.agentstore.conversation.Message> before = all("turns", "c");
        assertThat(before).hasSize(31);

        memory.add("c", List.of(new UserMessage("question 15"), new AssistantMessage("answer 15")));

        List<dev.agentstore.conversation.Message> after = all("turns", "c");
        // exactly two rows more, and every earlier row is untouched (same id, same position)
        assertThat(after).hasSize(33);
        assertThat(after.subList(0, 31)).isEqualTo(before);
        assertThat(after.subList(31, 33)).extracting(dev.agentstore.conversation.Message::content)
                .containsExactly("question 15", "answer 15");

        // the window: the system message plus the last 19 messages, starting at a user message
        List<Message> window = memory.get("c");
        assertThat(window).hasSizeLessThanOrEqualTo(20);
        assertThat(window.get(0)).isEqualTo(new SystemMessage("Be brief."));
        assertThat(window.get(1).getMessageType()).isEqualTo(MessageType.USER);
        assertThat(window.get(window.size() - 1).getText()).isEqualTo("answer 15");
        assertThat(window).extracting(Message::getText).doesNotContain("question 0", "answer 0");
    }

    @Test
    void windowing_matches_an_in_memory_repository_turn_by_turn_with_a_changed_system_message() {
        AgentStoreChatMemoryRepository repo = repository("window");
        ChatMemory ours = MessageWindowChatMemory.builder().chatMemoryRepository(repo).maxMessages(6).build();
        ChatMemory reference = MessageWindowChatMemory.builder().maxMessages(6).build();
        for (int turn = 0; turn < 12; turn++) {
            List<Message> add = new ArrayList<>();
            if (turn == 0 || turn == 7) {
                add.add(new SystemMessage("system v" + turn));
            }
            add.add(new UserMessage("u" + turn));
            if (turn % 3 == 1) {
                add.add(AssistantMessage.builder().content("").toolCalls(List.of(
                        new AssistantMessage.ToolCall("t" + turn, "function", "lookup", "{}"))).build());
                add.add(ToolResponseMessage.builder().responses(List.of(
                        new ToolResponseMessage.ToolResponse("t" + turn, "lookup", "r" + turn))).build());
            }
            add.add(new AssistantMessage("a" + turn));
            ours.add("w", add);
            reference.add("w", add);
            assertThat(ours.get("w")).as("window after turn %d", turn).isEqualTo(reference.get("w"));
        }
        assertThat(ours.get("w")).extracting(Message::getText).contains("system v7").doesNotContain("system v0");
    }

    @Test
    void conversations_are_listed_found_and_deleted_by_id() {
        AgentStoreChatMemoryRepository repo = repository("list");
        repo.saveAll("b", List.of(new UserMessage("hi b")));
        repo.saveAll("a", List.of(new UserMessage("hi a")));
        assertThat(repo.findConversationIds()).containsExactly("a", "b");
        assertThat(repo.findByConversationId("none")).isEmpty();

        repo.deleteByConversationId("a");

        assertThat(repo.findConversationIds()).containsExactly("b");
        assertThat(repo.findByConversationId("a")).isEmpty();
        assertThat(store.conversations("list").history().findByHostKey("a")).isEmpty();
    }

    @Test
    void tenants_do_not_see_each_other() {
        repository("t1").saveAll("same", List.of(new UserMessage("from t1")));
        repository("t2").saveAll("same", List.of(new UserMessage("from t2")));
        assertThat(repository("t1").findByConversationId("same")).extracting(Message::getText).containsExactly("from t1");
        assertThat(repository("t2").findByConversationId("same")).extracting(Message::getText).containsExactly("from t2");
    }

    @Test
    void concurrent_conversations_keep_their_own_messages() throws Exception {
        AgentStoreChatMemoryRepository repo = repository("parallel");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                String id = "conv-" + c;
                futures.add(pool.submit(() -> {
                    ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repo).maxMessages(10).build();
                    for (int turn = 0; turn < 10; turn++) {
                        memory.add(id, List.of(new UserMessage(id + " u" + turn), new AssistantMessage(id + " a" + turn)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        for (int c = 0; c < 4; c++) {
            String id = "conv-" + c;
            List<Message> window = repo.findByConversationId(id);
            assertThat(window).hasSize(10);
            assertThat(window).extracting(Message::getText).allMatch(t -> t.startsWith(id + " "));
            assertThat(window.get(9).getText()).isEqualTo(id + " a9");
            assertThat(all("parallel", id)).hasSize(20);
        }
    }

    @Test
    void saving_an_empty_list_empties_the_window_but_keeps_the_history() {
        AgentStoreChatMemoryRepository repo = repository("empty");
        repo.saveAll("e", List.of(new UserMessage("one"), new AssistantMessage("two")));
        repo.saveAll("e", List.of());
        assertThat(repo.findByConversationId("e")).isEmpty();
        assertThat(all("empty", "e")).hasSize(2);
        repo.saveAll("e", List.of(new UserMessage("three")));
        assertThat(repo.findByConversationId("e")).extracting(Message::getText).containsExactly("three");
    }

    @Test
    void media_and_blank_ids_are_refused_with_a_clear_message() {
        AgentStoreChatMemoryRepository repo = repository("bad");
        Message withImage = UserMessage.builder().text("look")
                .media(new Media(MimeTypeUtils.IMAGE_PNG, java.net.URI.create("https://example.invalid/x.png"))).build();
        assertThatThrownBy(() -> repo.saveAll("m", List.of(withImage)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("media");
        assertThatThrownBy(() -> repo.saveAll(" ", List.of(new UserMessage("x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("conversationId");
    }
}
