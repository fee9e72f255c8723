package dev.agentstore.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.AgentStoreException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Assistant messages with tool calls and tool results, through both append paths and both read paths. */
@AgentStoreTest(dimension = 3)
class ConversationToolCallsIT {

    private static final AtomicInteger TENANTS = new AtomicInteger();
    /** Arguments exactly as a model may write them: spacing, key order, unicode and escapes must survive. */
    private static final String ODD_ARGUMENTS = "{ \"city\" :\"Zürich\",\n  \"units\":\"metric\" ,\"q\":\"a\\\"b\\\\c\" }";

    private static TestDatabase db;
    private static AgentStore store;

    private Conversations chats;
    private Session session;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password())
                .poolSize(2).maxMessageLength(1_000).build();
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @BeforeEach
    void freshSession() {
        chats = store.conversations("tools-" + TENANTS.incrementAndGet());
        session = chats.open("alice", "bot");
    }

    @Test
    void a_tool_turn_appended_one_message_at_a_time_reads_back_exactly() {
        List<NewMessage> turn = turn();
        List<Message> appended = new ArrayList<>();
        for (NewMessage m : turn) {
            appended.add(chats.addMessage(session.id(), m));
        }

        assertRoundTrip(turn, appended);
        assertRoundTrip(turn, chats.listLastMessages(session.id(), 10));
        Message call = appended.get(1);
        assertThat(chats.getMessage(call.id())).isEqualTo(call);
    }

    @Test
    void a_tool_turn_appended_in_one_call_reads_back_exactly() {
        List<NewMessage> turn = turn();
        List<Message> appended = chats.addMessages(session.id(), turn);

        assertRoundTrip(turn, appended);
        assertRoundTrip(turn, chats.listLastMessages(session.id(), 10));
        assertRoundTrip(turn.subList(0, 2), chats.listMessagesBefore(session.id(), appended.get(2).seq(), 10));
        for (Message m : appended) {
            assertThat(chats.getMessage(m.id())).isEqualTo(m);
        }
    }

    @Test
    void history_append_and_import_keep_tool_parts_too() {
        List<NewMessage> turn = turn();
        java.time.Instant t0 = java.time.Instant.parse("2026-01-01T10:00:00Z");
        List<HistoricMessage> historic = new ArrayList<>();
        for (int i = 0; i < turn.size(); i++) {
            historic.add(HistoricMessage.of(turn.get(i), t0.plusSeconds(i)));
        }

        List<Message> appended = chats.history().append(session.id(), historic);
        assertRoundTrip(turn, appended);
        assertRoundTrip(turn, chats.listLastMessages(session.id(), 10));

        chats.history().importSessions(List.of(ImportedSession.of("imported-1", NewSession.of("bob", "bot"), historic)));
        Session imported = chats.history().findByHostKey("imported-1").orElseThrow();
        assertRoundTrip(turn, chats.listLastMessages(imported.id(), 10));
    }

    @Test
    void empty_texts_are_kept_for_tool_calls_and_tool_results_and_nulls_stay_null() {
        NewMessage call = NewMessage.assistant("", List.of(ToolCall.of(null, "now", null)));
        NewMessage result = NewMessage.toolResult(null, "now", "");
        NewMessage unnamed = NewMessage.toolResult("call-7", null, " ");

        List<Message> stored = chats.addMessages(session.id(), List.of(call, result, unnamed));

        List<Message> read = chats.listLastMessages(session.id(), 3);
        assertThat(read).isEqualTo(stored);
        assertThat(read.get(0).content()).isEmpty();
        assertThat(read.get(0).toolCalls()).containsExactly(new ToolCall(null, "now", null));
        assertThat(read.get(1).content()).isEmpty();
        assertThat(read.get(1).toolCallId()).isNull();
        assertThat(read.get(1).toolName()).isEqualTo("now");
        assertThat(read.get(2).content()).isEqualTo(" ");
        assertThat(read.get(2).toolCallId()).isEqualTo("call-7");
        assertThat(read.get(2).toolName()).isNull();
        assertThat(read.get(2).isToolResult()).isTrue();
    }

    @Test
    void messages_without_tool_parts_have_none() {
        Message plain = chats.addMessage(session.id(), NewMessage.assistant("Hello"));
        Message tool = chats.addMessage(session.id(), NewMessage.tool("plain tool output"));

        for (Message m : List.of(plain, tool, chats.getMessage(plain.id()), chats.listLastMessages(session.id(), 1).get(0))) {
            assertThat(m.toolCalls()).isEmpty();
            assertThat(m.toolCallId()).isNull();
            assertThat(m.toolName()).isNull();
            assertThat(m.isToolResult()).isFalse();
        }
    }

    @Test
    void bad_tool_parts_are_refused_before_anything_is_written() throws SQLException {
        assertThatThrownBy(() -> NewMessage.assistant("", List.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("toolCalls must hold 1 to 1000 calls");
        assertThatThrownBy(() -> NewMessage.assistant(null, List.of(ToolCall.of("1", "f", "{}"))))
                .isInstanceOf(InvalidInputException.class).hasMessage("content must not be null");
        assertThatThrownBy(() -> NewMessage.assistant(" "))
                .isInstanceOf(InvalidInputException.class).hasMessage("content must not be blank");
        assertThatThrownBy(() -> ToolCall.of("1", " ", "{}"))
                .isInstanceOf(InvalidInputException.class).hasMessage("tool call name must not be blank");
        assertThatThrownBy(() -> ToolCall.of("", "f", "{}"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("tool call id must be null or have 1 to 1000");
        assertThatThrownBy(() -> NewMessage.toolResult(null, null, "x"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("a tool result needs toolCallId or toolName");
        assertThatThrownBy(() -> NewMessage.toolResult("1", " ", "x"))
                .isInstanceOf(InvalidInputException.class).hasMessage("toolName must be null or not blank");
        NewMessage user = NewMessage.user("hi");
        assertThatThrownBy(() -> new NewMessage(Role.USER, "hi", null, null, null, null, null, null,
                List.of(ToolCall.of("1", "f", "{}")), null, null))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("only assistant messages carry tool calls");
        assertThatThrownBy(() -> new NewMessage(Role.ASSISTANT, "hi", null, null, null, null, null, null, null, "1", "f"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("only tool messages carry toolCallId");

        String tooLong = "x".repeat(1_001);
        NewMessage longArguments = NewMessage.assistant("", List.of(ToolCall.of("1", "f", "{}"), ToolCall.of("2", "f", tooLong)));
        assertThatThrownBy(() -> chats.addMessages(session.id(), List.of(user, longArguments)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("arguments of tool call 1 of message 1 have 1001 characters, more than the limit of 1000");
        assertThat(count("SELECT count(*) FROM agentstore.conversation_message WHERE session_id = ?", session.id().value()))
                .isZero();
    }

    @Test
    void the_database_refuses_tool_parts_on_the_wrong_role_and_empty_text_without_them() throws SQLException {
        chats.addMessage(session.id(), NewMessage.user("hi"));
        String insert = "INSERT INTO agentstore.conversation_message (tenant_id, session_id, seq, role, content, tool_calls,"
                + " tool_call_id, tool_name) SELECT tenant_id, id, 2, ?, ?, ?::jsonb, ?, ? FROM agentstore.conversation_session"
                + " WHERE id = ?";
        Object[][] refused = {
                {"user", "", null, null, null},
                {"tool", "", null, null, null},
                {"user", "x", "[{\"name\":\"f\"}]", null, null},
                {"assistant", "", "[]", null, null},
                {"assistant", "", "{}", null, null},
                {"assistant", "x", null, "call-1", null},
                {"tool", "", null, null, " "},
        };
        for (Object[] row : refused) {
            assertThatThrownBy(() -> insert(insert, row)).as(java.util.Arrays.toString(row)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("violates check constraint");
        }
        insert(insert, new Object[] {"assistant", "", "[{\"name\":\"f\"}]", null, null});
        assertThat(chats.listLastMessages(session.id(), 1).get(0).toolCalls()).containsExactly(ToolCall.of(null, "f", null));
    }

    @Test
    void a_tool_result_for_an_unknown_session_writes_nothing() {
        chats.deleteSession(session.id());
        assertThatThrownBy(() -> chats.addMessages(session.id(), turn()))
                .isInstanceOf(AgentStoreException.class).hasMessageContaining("no conversation session");
    }

    private static List<NewMessage> turn() {
        return List.of(
                NewMessage.user("What is the weather in Zürich and in Oslo?"),
                NewMessage.assistant("Let me check.", List.of(
                        ToolCall.of("call_a1", "weather", ODD_ARGUMENTS),
                        ToolCall.of("call_b2", "weather", "{\"city\":\"Oslo\"}"))).withModel("m-1").withTokens(10, 4),
                NewMessage.toolResult("call_a1", "weather", "{\"celsius\": 4}"),
                NewMessage.toolResult("call_b2", "weather", "  -3 °C\n").withMetadata(Map.of("ms", 12)),
                NewMessage.assistant("Zürich 4 °C, Oslo -3 °C."));
    }

    private static void assertRoundTrip(List<NewMessage> sent, List<Message> stored) {
        assertThat(stored).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            NewMessage n = sent.get(i);
            Message m = stored.get(i);
            assertThat(m.role()).isEqualTo(n.role());
            assertThat(m.content()).isEqualTo(n.content());
            assertThat(m.toolCalls()).isEqualTo(n.toolCalls());
            assertThat(m.toolCallId()).isEqualTo(n.toolCallId());
            assertThat(m.toolName()).isEqualTo(n.toolName());
            assertThat(m.metadata()).isEqualTo(n.metadata());
            assertThat(m.model()).isEqualTo(n.model());
        }
    }

    private void insert(String sql, Object[] row) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < row.length; i++) {
                ps.setObject(i + 1, row[i]);
            }
            ps.setObject(row.length + 1, session.id().value());
            ps.executeUpdate();
        }
    }

    private static long count(String sql, Object param) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
