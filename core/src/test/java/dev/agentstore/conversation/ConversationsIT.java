package dev.agentstore.conversation;

import dev.agentstore.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.agentstore.AgentStore;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.document.ChunkId;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AgentStoreTest(dimension = 3)
class ConversationsIT {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final AtomicInteger TENANTS = new AtomicInteger();

    private static TestDatabase db;
    private static MutableClock clock;
    private static AgentStore store;

    private Conversations chats;
    private String tenant;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        clock = new MutableClock(T0);
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password())
                .poolSize(17).maxMessageLength(1_000).clock(clock).build();
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @BeforeEach
    void freshTenant() {
        clock.set(T0);
        tenant = "tenant-" + TENANTS.incrementAndGet();
        chats = store.conversations(tenant);
    }

    private static long count(String sql, Object... params) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long messagesOfTenant() throws SQLException {
        return count("SELECT count(*) FROM agentstore.conversation_message WHERE tenant_id = ?", tenant);
    }

    // ------------------------------------------------------------------------------------------ sessions

    @Test
    void an_opened_session_is_stored_with_user_agent_title_and_metadata() {
        Session opened = chats.open(NewSession.of("alice", "support-bot").withTitle("Billing")
                .withMetadata(Map.of("channel", "web", "priority", 2)));

        Session read = chats.getSession(opened.id());

        assertThat(read).isEqualTo(opened);
        assertThat(read.userId()).isEqualTo("alice");
        assertThat(read.agentId()).isEqualTo("support-bot");
        assertThat(read.title()).isEqualTo("Billing");
        assertThat(read.metadata()).containsEntry("channel", "web").containsEntry("priority", 2);
        assertThat(read.messageCount()).isZero();
        assertThat(read.createdAt()).isEqualTo(T0);
        assertThat(read.lastActivityAt()).isEqualTo(T0);
    }

    @Test
    void a_session_without_user_agent_or_title_can_be_opened() {
        Session s = chats.open(NewSession.create());

        assertThat(chats.findSession(s.id())).contains(s);
        assertThat(s.userId()).isNull();
        assertThat(s.metadata()).isEmpty();
    }

    @Test
    void an_unknown_session_is_not_found_with_a_message_naming_it() {
        SessionId unknown = SessionId.of(UUID.randomUUID());

        assertThat(chats.findSession(unknown)).isEmpty();
        assertThatThrownBy(() -> chats.getSession(unknown))
                .isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("no conversation session " + unknown + " for tenant '" + tenant + "'");
    }

    @Test
    void a_users_sessions_are_listed_by_last_activity_in_keyset_pages() {
        List<SessionId> opened = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            clock.advance(Duration.ofMinutes(1));
            opened.add(chats.open("bob", "bot-" + (i % 2)).id());
        }
        chats.open("carol", "bot-0");
        // the oldest session becomes the most recent one
        clock.advance(Duration.ofMinutes(1));
        chats.addMessage(opened.get(0), NewMessage.user("hello again"));

        SessionPage first = chats.listSessionsOfUser("bob", 3);
        SessionPage second = chats.listSessionsOfUser("bob", first.next(), 3);
        SessionPage third = chats.listSessionsOfUser("bob", second.next(), 3);

        List<SessionId> seen = new ArrayList<>();
        for (SessionPage p : List.of(first, second, third)) {
            p.sessions().forEach(s -> seen.add(s.id()));
        }
        assertThat(seen).containsExactly(opened.get(0), opened.get(6), opened.get(5), opened.get(4), opened.get(3),
                opened.get(2), opened.get(1));
        assertThat(first.hasNext()).isTrue();
        assertThat(second.hasNext()).isTrue();
        assertThat(third.sessions()).hasSize(1);
        assertThat(third.hasNext()).isFalse();
        assertThat(first.sessions().get(0).messageCount()).isEqualTo(1);
    }

    @Test
    void sessions_with_the_same_last_activity_are_paged_by_id_without_loss_or_repeats() {
        Set<SessionId> opened = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            opened.add(chats.open("dave", "same-time-bot").id());
        }

        List<SessionId> seen = new ArrayList<>();
        SessionPage page = chats.listSessionsOfAgent("same-time-bot", 2);
        page.sessions().forEach(s -> seen.add(s.id()));
        while (page.hasNext()) {
            page = chats.listSessionsOfAgent("same-time-bot", page.next(), 2);
            page.sessions().forEach(s -> seen.add(s.id()));
        }

        assertThat(seen).hasSize(5).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(opened);
    }

    @Test
    void an_agents_sessions_are_listed_most_recent_first() {
        Session a = chats.open("u1", "planner");
        clock.advance(Duration.ofSeconds(5));
        Session b = chats.open("u2", "planner");
        chats.open("u3", "other-agent");

        SessionPage page = chats.listSessionsOfAgent("planner", 10);

        assertThat(page.sessions()).extracting(Session::id).containsExactly(b.id(), a.id());
        assertThat(page.hasNext()).isFalse();
    }

    @Test
    void deleting_a_session_deletes_its_messages() throws SQLException {
        Session s = chats.open("erin", "bot");
        Message m = chats.addMessage(s.id(), NewMessage.user("hi"));

        chats.deleteSession(s.id());

        assertThat(chats.findSession(s.id())).isEmpty();
        assertThat(chats.findMessage(m.id())).isEmpty();
        assertThat(messagesOfTenant()).isZero();
        assertThatThrownBy(() -> chats.deleteSession(s.id()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no conversation session " + s.id());
    }

    // ------------------------------------------------------------------------------------------ messages

    @Test
    void an_appended_message_keeps_every_detail() {
        Session s = chats.open("frank", "bot");
        ChunkId chunk = ChunkId.of(UUID.randomUUID());
        clock.advance(Duration.ofSeconds(30));

        chats.addMessage(s.id(), NewMessage.user("How do I reset my password?"));
        Message answer = chats.addMessage(s.id(), NewMessage.assistant("Use the link on the login page.")
                .withSources(List.of(new Source("https://docs.example.com/reset", "Resetting", chunk, 0.87),
                        Source.of("https://docs.example.com/login")))
                .withResponseTime(Duration.ofMillis(1234)).withTokens(812, 96).withModel("gpt-4o")
                .withMetadata(Map.of("temperature", 0.2)));

        Message read = chats.getMessage(answer.id());
        assertThat(read).isEqualTo(answer);
        assertThat(read.seq()).isEqualTo(2);
        assertThat(read.role()).isEqualTo(Role.ASSISTANT);
        assertThat(read.content()).isEqualTo("Use the link on the login page.");
        assertThat(read.sources()).containsExactly(new Source("https://docs.example.com/reset", "Resetting", chunk, 0.87),
                Source.of("https://docs.example.com/login"));
        assertThat(read.responseTime()).isEqualTo(Duration.ofMillis(1234));
        assertThat(read.inputTokens()).isEqualTo(812);
        assertThat(read.outputTokens()).isEqualTo(96);
        assertThat(read.model()).isEqualTo("gpt-4o");
        assertThat(read.metadata()).containsEntry("temperature", 0.2);
        assertThat(read.feedback()).isNull();
        assertThat(read.createdAt()).isEqualTo(T0.plusSeconds(30));
        Session after = chats.getSession(s.id());
        assertThat(after.messageCount()).isEqualTo(2);
        assertThat(after.lastActivityAt()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void a_response_time_is_stored_in_whole_milliseconds() {
        Session s = chats.open("gina", "bot");

        Message m = chats.addMessage(s.id(), NewMessage.assistant("ok").withResponseTime(Duration.ofNanos(1_999_999)));

        assertThat(m.responseTime()).isEqualTo(Duration.ofMillis(1));
        assertThat(chats.getMessage(m.id()).responseTime()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void a_turn_appended_at_once_gets_consecutive_sequence_numbers_in_order() {
        Session s = chats.open("hank", "bot");
        chats.addMessage(s.id(), NewMessage.system("You are helpful."));

        List<Message> turn = chats.addMessages(s.id(), List.of(NewMessage.user("q"), NewMessage.tool("lookup: 42"),
                NewMessage.assistant("a")));

        assertThat(turn).extracting(Message::seq).containsExactly(2L, 3L, 4L);
        assertThat(turn).extracting(Message::role).containsExactly(Role.USER, Role.TOOL, Role.ASSISTANT);
        assertThat(chats.listLastMessages(s.id(), 10)).isEqualTo(
                List.of(chats.listLastMessages(s.id(), 10).get(0), turn.get(0), turn.get(1), turn.get(2)));
    }

    @Test
    void the_last_n_messages_come_in_chronological_order_and_long_sessions_page_backwards() {
        Session s = chats.open("ivy", "bot");
        for (int i = 1; i <= 45; i++) {
            chats.addMessage(s.id(), i % 2 == 1 ? NewMessage.user("q" + i) : NewMessage.assistant("a" + i));
        }

        List<Message> window = chats.listLastMessages(s.id(), 20);
        List<Message> before = chats.listMessagesBefore(s.id(), window.get(0).seq(), 20);
        List<Message> start = chats.listMessagesBefore(s.id(), before.get(0).seq(), 20);

        assertThat(window).extracting(Message::seq).containsExactlyElementsOf(LongStream.rangeClosed(26, 45).boxed().toList());
        assertThat(window.get(19).content()).isEqualTo("q45");
        assertThat(before).extracting(Message::seq).containsExactlyElementsOf(LongStream.rangeClosed(6, 25).boxed().toList());
        assertThat(start).extracting(Message::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(chats.listMessagesBefore(s.id(), 1, 20)).isEmpty();
        assertThat(chats.listLastMessages(s.id(), 100)).hasSize(45);
    }

    @Test
    void the_history_of_an_empty_session_is_empty_and_of_an_unknown_one_not_found() {
        Session s = chats.open("jack", "bot");
        SessionId unknown = SessionId.of(UUID.randomUUID());

        assertThat(chats.listLastMessages(s.id(), 20)).isEmpty();
        assertThatThrownBy(() -> chats.listLastMessages(unknown, 20))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no conversation session " + unknown);
    }

    @Test
    void sixteen_threads_appending_fifty_messages_each_get_sequence_numbers_one_to_eight_hundred() throws Exception {
        Session s = chats.open("load", "bot");
        int threads = 16;
        int each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Long>>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<List<Long>> work = () -> {
                    go.await();
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        seqs.add(chats.addMessage(s.id(), NewMessage.user("thread " + thread + " message " + i)).seq());
                    }
                    return seqs;
                };
                futures.add(pool.submit(work));
            }
            go.countDown();
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : futures) {
                List<Long> seqs = f.get(120, TimeUnit.SECONDS);
                assertThat(seqs).as("one thread's appends are ordered").isSorted();
                all.addAll(seqs);
            }

            assertThat(all).hasSize(800).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 800).boxed().toList());
            assertThat(count("SELECT count(DISTINCT seq) FROM agentstore.conversation_message WHERE tenant_id = ? AND seq BETWEEN 1 AND 800",
                    tenant)).isEqualTo(800);
            assertThat(chats.getSession(s.id()).messageCount()).isEqualTo(800);
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------ feedback

    @Test
    void feedback_on_an_answer_can_be_given_changed_and_cleared() {
        Session s = chats.open("kim", "bot");
        chats.addMessage(s.id(), NewMessage.user("q"));
        Message answer = chats.addMessage(s.id(), NewMessage.assistant("a"));
        clock.advance(Duration.ofMinutes(3));

        Message up = chats.addFeedback(answer.id(), Rating.UP, "spot on");
        Message down = chats.addFeedback(answer.id(), Rating.DOWN, null);

        assertThat(up.feedback()).isEqualTo(new Feedback(Rating.UP, "spot on", T0.plus(Duration.ofMinutes(3))));
        assertThat(down.feedback()).isEqualTo(new Feedback(Rating.DOWN, null, T0.plus(Duration.ofMinutes(3))));
        assertThat(chats.getMessage(answer.id()).feedback().rating()).isEqualTo(Rating.DOWN);
        assertThat(chats.deleteFeedback(answer.id()).feedback()).isNull();
        assertThat(chats.getMessage(answer.id()).feedback()).isNull();
        assertThat(chats.getSession(s.id()).lastActivityAt()).as("feedback is not activity").isEqualTo(T0);
    }

    @Test
    void feedback_on_a_user_message_is_refused_and_nothing_is_written() throws SQLException {
        Session s = chats.open("lea", "bot");
        Message question = chats.addMessage(s.id(), NewMessage.user("q"));

        assertThatThrownBy(() -> chats.addFeedback(question.id(), Rating.UP, "nice"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("feedback is only for assistant messages, but message " + question.id()
                        + " has role USER; rate the assistant's answer instead");
        assertThatThrownBy(() -> chats.deleteFeedback(question.id()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("has role USER");
        assertThat(count("SELECT count(*) FROM agentstore.conversation_message WHERE tenant_id = ? AND feedback_comment IS NOT NULL",
                tenant)).isZero();
    }

    @Test
    void feedback_on_an_unknown_message_is_not_found() {
        MessageId unknown = MessageId.of(UUID.randomUUID());

        assertThatThrownBy(() -> chats.addFeedback(unknown, Rating.UP, null))
                .isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("no conversation message " + unknown + " for tenant '" + tenant + "'");
        assertThatThrownBy(() -> chats.getMessage(unknown)).isInstanceOf(NotFoundException.class);
    }

    // ------------------------------------------------------------------------------------------ retention

    @Test
    void retention_deletes_exactly_the_sessions_without_activity_since_the_cut_off_in_batches() throws SQLException {
        List<SessionId> stale = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Session s = chats.open("old-" + i, "bot");
            chats.addMessage(s.id(), NewMessage.user("old"));
            stale.add(s.id());
        }
        Session revived = chats.open("revived", "bot");
        clock.set(T0.plus(Duration.ofDays(40)));
        chats.addMessage(revived.id(), NewMessage.user("still here"));
        Session fresh = chats.open("fresh", "bot");
        Conversations other = store.conversations(tenant + "-other");
        clock.set(T0);
        Session otherTenants = other.open("old", "bot");
        Instant cutoff = T0.plus(Duration.ofDays(30));

        RetentionResult result = chats.deleteSessionsInactiveSince(cutoff, 3);

        assertThat(result.sessionsDeleted()).isEqualTo(7);
        assertThat(result.batches()).isEqualTo(3);
        for (SessionId id : stale) {
            assertThat(chats.findSession(id)).isEmpty();
        }
        assertThat(chats.findSession(revived.id())).isPresent();
        assertThat(chats.findSession(fresh.id())).isPresent();
        assertThat(other.findSession(otherTenants.id())).as("another tenant's session is untouched").isPresent();
        assertThat(messagesOfTenant()).isEqualTo(1);
        assertThat(chats.deleteSessionsInactiveSince(cutoff)).isEqualTo(new RetentionResult(0, 0));
    }

    @Test
    void retention_by_age_uses_the_stores_clock() {
        Session old = chats.open("p", "bot");
        clock.advance(Duration.ofDays(10));
        Session recent = chats.open("q", "bot");
        clock.advance(Duration.ofDays(1));

        RetentionResult result = chats.deleteSessionsInactiveFor(Duration.ofDays(7));

        assertThat(result.sessionsDeleted()).isEqualTo(1);
        assertThat(chats.findSession(old.id())).isEmpty();
        assertThat(chats.findSession(recent.id())).isPresent();
    }

    // ------------------------------------------------------------------------------------------ statistics

    @Test
    void statistics_per_agent_and_day_are_computed_in_sql() {
        Session a = chats.open("u", "agent-a");
        Session b = chats.open("u", "agent-b");
        Session none = chats.open("u", null);
        Instant day1 = Instant.parse("2026-03-02T08:00:00Z");
        Instant day2 = Instant.parse("2026-03-03T23:30:00Z");
        clock.set(day1);
        for (int i = 1; i <= 10; i++) {
            chats.addMessage(a.id(), NewMessage.user("q" + i).withTokens(10, 0));
            Message answer = chats.addMessage(a.id(), NewMessage.assistant("a" + i)
                    .withResponseTime(Duration.ofMillis(100L * i)).withTokens(100, 20));
            if (i <= 3) {
                chats.addFeedback(answer.id(), Rating.UP, null);
            } else if (i == 4) {
                chats.addFeedback(answer.id(), Rating.DOWN, "wrong");
            }
        }
        clock.set(day2);
        chats.addMessage(a.id(), NewMessage.assistant("late").withResponseTime(Duration.ofMillis(2000)));
        chats.addMessage(b.id(), NewMessage.user("only a question"));
        chats.addMessage(none.id(), NewMessage.user("no agent"));
        clock.set(Instant.parse("2026-03-05T00:00:00Z"));
        chats.addMessage(a.id(), NewMessage.user("outside the period"));
        store.conversations(tenant + "-other").open("u", "agent-a");

        List<AgentStats> perAgent = chats.statsPerAgent(day1.minus(Duration.ofDays(1)), Instant.parse("2026-03-04T00:00:00Z"));
        List<AgentStats> perDay = chats.statsPerAgentAndDay(day1.minus(Duration.ofDays(1)),
                Instant.parse("2026-03-04T00:00:00Z"), ZoneOffset.UTC);
        List<AgentStats> perBerlinDay = chats.statsPerAgentAndDay(day1.minus(Duration.ofDays(1)),
                Instant.parse("2026-03-04T00:00:00Z"), ZoneId.of("Europe/Berlin"));

        assertThat(perAgent).extracting(AgentStats::agentId).containsExactly("agent-a", "agent-b", null);
        AgentStats agentA = perAgent.get(0);
        assertThat(agentA.day()).isNull();
        assertThat(agentA.messages()).isEqualTo(21);
        assertThat(agentA.feedbackUp()).isEqualTo(3);
        assertThat(agentA.feedbackDown()).isEqualTo(1);
        // response times 100..1000 and 2000 ms: mean 7500/11, p95 interpolated at position 9.5 between 1000 and 2000
        assertThat(agentA.meanResponseTime().toNanos() / 1e6).isCloseTo(7500.0 / 11, within(0.001));
        assertThat(agentA.p95ResponseTime()).isEqualTo(Duration.ofMillis(1500));
        assertThat(agentA.inputTokens()).isEqualTo(1100);
        assertThat(agentA.outputTokens()).isEqualTo(200);
        assertThat(perAgent.get(1)).isEqualTo(new AgentStats("agent-b", null, 1, 0, 0, null, null, 0, 0));

        assertThat(perDay).extracting(AgentStats::agentId, AgentStats::day, AgentStats::messages).containsExactly(
                org.assertj.core.groups.Tuple.tuple("agent-a", LocalDate.of(2026, 3, 2), 20L),
                org.assertj.core.groups.Tuple.tuple("agent-a", LocalDate.of(2026, 3, 3), 1L),
                org.assertj.core.groups.Tuple.tuple("agent-b", LocalDate.of(2026, 3, 3), 1L),
                org.assertj.core.groups.Tuple.tuple(null, LocalDate.of(2026, 3, 3), 1L));
        assertThat(perDay.get(0).p95ResponseTime()).isEqualTo(Duration.ofMillis(955));
        assertThat(perDay.get(0).meanResponseTime()).isEqualTo(Duration.ofMillis(550));
        assertThat(perBerlinDay).extracting(AgentStats::day)
                .as("23:30 UTC is already the next day in Berlin")
                .containsExactly(LocalDate.of(2026, 3, 2), LocalDate.of(2026, 3, 4), LocalDate.of(2026, 3, 4),
                        LocalDate.of(2026, 3, 4));
    }

    @Test
    void statistics_refuse_a_reversed_period_and_fixed_offsets() {
        assertThatThrownBy(() -> chats.statsPerAgent(T0, T0.minusSeconds(1)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the period must not end before it starts, but was from 2026-03-01T10:00:00Z to 2026-03-01T09:59:59Z");
        assertThatThrownBy(() -> chats.statsPerAgentAndDay(T0, T0, ZoneOffset.ofHours(2)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("fixed offset +02:00");
    }

    // ------------------------------------------------------------------------------------------ tenants

    @Test
    void a_session_of_one_tenant_is_invisible_to_every_call_of_another() throws SQLException {
        Session s = chats.open("mia", "bot");
        Message answer = chats.addMessage(s.id(), NewMessage.assistant("a"));
        Conversations intruder = store.conversations(tenant + "-intruder");

        assertThat(intruder.findSession(s.id())).isEmpty();
        assertThatThrownBy(() -> intruder.getSession(s.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> intruder.addMessage(s.id(), NewMessage.user("let me in")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no conversation session " + s.id());
        assertThatThrownBy(() -> intruder.listLastMessages(s.id(), 20)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> intruder.listMessagesBefore(s.id(), 5, 20)).isInstanceOf(NotFoundException.class);
        assertThat(intruder.findMessage(answer.id())).isEmpty();
        assertThatThrownBy(() -> intruder.addFeedback(answer.id(), Rating.DOWN, "x")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> intruder.deleteFeedback(answer.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> intruder.deleteSession(s.id())).isInstanceOf(NotFoundException.class);
        assertThat(intruder.listSessionsOfUser("mia", 10).sessions()).isEmpty();
        assertThat(intruder.listSessionsOfAgent("bot", 10).sessions()).isEmpty();
        assertThat(intruder.statsPerAgent(Instant.EPOCH, T0.plusSeconds(1))).isEmpty();
        clock.advance(Duration.ofDays(365));
        assertThat(intruder.deleteSessionsInactiveSince(clock.instant()).sessionsDeleted()).isZero();

        assertThat(chats.getSession(s.id()).messageCount()).isEqualTo(1);
        assertThat(chats.getMessage(answer.id()).feedback()).isNull();
        assertThat(messagesOfTenant()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------ bad input

    @Test
    void appending_to_an_unknown_session_fails_and_writes_nothing() throws SQLException {
        SessionId unknown = SessionId.of(UUID.randomUUID());

        assertThatThrownBy(() -> chats.addMessage(unknown, NewMessage.user("hello")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("no conversation session " + unknown + " for tenant '" + tenant + "'");
        assertThat(messagesOfTenant()).isZero();
    }

    @Test
    void content_over_the_configured_limit_is_refused_and_nothing_is_written() throws SQLException {
        Session s = chats.open("nora", "bot");

        assertThatThrownBy(() -> chats.addMessage(s.id(), NewMessage.user("x".repeat(1_001))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("content has 1001 characters, more than the limit of 1000"
                        + " (raise it with AgentStore.Builder.maxMessageLength(...))");
        assertThatThrownBy(() -> chats.addMessages(s.id(), List.of(NewMessage.user("fine"), NewMessage.assistant("y".repeat(1_001)))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("content of message 1 has 1001 characters");
        assertThat(messagesOfTenant()).isZero();
        assertThat(chats.getSession(s.id()).messageCount()).isZero();
        assertThat(chats.addMessage(s.id(), NewMessage.user("x".repeat(1_000))).seq()).isEqualTo(1);
    }

    @Test
    void blank_content_negative_durations_and_negative_tokens_are_refused_before_anything_is_written() throws SQLException {
        Session s = chats.open("otto", "bot");

        assertThatThrownBy(() -> chats.addMessage(s.id(), NewMessage.user(" ")))
                .isInstanceOf(InvalidInputException.class).hasMessage("content must not be blank");
        assertThatThrownBy(() -> chats.addMessage(s.id(), NewMessage.assistant("a").withResponseTime(Duration.ofSeconds(-1))))
                .isInstanceOf(InvalidInputException.class).hasMessage("responseTime must not be negative, but was PT-1S");
        assertThatThrownBy(() -> chats.addMessage(s.id(), NewMessage.assistant("a").withTokens(-2, 0)))
                .isInstanceOf(InvalidInputException.class).hasMessage("inputTokens must not be negative, but was -2");
        assertThat(messagesOfTenant()).isZero();
    }

    @Test
    void out_of_range_arguments_name_the_parameter() {
        Session s = chats.open("pia", "bot");

        assertThatThrownBy(() -> chats.listLastMessages(s.id(), 0))
                .isInstanceOf(InvalidInputException.class).hasMessage("count must be between 1 and 1000, but was 0");
        assertThatThrownBy(() -> chats.listMessagesBefore(s.id(), 0, 10))
                .isInstanceOf(InvalidInputException.class).hasMessage("beforeSeq must be 1 or more, but was 0");
        assertThatThrownBy(() -> chats.listSessionsOfUser("pia", 1001))
                .isInstanceOf(InvalidInputException.class).hasMessage("limit must be between 1 and 1000, but was 1001");
        assertThatThrownBy(() -> chats.listSessionsOfUser(" ", 10))
                .isInstanceOf(InvalidInputException.class).hasMessage("userId must not be blank");
        assertThatThrownBy(() -> chats.addMessage(null, NewMessage.user("x")))
                .isInstanceOf(InvalidInputException.class).hasMessage("sessionId must not be null");
        assertThatThrownBy(() -> chats.addMessages(s.id(), List.of()))
                .isInstanceOf(InvalidInputException.class).hasMessage("number of messages must be between 1 and 1000, but was 0");
        assertThatThrownBy(() -> chats.deleteSessionsInactiveSince(T0, 0))
                .isInstanceOf(InvalidInputException.class).hasMessage("batchSize must be between 1 and 100000, but was 0");
        assertThatThrownBy(() -> chats.deleteSessionsInactiveSince(Instant.MIN))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("inactiveSince must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z");
        assertThatThrownBy(() -> chats.deleteSessionsInactiveFor(Duration.ofDays(365L * 100_000)))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("age must reach back no further than");
        assertThatThrownBy(() -> chats.statsPerAgent(null, T0))
                .isInstanceOf(InvalidInputException.class).hasMessage("from must not be null");
        assertThatThrownBy(() -> chats.addFeedback(MessageId.of(UUID.randomUUID()), Rating.UP, " "))
                .isInstanceOf(InvalidInputException.class).hasMessage("comment must be null or not blank");
    }

    @Test
    void the_database_itself_refuses_values_that_must_never_be_stored() throws SQLException {
        Session s = chats.open("quinn", "bot");
        Message q = chats.addMessage(s.id(), NewMessage.user("q"));
        Message a = chats.addMessage(s.id(), NewMessage.assistant("a"));

        assertThat(refused("UPDATE agentstore.conversation_message SET feedback = 2 WHERE id = '" + a.id() + "'"))
                .contains("conversation_message_feedback_ck");
        assertThat(refused("UPDATE agentstore.conversation_message SET feedback = 1 WHERE id = '" + q.id() + "'"))
                .contains("conversation_message_feedback_role_ck");
        assertThat(refused("UPDATE agentstore.conversation_message SET response_time_ms = -1 WHERE id = '" + a.id() + "'"))
                .contains("conversation_message_response_time_ck");
        assertThat(refused("UPDATE agentstore.conversation_message SET output_tokens = -1 WHERE id = '" + a.id() + "'"))
                .contains("conversation_message_output_tokens_ck");
        assertThat(refused("UPDATE agentstore.conversation_message SET role = 'robot' WHERE id = '" + a.id() + "'"))
                .contains("conversation_message_role_ck");
    }

    private static String refused(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
            return "accepted";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }
}
