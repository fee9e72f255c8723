package dev.agentstore.conversation;

import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;
import static dev.agentstore.schema.Tables.CONVERSATION_SESSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.ConflictException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.StoreAccess;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.MutableClock;
import dev.agentstore.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AgentStoreTest(dimension = 3)
class ConversationHistoryIT {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final AtomicInteger TENANTS = new AtomicInteger();

    private static MutableClock clock;
    private static AgentStore store;

    private String tenant;
    private Conversations chats;
    private ConversationHistory history;

    @BeforeAll
    static void start(TestDatabase db) {
        clock = new MutableClock(T0);
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password())
                .poolSize(10).maxMessageLength(1_000).clock(clock).build();
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @BeforeEach
    void freshTenant() {
        clock.set(T0);
        tenant = "history-" + TENANTS.incrementAndGet();
        chats = store.conversations(tenant);
        history = chats.history();
    }

    private DSLContext dsl() {
        return store.dsl();
    }

    private int messagesOfTenant() {
        return dsl().fetchCount(CONVERSATION_MESSAGE, CONVERSATION_MESSAGE.TENANT_ID.eq(tenant));
    }

    private int sessionsOfTenant() {
        return dsl().fetchCount(CONVERSATION_SESSION, CONVERSATION_SESSION.TENANT_ID.eq(tenant));
    }

    /** The row versions (xmin) of the tenant's sessions and messages: unchanged means nothing was rewritten. */
    private Set<String> rowVersions() {
        Set<String> versions = new HashSet<>();
        dsl().select(DSL.field("xmin::text", String.class), CONVERSATION_SESSION.ID).from(CONVERSATION_SESSION)
                .where(CONVERSATION_SESSION.TENANT_ID.eq(tenant)).forEach(r -> versions.add(r.value2() + "@" + r.value1()));
        dsl().select(DSL.field("xmin::text", String.class), CONVERSATION_MESSAGE.ID).from(CONVERSATION_MESSAGE)
                .where(CONVERSATION_MESSAGE.TENANT_ID.eq(tenant)).forEach(r -> versions.add(r.value2() + "@" + r.value1()));
        return versions;
    }

    private static HistoricMessage at(String content, Instant when) {
        return HistoricMessage.of(NewMessage.user(content), when);
    }

    private static ImportedSession session(String key, String user, int messages, Instant start) {
        List<HistoricMessage> list = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            NewMessage m = i % 2 == 0 ? NewMessage.user("question " + i) : NewMessage.assistant("answer " + i).withTokens(10, i);
            list.add(HistoricMessage.of(m, start.plusSeconds(i)));
        }
        return ImportedSession.of(key, NewSession.of(user, "bot").withTitle("t " + key), list);
    }

    // ------------------------------------------------------------------------------------------ host keys

    @Test
    void open_or_get_creates_a_session_once_and_then_returns_it() {
        Session first = history.openOrGet("agno:1", NewSession.of("alice", "bot").withTitle("Billing"));
        clock.advance(Duration.ofMinutes(5));
        Session again = history.openOrGet("agno:1", NewSession.of("alice", "bot"));

        assertThat(again).isEqualTo(first);
        assertThat(again.title()).isEqualTo("Billing");
        assertThat(history.findByHostKey("agno:1")).contains(first);
        assertThat(history.hostKeyOf(first.id())).contains("agno:1");
        assertThat(history.findByHostKey("agno:2")).isEmpty();
        assertThat(sessionsOfTenant()).isEqualTo(1);
    }

    @Test
    void a_host_key_is_unique_per_tenant_not_across_tenants() {
        Session mine = history.openOrGet("shared-key", NewSession.of("alice", "bot"));
        Session theirs = store.conversations(tenant + "-other").history().openOrGet("shared-key", NewSession.of("bob", "bot"));

        assertThat(theirs.id()).isNotEqualTo(mine.id());
        assertThat(history.findByHostKey("shared-key")).contains(mine);
    }

    @Test
    void host_keys_are_listed_in_keyset_pages() {
        for (String k : List.of("c", "a", "e", "b", "d")) {
            history.openOrGet(k, NewSession.create());
        }
        chats.open(NewSession.create());
        store.conversations(tenant + "-other").history().openOrGet("aa", NewSession.create());

        assertThat(history.listHostKeys(null, 2)).containsExactly("a", "b");
        assertThat(history.listHostKeys("b", 2)).containsExactly("c", "d");
        assertThat(history.listHostKeys("d", 2)).containsExactly("e");
        assertThat(history.listHostKeys("e", 2)).isEmpty();
    }

    @Test
    void a_host_key_of_another_user_is_refused() {
        history.openOrGet("k", NewSession.of("alice", "bot"));

        assertThatThrownBy(() -> history.openOrGet("k", NewSession.of("mallory", "bot")))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("belongs to user 'alice', not to 'mallory'");
    }

    @Test
    void concurrent_open_or_get_with_one_key_creates_exactly_one_session() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SessionId>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit((Callable<SessionId>) () -> {
                go.await();
                return history.openOrGet("race", NewSession.of("alice", "bot")).id();
            }));
        }
        go.countDown();
        Set<SessionId> ids = new HashSet<>();
        for (Future<SessionId> f : results) {
            ids.add(f.get());
        }
        pool.shutdown();

        assertThat(ids).hasSize(1);
        assertThat(sessionsOfTenant()).isEqualTo(1);
    }

    @Test
    void bad_host_keys_are_refused_naming_the_parameter() {
        assertThatThrownBy(() -> history.openOrGet(" ", NewSession.create()))
                .isInstanceOf(InvalidInputException.class).hasMessage("hostKey must not be blank");
        assertThatThrownBy(() -> history.findByHostKey("x".repeat(501)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("more than the limit of 500");
        assertThatThrownBy(() -> history.openOrGet("a\nb", NewSession.create()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("control characters");
    }

    // ------------------------------------------------------------------------------------------ append

    @Test
    void history_is_appended_with_original_timestamps_and_ids() {
        Session s = history.openOrGet("old-1", NewSession.of("alice", "bot"));
        Instant t1 = Instant.parse("2025-01-05T08:00:00.123456789Z");
        MessageId given = MessageId.of(UUID.randomUUID());

        List<Message> stored = history.append(s.id(), List.of(at("hello", t1).withId(given),
                HistoricMessage.of(NewMessage.assistant("hi"), t1.plusSeconds(3))));

        assertThat(stored).extracting(Message::seq).containsExactly(1L, 2L);
        assertThat(stored.get(0).id()).isEqualTo(given);
        List<Message> read = chats.listLastMessages(s.id(), 10);
        assertThat(read).isEqualTo(stored);
        assertThat(read.get(0).createdAt()).isEqualTo(Instant.parse("2025-01-05T08:00:00.123456Z"));
        // the session's activity never goes back: it was opened "now", after the old messages
        assertThat(chats.getSession(s.id()).lastActivityAt()).isEqualTo(T0);
        assertThat(chats.getSession(s.id()).messageCount()).isEqualTo(2);
        // live appends continue the sequence
        assertThat(chats.addMessage(s.id(), NewMessage.user("now")).seq()).isEqualTo(3);
    }

    @Test
    void timestamps_that_decrease_are_refused_and_nothing_is_written() {
        Session s = history.openOrGet("k", NewSession.create());
        Instant t = Instant.parse("2025-01-05T08:00:00Z");

        assertThatThrownBy(() -> history.append(s.id(), List.of(at("a", t), at("b", t.minusSeconds(1)))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("createdAt of message 1 of session " + s.id())
                .hasMessageContaining("give the messages oldest first");
        assertThat(messagesOfTenant()).isZero();
    }

    @Test
    void a_message_older_than_the_sessions_last_message_is_refused() {
        Session s = history.openOrGet("k", NewSession.create());
        Instant t = Instant.parse("2025-01-05T08:00:00Z");
        history.append(s.id(), List.of(at("a", t)));

        assertThatThrownBy(() -> history.append(s.id(), List.of(at("b", t.minusMillis(1)))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is before the last message of session");
        assertThat(messagesOfTenant()).isEqualTo(1);
        assertThat(chats.getSession(s.id()).messageCount()).isEqualTo(1);
    }

    @Test
    void timestamps_in_the_future_beyond_the_tolerance_are_refused() {
        Session s = history.openOrGet("k", NewSession.create());

        history.append(s.id(), List.of(at("within", T0.plus(Duration.ofMinutes(4)))));
        assertThatThrownBy(() -> history.append(s.id(), List.of(at("beyond", T0.plus(Duration.ofMinutes(6))))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more than PT5M after now (" + T0 + ")")
                .hasMessageContaining("withFutureTolerance");
        history.withFutureTolerance(Duration.ofHours(1)).append(s.id(), List.of(at("allowed", T0.plus(Duration.ofMinutes(6)))));
        assertThat(messagesOfTenant()).isEqualTo(2);
    }

    @Test
    void an_id_that_exists_already_is_a_conflict_and_nothing_is_written() {
        Session s = history.openOrGet("k", NewSession.create());
        MessageId id = MessageId.of(UUID.randomUUID());
        Instant t = Instant.parse("2025-01-05T08:00:00Z");
        history.append(s.id(), List.of(at("a", t).withId(id)));

        assertThatThrownBy(() -> history.append(s.id(), List.of(at("b", t.plusSeconds(1)), at("c", t.plusSeconds(2)).withId(id))))
                .isInstanceOf(ConflictException.class);
        assertThat(messagesOfTenant()).isEqualTo(1);
        assertThat(chats.getSession(s.id()).messageCount()).isEqualTo(1);
    }

    @Test
    void appending_to_an_unknown_session_is_not_found() {
        SessionId unknown = SessionId.of(UUID.randomUUID());
        assertThatThrownBy(() -> history.append(unknown, List.of(at("a", T0))))
                .isInstanceOf(NotFoundException.class);
    }

    // ------------------------------------------------------------------------------------------ import

    @Test
    void an_import_stores_sessions_and_messages_and_a_rerun_writes_nothing() {
        Instant start = Instant.parse("2025-02-01T00:00:00Z");
        List<ImportedSession> input = List.of(session("s1", "alice", 5, start), session("s2", "bob", 0, start),
                session("s3", "alice", 12, start.plusSeconds(100)));
        List<ImportProgress> progress = new ArrayList<>();

        ImportResult first = history.importSessions(input, 6, progress::add);

        assertThat(first.sessionsRead()).isEqualTo(3);
        assertThat(first.sessionsCreated()).isEqualTo(3);
        assertThat(first.messagesRead()).isEqualTo(17);
        assertThat(first.messagesInserted()).isEqualTo(17);
        assertThat(first.batches()).isEqualTo(2);
        assertThat(progress).extracting(ImportProgress::messagesInserted).containsExactly(5L, 17L);
        Session s3 = history.findByHostKey("s3").orElseThrow();
        assertThat(s3.userId()).isEqualTo("alice");
        assertThat(s3.title()).isEqualTo("t s3");
        assertThat(s3.messageCount()).isEqualTo(12);
        assertThat(s3.createdAt()).isEqualTo(start.plusSeconds(100));
        assertThat(s3.lastActivityAt()).isEqualTo(start.plusSeconds(111));
        List<Message> window = chats.listLastMessages(s3.id(), 3);
        assertThat(window).extracting(Message::seq).containsExactly(10L, 11L, 12L);
        assertThat(window).extracting(Message::content).containsExactly("answer 9",
                "question 10", "answer 11");
        assertThat(window.get(2).outputTokens()).isEqualTo(11);
        Session s2 = history.findByHostKey("s2").orElseThrow();
        assertThat(s2.messageCount()).isZero();
        assertThat(s2.createdAt()).isEqualTo(T0);
        Set<String> versions = rowVersions();

        ImportResult again = history.importSessions(input, 6, null);

        assertThat(again.sessionsCreated()).isZero();
        assertThat(again.messagesInserted()).isZero();
        assertThat(again.messagesRead()).isEqualTo(17);
        assertThat(rowVersions()).isEqualTo(versions);
        assertThat(messagesOfTenant()).isEqualTo(17);
    }

    @Test
    void a_staged_import_as_used_under_row_level_security_writes_the_same_rows_and_nothing_twice() {
        Instant start = Instant.parse("2025-02-01T00:00:00Z");
        List<ImportedSession> input = List.of(session("s1", "alice", 5, start), session("s2", "bob", 3, start));
        HistoryImport staged = new HistoryImport(history, StoreAccess.context(store), tenant, true);

        ImportResult first = staged.run(input, 4, null);
        ImportResult again = new HistoryImport(history, StoreAccess.context(store), tenant, true).run(input, 4, null);
        ImportResult grown = new HistoryImport(history, StoreAccess.context(store), tenant, true)
                .run(List.of(session("s1", "alice", 7, start)), 4, null);

        assertThat(first.messagesInserted()).isEqualTo(8);
        assertThat(again.messagesInserted()).isZero();
        assertThat(grown.messagesInserted()).isEqualTo(2);
        Session s1 = history.findByHostKey("s1").orElseThrow();
        assertThat(chats.listLastMessages(s1.id(), 10)).extracting(Message::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(messagesOfTenant()).isEqualTo(10);
    }

    @Test
    void a_grown_history_imports_only_its_new_tail() {
        Instant start = Instant.parse("2025-02-01T00:00:00Z");
        history.importSessions(List.of(session("s1", "alice", 4, start)));

        ImportResult grown = history.importSessions(List.of(session("s1", "alice", 7, start)));

        assertThat(grown.messagesInserted()).isEqualTo(3);
        Session s1 = history.findByHostKey("s1").orElseThrow();
        assertThat(s1.messageCount()).isEqualTo(7);
        assertThat(s1.lastActivityAt()).isEqualTo(start.plusSeconds(6));
        assertThat(chats.listLastMessages(s1.id(), 10)).extracting(Message::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void messages_keep_the_ids_they_are_given() {
        UUID id = UUID.randomUUID();
        ImportedSession s = ImportedSession.of("s", NewSession.create(),
                List.of(HistoricMessage.of(NewMessage.user("x"), T0.minusSeconds(10)).withId(MessageId.of(id))));

        history.importSessions(List.of(s));
        history.importSessions(List.of(s));

        assertThat(chats.getMessage(MessageId.of(id)).content()).isEqualTo("x");
        assertThat(messagesOfTenant()).isEqualTo(1);
    }

    @Test
    void importing_into_a_session_that_got_live_messages_is_a_conflict() {
        Session live = history.openOrGet("s1", NewSession.of("alice", "bot"));
        chats.addMessage(live.id(), NewMessage.user("typed live"));

        assertThatThrownBy(() -> history.importSessions(List.of(session("s1", "alice", 3, T0.minusSeconds(60)))))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("host key 's1' holds a message at position 1 that is not the imported one");
        assertThat(messagesOfTenant()).isEqualTo(1);
    }

    @Test
    void an_import_opened_with_open_or_get_but_empty_is_filled() {
        history.openOrGet("s1", NewSession.of("alice", "bot"));

        ImportResult r = history.importSessions(List.of(session("s1", "alice", 3, T0.minusSeconds(60))));

        assertThat(r.sessionsCreated()).isZero();
        assertThat(r.messagesInserted()).isEqualTo(3);
        Session s = history.findByHostKey("s1").orElseThrow();
        assertThat(s.messageCount()).isEqualTo(3);
        assertThat(chats.addMessage(s.id(), NewMessage.user("next")).seq()).isEqualTo(4);
    }

    @Test
    void a_bad_session_anywhere_in_a_list_stops_the_import_before_anything_is_written() {
        List<HistoricMessage> reversed = List.of(at("b", T0.minusSeconds(1)), at("a", T0.minusSeconds(2)));
        List<ImportedSession> input = List.of(session("ok", "alice", 3, T0.minusSeconds(100)),
                ImportedSession.of("bad", NewSession.create(), reversed));

        assertThatThrownBy(() -> history.importSessions(input, 1, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("message 1 of imported session 'bad'");
        assertThat(sessionsOfTenant()).isZero();
    }

    @Test
    void a_host_key_given_twice_is_refused() {
        assertThatThrownBy(() -> history.importSessions(List.of(session("a", null, 1, T0), session("a", null, 2, T0))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("host key 'a' appears twice");
    }

    @Test
    void a_streamed_import_checks_and_commits_batch_by_batch() {
        Instant start = Instant.parse("2025-02-01T00:00:00Z");
        List<ImportedSession> sessions = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sessions.add(session("s" + i, "u" + (i % 3), 20, start.plusSeconds(i)));
        }
        Iterable<ImportedSession> streamed = sessions::iterator;

        ImportResult r = history.importSessions(streamed, 100, null);

        assertThat(r.batches()).isEqualTo(10);
        assertThat(r.messagesInserted()).isEqualTo(1_000);
        assertThat(messagesOfTenant()).isEqualTo(1_000);
        assertThat(history.importSessions(streamed, 100, null).messagesInserted()).isZero();
    }

    @Test
    void imported_messages_are_validated_like_appended_ones() {
        ImportedSession tooLong = ImportedSession.of("k", NewSession.create(), List.of(at("x".repeat(1_001), T0)));
        assertThatThrownBy(() -> history.importSessions(List.of(tooLong)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("content of message 0 of imported session 'k' has 1001 characters");

        ImportedSession future = ImportedSession.of("k", NewSession.create(), List.of(at("x", T0.plus(Duration.ofHours(1)))));
        assertThatThrownBy(() -> history.importSessions(List.of(future)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("after now");
        assertThat(sessionsOfTenant()).isZero();
    }

    // ------------------------------------------------------------------------------------------ retention

    @Test
    void message_retention_deletes_old_messages_and_keeps_sequence_and_windows_right() {
        Session s = history.openOrGet("s", NewSession.of("alice", "bot"));
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        List<HistoricMessage> old = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            old.add(at("m" + i, t.plus(Duration.ofDays(i))));
        }
        history.append(s.id(), old);
        Session other = chats.open("bob", "bot");
        chats.addMessage(other.id(), NewMessage.user("current"));
        String otherTenant = tenant + "-other";
        ConversationHistory theirs = store.conversations(otherTenant).history();
        Session theirSession = theirs.openOrGet("s", NewSession.create());
        theirs.append(theirSession.id(), List.of(at("theirs", t)));

        MessageRetentionResult r = history.deleteMessagesBefore(t.plus(Duration.ofDays(20)), 7);

        assertThat(r.messagesDeleted()).isEqualTo(20);
        assertThat(r.batches()).isEqualTo(3);
        assertThat(chats.listLastMessages(s.id(), 5)).extracting(Message::seq).containsExactly(26L, 27L, 28L, 29L, 30L);
        assertThat(chats.listMessagesBefore(s.id(), 24, 100)).extracting(Message::seq).containsExactly(21L, 22L, 23L);
        assertThat(chats.listMessagesBefore(s.id(), 21, 100)).isEmpty();
        // the count is of the messages left: 30 appended, 20 deleted; sequence numbers go on after 30
        assertThat(chats.getSession(s.id()).messageCount()).isEqualTo(10);
        assertThat(chats.addMessage(s.id(), NewMessage.user("later")).seq()).isEqualTo(31);
        assertThat(chats.getSession(s.id()).messageCount()).isEqualTo(11);
        assertThat(chats.getSession(other.id()).messageCount()).isEqualTo(1);
        assertThat(theirs.findByHostKey("s").orElseThrow().messageCount()).isEqualTo(1);
        assertThat(chats.listLastMessages(other.id(), 5)).hasSize(1);
        assertThat(store.conversations(otherTenant).listLastMessages(theirSession.id(), 5)).hasSize(1);
        assertThat(history.deleteMessagesBefore(t.plus(Duration.ofDays(20))).messagesDeleted()).isZero();
        // every remaining old message goes: the session is empty, but keeps its sequence
        assertThat(history.deleteMessagesBefore(t.plus(Duration.ofDays(30)), 4).messagesDeleted()).isEqualTo(10);
        assertThat(chats.getSession(s.id()).messageCount()).isEqualTo(1);
    }

    @Test
    void retention_arguments_are_checked() {
        assertThatThrownBy(() -> history.deleteMessagesBefore(null))
                .isInstanceOf(InvalidInputException.class).hasMessage("cutoff must not be null");
        assertThatThrownBy(() -> history.deleteMessagesBefore(T0, 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("batchSize must be between 1 and");
    }
}
