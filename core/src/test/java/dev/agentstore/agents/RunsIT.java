package dev.agentstore.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.agentstore.AgentStore;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.Message;
import dev.agentstore.conversation.MessageId;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.Rating;
import dev.agentstore.conversation.Session;
import dev.agentstore.conversation.SessionId;
import dev.agentstore.document.ChunkId;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.MutableClock;
import dev.agentstore.testkit.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AgentStoreTest(dimension = 3)
class RunsIT {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final AtomicInteger TENANTS = new AtomicInteger();
    private static final AgentId BOT = AgentId.of("support-bot");
    private static final AgentVersionId V1 = new AgentVersionId(BOT, 1);
    private static final AgentVersionId V2 = new AgentVersionId(BOT, 2);
    private static final ChunkId A = ChunkId.of(UUID.fromString("00000000-0000-0000-0000-00000000000a"));
    private static final ChunkId B = ChunkId.of(UUID.fromString("00000000-0000-0000-0000-00000000000b"));
    private static final ChunkId C = ChunkId.of(UUID.fromString("00000000-0000-0000-0000-00000000000c"));

    private static TestDatabase db;
    private static MutableClock clock;
    private static AgentStore store;

    private String tenant;
    private Agents agents;
    private Runs runs;
    private RunStatistics stats;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        clock = new MutableClock(T0);
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(4).clock(clock)
                .build();
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @BeforeEach
    void freshTenant() {
        clock.set(T0);
        tenant = "tenant-" + TENANTS.incrementAndGet();
        agents = store.agents(tenant);
        runs = agents.runs();
        stats = agents.stats();
        agents.register(NewAgent.of("support-bot"));
        agents.publish(BOT, AgentDefinition.of("openai", "gpt-4o"));
        agents.publish(BOT, AgentDefinition.of("openai", "gpt-4o-mini"));
    }

    private long count(String table) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM agentstore." + table + " WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static NewRun full(AgentVersionId version, Instant started) {
        return NewRun.succeeded(version, started, Duration.ofMillis(1200))
                .withInput("Why was I charged twice?").withOutput("The renewal ran twice; the second charge is refunded.")
                .withTokens(812, 96).withCost(new BigDecimal("0.0031"))
                .withRetrievedChunks(List.of(RetrievedChunk.of(A, 0.91), RetrievedChunk.of(B, 0.83), new RetrievedChunk(C, null)))
                .withToolCalls(List.of(
                        ToolCall.succeeded("lookup_order", Map.of("number", "A-1001"), 420, Duration.ofMillis(85)),
                        ToolCall.failed("refund", Map.of("order", "A-1001", "amount", 19.99), Duration.ofMillis(3000),
                                ToolOutcome.TIMEOUT, "payment provider did not answer")))
                .withRouting(RoutingDecision.of("support-desk", 0.87, "billing keywords"))
                .withMetadata(Map.of("channel", "web"));
    }

    // ------------------------------------------------------------------------------------------ recording

    @Test
    void a_recorded_run_reads_back_with_its_chunks_tool_calls_and_routing() throws SQLException {
        RunId id = runs.record(full(V1, T0));

        Run run = runs.get(id);

        assertThat(run.agentVersion()).isEqualTo(V1);
        assertThat(run.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(run.input()).isEqualTo("Why was I charged twice?");
        assertThat(run.output()).startsWith("The renewal ran twice");
        assertThat(run.startedAt()).isEqualTo(T0);
        assertThat(run.duration()).isEqualTo(Duration.ofMillis(1200));
        assertThat(run.inputTokens()).isEqualTo(812);
        assertThat(run.outputTokens()).isEqualTo(96);
        assertThat(run.cost()).isEqualByComparingTo("0.0031");
        assertThat(run.retrievedChunks()).containsExactly(RetrievedChunk.of(A, 0.91), RetrievedChunk.of(B, 0.83),
                new RetrievedChunk(C, null));
        assertThat(run.toolCalls()).hasSize(2);
        assertThat(run.toolCalls().get(0)).isEqualTo(ToolCall.succeeded("lookup_order", Map.of("number", "A-1001"), 420,
                Duration.ofMillis(85)));
        assertThat(run.toolCalls().get(1).outcome()).isEqualTo(ToolOutcome.TIMEOUT);
        assertThat(run.toolCalls().get(1).arguments()).containsEntry("amount", 19.99);
        assertThat(run.toolCalls().get(1).errorMessage()).isEqualTo("payment provider did not answer");
        assertThat(run.routing()).isEqualTo(RoutingDecision.of("support-desk", 0.87, "billing keywords"));
        assertThat(run.metadata()).containsEntry("channel", "web");
        assertThat(run.feedback()).isNull();
        assertThat(run.qualityScore()).isNull();
        assertThat(run.toString()).doesNotContain("charged");
        assertThat(count("agent_run_chunk")).isEqualTo(3);
        assertThat(count("agent_run_tool_call")).isEqualTo(2);
    }

    @Test
    void a_failed_run_keeps_its_error_and_a_minimal_run_needs_only_version_start_and_duration() {
        RunId failed = runs.record(NewRun.failed(V2, T0, Duration.ofSeconds(30), "model timed out"));
        RunId minimal = runs.record(NewRun.succeeded(V1, T0, Duration.ZERO));

        assertThat(runs.get(failed).outcome()).isEqualTo(RunOutcome.ERROR);
        assertThat(runs.get(failed).errorMessage()).isEqualTo("model timed out");
        assertThat(runs.get(minimal).retrievedChunks()).isEmpty();
        assertThat(runs.get(minimal).toolCalls()).isEmpty();
        assertThat(runs.get(minimal).cost()).isNull();
        assertThat(runs.get(minimal).routing()).isNull();
    }

    @Test
    void a_run_of_an_unknown_version_session_or_message_is_refused_and_nothing_is_written() throws SQLException {
        SessionId noSession = SessionId.of(UUID.randomUUID());
        MessageId noMessage = MessageId.of(UUID.randomUUID());

        assertThatThrownBy(() -> runs.record(full(new AgentVersionId(BOT, 3), T0))).isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("no version 3 of agent 'support-bot' for tenant '" + tenant + "'");
        assertThatThrownBy(() -> runs.record(full(V1, T0).inSession(noSession))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no conversation session " + noSession);
        assertThatThrownBy(() -> runs.record(full(V1, T0).answering(noMessage))).isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("no conversation message " + noMessage);
        assertThatThrownBy(() -> runs.record(full(V1, T0).producing(noMessage))).isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("no conversation message " + noMessage);
        assertThatThrownBy(() -> store.agents("other").runs().record(full(V1, T0))).isInstanceOf(NotFoundException.class);
        assertThat(count("agent_run")).isZero();
        assertThat(count("agent_run_chunk")).isZero();
        assertThat(count("agent_run_tool_call")).isZero();
    }

    @Test
    void bad_input_is_refused_before_sql_naming_the_parameter() {
        assertThatThrownBy(() -> NewRun.succeeded(V1, T0, Duration.ofMillis(-1))).isInstanceOf(InvalidInputException.class)
                .hasMessage("duration must not be negative, but was PT-0.001S");
        assertThatThrownBy(() -> NewRun.failed(V1, T0, Duration.ZERO, " ")).isInstanceOf(InvalidInputException.class)
                .hasMessage("errorMessage of a failed run must not be blank");
        assertThatThrownBy(() -> NewRun.succeeded(V1, T0, Duration.ZERO).withCost(new BigDecimal("-1")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("cost must be between 0 and");
        assertThatThrownBy(() -> NewRun.succeeded(V1, T0, Duration.ZERO).withTokens(-5, 1))
                .isInstanceOf(InvalidInputException.class).hasMessage("inputTokens must not be negative, but was -5");
        assertThatThrownBy(() -> RetrievedChunk.of(A, Double.NaN)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> runs.record(NewRun.succeeded(V1, Instant.parse("+10000-01-01T00:00:00Z"), Duration.ZERO)))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("startedAt must be between");
        assertThatThrownBy(() -> runs.setQualityScore(RunId.of(UUID.randomUUID()), 1.5)).isInstanceOf(InvalidInputException.class)
                .hasMessage("score must be between 0.0 and 1.0, but was 1.5");
    }

    // ------------------------------------------------------------------------------------------ messages

    @Test
    void the_produced_message_names_its_run_and_a_session_deletion_takes_the_runs_along() throws SQLException {
        Conversations chats = store.conversations(tenant);
        Session session = chats.open("alice", BOT.value());
        Message question = chats.addMessage(session.id(), NewMessage.user("Why was I charged twice?"));
        Message answer = chats.addMessage(session.id(), NewMessage.assistant("The renewal ran twice."));

        RunId id = runs.record(full(V2, T0).inSession(session.id()).answering(question.id()).producing(answer.id()));

        Run run = runs.findByProducedMessage(answer.id()).orElseThrow();
        assertThat(run.id()).isEqualTo(id);
        assertThat(run.agentVersion()).isEqualTo(V2);
        assertThat(run.session()).isEqualTo(session.id());
        assertThat(run.answering()).isEqualTo(question.id());
        assertThat(runs.findByProducedMessage(question.id())).isEmpty();

        chats.deleteSession(session.id());
        assertThat(runs.find(id)).isEmpty();
        assertThat(count("agent_run_chunk")).isZero();
        assertThat(count("agent_run_tool_call")).isZero();
    }

    @Test
    void conversation_retention_deletes_the_runs_of_the_sessions_it_removes() throws SQLException {
        Conversations chats = store.conversations(tenant);
        Session old = chats.open("alice", BOT.value());
        runs.record(full(V1, T0).inSession(old.id()));
        clock.advance(Duration.ofDays(40));
        Session recent = chats.open("bob", BOT.value());
        RunId kept = runs.record(full(V1, clock.instant()).inSession(recent.id()));

        chats.deleteSessionsInactiveFor(Duration.ofDays(30));

        assertThat(count("agent_run")).isEqualTo(1);
        assertThat(runs.find(kept)).isPresent();
    }

    @Test
    void deleting_a_run_leaves_the_message_that_named_it_without_a_link() {
        Conversations chats = store.conversations(tenant);
        Session session = chats.open("alice", BOT.value());
        Message answer = chats.addMessage(session.id(), NewMessage.assistant("Hello."));
        RunId id = runs.record(full(V1, T0).producing(answer.id()));

        runs.delete(id);

        assertThat(chats.getMessage(answer.id()).content()).isEqualTo("Hello.");
        assertThat(runs.findByProducedMessage(answer.id())).isEmpty();
        assertThatThrownBy(() -> runs.delete(id)).isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("no run " + id + " for tenant '" + tenant + "'");
    }

    @Test
    void run_retention_deletes_runs_started_before_the_cut_off_in_batches() throws SQLException {
        for (int i = 0; i < 7; i++) {
            runs.record(full(V1, T0.plus(Duration.ofDays(i))));
        }

        RunRetentionResult result = runs.deleteStartedBefore(T0.plus(Duration.ofDays(5)), 2);

        assertThat(result.runsDeleted()).isEqualTo(5);
        assertThat(result.batches()).isEqualTo(3);
        assertThat(count("agent_run")).isEqualTo(2);
        assertThat(count("agent_run_chunk")).isEqualTo(6);
    }

    // ------------------------------------------------------------------------------------------ later

    @Test
    void feedback_and_quality_score_arrive_later_and_replace_earlier_ones() {
        RunId id = runs.record(full(V1, T0).withQualityScore(0.4));
        clock.advance(Duration.ofMinutes(3));

        runs.addFeedback(id, Rating.DOWN, "wrong order");
        runs.addFeedback(id, Rating.UP, null);
        runs.setQualityScore(id, 0.9);

        Run run = runs.get(id);
        assertThat(run.feedback().rating()).isEqualTo(Rating.UP);
        assertThat(run.feedback().comment()).isNull();
        assertThat(run.feedback().at()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
        assertThat(run.qualityScore()).isEqualTo(0.9);
        RunId unknown = RunId.of(UUID.randomUUID());
        assertThatThrownBy(() -> runs.addFeedback(unknown, Rating.UP, null)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.agents("other").runs().setQualityScore(id, 0.5)).isInstanceOf(NotFoundException.class);
    }

    // ------------------------------------------------------------------------------------------ listing

    @Test
    void runs_are_listed_newest_first_in_keyset_pages_with_filters() {
        List<RunId> v1 = new ArrayList<>();
        List<RunId> v2Errors = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Instant started = T0.plus(Duration.ofMinutes(i));
            if (i % 3 == 2) {
                v2Errors.add(runs.record(NewRun.failed(V2, started, Duration.ofMillis(100), "boom")));
            } else {
                v1.add(runs.record(full(V1, started)));
            }
        }
        agents.register(NewAgent.of("other-bot"));
        agents.publish(AgentId.of("other-bot"), AgentDefinition.of(null, "m"));
        runs.record(NewRun.succeeded(AgentVersionId.of("other-bot", 1), T0, Duration.ZERO));

        List<RunId> seen = new ArrayList<>();
        RunPage page = runs.list(RunFilter.agent(BOT).version(1), 4);
        seen.addAll(page.runs().stream().map(Run::id).toList());
        while (page.hasNext()) {
            page = runs.list(RunFilter.agent(BOT).version(1), page.next(), 4);
            seen.addAll(page.runs().stream().map(Run::id).toList());
        }
        assertThat(seen).containsExactlyElementsOf(v1.reversed());
        assertThat(runs.list(RunFilter.agent(BOT).outcome(RunOutcome.ERROR), 100).runs()).extracting(Run::id)
                .containsExactlyElementsOf(v2Errors.reversed());
        assertThat(runs.list(RunFilter.all(), 100).runs()).hasSize(10);
        assertThat(runs.list(RunFilter.agent(BOT).startedFrom(T0.plus(Duration.ofMinutes(3)))
                .startedBefore(T0.plus(Duration.ofMinutes(5))), 100).runs()).extracting(Run::startedAt)
                .containsExactly(T0.plus(Duration.ofMinutes(4)), T0.plus(Duration.ofMinutes(3)));
        assertThat(page.runs().get(0).retrievedChunks()).as("listed runs carry their chunks").hasSize(3);
        assertThatThrownBy(() -> RunFilter.all().version(2)).isInstanceOf(InvalidInputException.class)
                .hasMessage("a version filter needs an agent: use RunFilter.agent(id).version(2)");
        assertThatThrownBy(() -> runs.list(RunFilter.all(), 0)).isInstanceOf(InvalidInputException.class)
                .hasMessage("limit must be between 1 and 1000, but was 0");
    }

    // ------------------------------------------------------------------------------------------ statistics

    /** v1: 4 runs on day 1 (one failed), 1 on day 2; v2: 2 runs on day 1. */
    private void scriptedRuns() {
        long[] v1Durations = {100, 200, 300, 400};
        for (int i = 0; i < 4; i++) {
            NewRun r = i == 3 ? NewRun.failed(V1, T0.plusSeconds(i), Duration.ofMillis(v1Durations[i]), "boom")
                    : NewRun.succeeded(V1, T0.plusSeconds(i), Duration.ofMillis(v1Durations[i]));
            RunId id = runs.record(r.withTokens(100, 10).withCost(new BigDecimal("0.01"))
                    .withRetrievedChunks(i < 2 ? List.of(RetrievedChunk.of(A, 0.9), RetrievedChunk.of(B, 0.5))
                            : List.of(RetrievedChunk.of(B, 0.7)))
                    .withToolCalls(List.of(i == 3
                            ? ToolCall.failed("lookup_order", Map.of(), Duration.ofMillis(50), ToolOutcome.ERROR, "500")
                            : ToolCall.succeeded("lookup_order", Map.of(), 10, Duration.ofMillis(10)))));
            if (i == 0) {
                runs.addFeedback(id, Rating.UP, null);
                runs.setQualityScore(id, 1.0);
            }
            if (i == 1) {
                runs.addFeedback(id, Rating.DOWN, null);
                runs.setQualityScore(id, 0.5);
            }
        }
        runs.record(NewRun.succeeded(V1, T0.plus(Duration.ofDays(1)), Duration.ofMillis(1000))
                .withRetrievedChunks(List.of(RetrievedChunk.of(C, 0.4))));
        runs.record(NewRun.succeeded(V2, T0.plusSeconds(5), Duration.ofMillis(50)).withTokens(50, 5));
        RunId v2b = runs.record(NewRun.succeeded(V2, T0.plusSeconds(6), Duration.ofMillis(150)).withTokens(50, 5));
        runs.addFeedback(v2b, Rating.UP, "great");
    }

    @Test
    void statistics_per_version_count_success_latency_tokens_cost_feedback_and_quality() {
        scriptedRuns();

        List<RunStats> perVersion = stats.statsPerVersion(BOT, T0, T0.plus(Duration.ofDays(7)));

        assertThat(perVersion).hasSize(2);
        RunStats v1 = perVersion.get(0);
        assertThat(v1.agentVersion()).isEqualTo(V1);
        assertThat(v1.day()).isNull();
        assertThat(v1.runs()).isEqualTo(5);
        assertThat(v1.successes()).isEqualTo(4);
        assertThat(v1.successRate()).isEqualTo(0.8);
        assertThat(v1.meanLatency()).isEqualTo(Duration.ofMillis(400));   // (100+200+300+400+1000)/5
        // percentiles from the rollup's latency histogram: within 5% of the exact ones
        assertThat(v1.p50Latency().toNanos() / 1e6).isCloseTo(300, withinPercentage(5));
        assertThat(v1.p95Latency().toNanos() / 1e6).isCloseTo(880, withinPercentage(5));    // 400 + 0.8 * 600
        assertThat(v1.inputTokens()).isEqualTo(400);
        assertThat(v1.outputTokens()).isEqualTo(40);
        assertThat(v1.cost()).isEqualByComparingTo("0.04");
        assertThat(v1.feedbackUp()).isEqualTo(1);
        assertThat(v1.feedbackDown()).isEqualTo(1);
        assertThat(v1.meanQuality()).isEqualTo(0.75);
        assertThat(v1.scored()).isEqualTo(2);
        RunStats v2 = perVersion.get(1);
        assertThat(v2.runs()).isEqualTo(2);
        assertThat(v2.p50Latency().toNanos() / 1e6).isCloseTo(100, withinPercentage(5));
        assertThat(v2.cost()).isEqualByComparingTo("0");
        assertThat(v2.meanQuality()).isNull();
    }

    @Test
    void statistics_per_version_and_day_split_at_midnight_of_the_zone() {
        scriptedRuns();

        List<RunStats> daily = stats.statsPerVersionAndDay(BOT, T0, T0.plus(Duration.ofDays(7)), ZoneOffset.UTC);

        assertThat(daily).extracting(s -> s.agentVersion().version() + "@" + s.day() + ":" + s.runs())
                .containsExactly("1@2026-03-01:4", "1@2026-03-02:1", "2@2026-03-01:2");
        // 10:00 UTC is 19:00 in Tokyo; the day-2 run at 10:00 UTC is still 2 March there
        List<RunStats> tokyo = stats.statsPerVersionAndDay(BOT, T0, T0.plus(Duration.ofDays(7)), ZoneId.of("Asia/Tokyo"));
        assertThat(tokyo.get(1).day()).isEqualTo(LocalDate.parse("2026-03-02"));
        assertThatThrownBy(() -> stats.statsPerVersionAndDay(BOT, T0, T0, ZoneOffset.ofHours(2)))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("zone must be UTC or a region id");
        assertThatThrownBy(() -> stats.statsPerVersion(BOT, T0, T0.minusSeconds(1)))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("the period must not end before it starts");
    }

    @Test
    void two_versions_are_compared_side_by_side_also_when_one_has_no_runs() {
        scriptedRuns();
        agents.publish(BOT, AgentDefinition.of("openai", "o3"));

        VersionComparison c = stats.compareVersions(BOT, 1, 2, T0, T0.plus(Duration.ofDays(7)));
        VersionComparison none = stats.compareVersions(BOT, 2, 3, T0, T0.plus(Duration.ofDays(7)));

        assertThat(c.a().runs()).isEqualTo(5);
        assertThat(c.b().runs()).isEqualTo(2);
        assertThat(c.successRateChange()).isEqualTo(1.0 - 0.8, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(c.p95LatencyRatio()).isCloseTo(145.0 / 880.0, withinPercentage(10));
        assertThat(none.b().runs()).isZero();
        assertThat(none.b().p95Latency()).isNull();
        assertThat(none.p95LatencyRatio()).isNaN();
        assertThatThrownBy(() -> stats.compareVersions(BOT, 2, 2, T0, T0)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void tool_statistics_give_error_rates_and_latency_per_version_and_tool() {
        scriptedRuns();
        runs.record(full(V2, T0));

        List<ToolStats> tools = stats.toolStats(BOT, T0, T0.plus(Duration.ofDays(7)));

        assertThat(tools).extracting(t -> t.agentVersion().version() + ":" + t.tool() + ":" + t.calls() + ":" + t.errors()
                + ":" + t.timeouts()).containsExactly("1:lookup_order:4:1:0", "2:lookup_order:1:0:0", "2:refund:1:0:1");
        assertThat(tools.get(0).errorRate()).isEqualTo(0.25);
        assertThat(tools.get(0).meanLatency()).isEqualTo(Duration.ofMillis(20));   // (10+10+10+50)/4
        assertThat(tools.get(2).errorRate()).isEqualTo(1.0);
    }

    @Test
    void the_most_retrieved_chunks_and_those_never_in_a_run_rated_up_are_listed() {
        scriptedRuns();

        List<ChunkStats> most = stats.mostRetrievedChunks(BOT, 0, T0, T0.plus(Duration.ofDays(7)), 10);
        List<ChunkStats> useless = stats.chunksNeverInPositiveRuns(BOT, 0, T0, T0.plus(Duration.ofDays(7)), 10);
        List<ChunkStats> v1DayOne = stats.mostRetrievedChunks(BOT, 1, T0, T0.plus(Duration.ofHours(1)), 1);

        assertThat(most).extracting(s -> s.chunk() + ":" + s.retrievals() + ":" + s.positiveRuns())
                .containsExactly(B + ":4:1", A + ":2:1", C + ":1:0");
        assertThat(most.get(0).meanScore()).isEqualTo((0.5 + 0.5 + 0.7 + 0.7) / 4, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(useless).extracting(ChunkStats::chunk).containsExactly(C);
        assertThat(v1DayOne).extracting(ChunkStats::chunk).containsExactly(B);
        assertThatThrownBy(() -> stats.mostRetrievedChunks(BOT, 0, T0, T0, 0)).isInstanceOf(InvalidInputException.class);
    }

    // ------------------------------------------------------------------------------------------ rollup, feedback

    @Test
    void the_daily_rollup_stays_equal_to_the_runs_through_feedback_quality_deletion_and_retention() {
        scriptedRuns();
        for (int i = 0; i < 30; i++) {
            RunId id = runs.record(NewRun.succeeded(V2, T0.plus(Duration.ofHours(5 * i)), Duration.ofMillis(40 + 37L * i))
                    .withTokens(i, 2 * i).withCost(new BigDecimal("0.001")));
            if (i % 3 == 0) {
                runs.addFeedback(id, i % 2 == 0 ? Rating.UP : Rating.DOWN, null);
            }
            if (i % 4 == 0) {
                runs.setQualityScore(id, 0.25);
            }
            if (i % 7 == 0) {
                runs.delete(id);
            }
        }
        runs.deleteStartedBefore(T0.plus(Duration.ofHours(30)), 2);
        Instant from = T0.minus(Duration.ofHours(3));
        Instant to = T0.plus(Duration.ofDays(6)).plus(Duration.ofMinutes(7));

        // the rollup's figures against the same figures computed from the runs themselves
        List<RunStats> rolled = stats.statsPerVersionAndDay(BOT, from, to, ZoneOffset.UTC);
        List<String> rolledFigures = rolled.stream().map(x -> x.agentVersion().version() + "@" + x.day() + ": " + x.runs()
                + " runs, " + x.successes() + " ok, " + x.feedbackUp() + "/" + x.feedbackDown() + ", " + x.scored() + " scored, "
                + x.inputTokens() + "/" + x.outputTokens() + " tokens, cost " + x.cost().stripTrailingZeros().toPlainString()).toList();
        List<String> exactFigures = store.dsl().fetch(stats.statsQuery(BOT, from, to, "UTC", 0, 0)).stream()
                .map(r -> r.get(0) + "@" + r.get(1) + ": " + r.get("runs") + " runs, " + r.get("successes") + " ok, " + r.get("up") + "/"
                        + r.get("down") + ", " + r.get("scored") + " scored, " + r.get("input_tokens") + "/" + r.get("output_tokens")
                        + " tokens, cost " + (r.get("cost") == null ? "0" : new BigDecimal(r.get("cost").toString())
                                .stripTrailingZeros().toPlainString()))
                .toList();
        assertThat(rolledFigures).hasSizeGreaterThan(4).isEqualTo(exactFigures);
        List<Double> exactP95 = store.dsl().fetch(stats.statsQuery(BOT, from, to, "UTC", 0, 0)).stream()
                .map(r -> r.get("p95", Double.class)).toList();
        for (int i = 0; i < rolled.size(); i++) {
            assertThat(rolled.get(i).p95Latency().toNanos() / 1e6).as(rolledFigures.get(i)).isCloseTo(exactP95.get(i), withinPercentage(5));
        }
        // nothing is left in the rollup of a version once its runs are gone
        runs.deleteStartedBefore(T0.plus(Duration.ofDays(30)));
        assertThat(stats.statsPerVersion(BOT, from, to)).isEmpty();
        assertThat(store.dsl().fetchCount(dev.agentstore.schema.Tables.AGENT_RUN_DAILY,
                dev.agentstore.schema.Tables.AGENT_RUN_DAILY.TENANT_ID.eq(tenant))).isZero();
        assertThat(store.dsl().fetchCount(dev.agentstore.schema.Tables.AGENT_RUN_DAILY_LATENCY,
                dev.agentstore.schema.Tables.AGENT_RUN_DAILY_LATENCY.TENANT_ID.eq(tenant))).isZero();
    }

    @Test
    void feedback_on_a_produced_message_is_the_feedback_of_its_run_and_the_other_way_round() {
        Conversations chats = store.conversations(tenant);
        Session session = chats.open("alice", BOT.value());
        Message question = chats.addMessage(session.id(), NewMessage.user("Where is my parcel?"));
        Message answer = chats.addMessage(session.id(), NewMessage.assistant("It left the depot this morning."));
        RunId id = runs.record(full(V1, T0).inSession(session.id()).answering(question.id()).producing(answer.id()));

        // rated as a message (e.g. the chat UI's thumbs): the run has it, and the run statistics count it
        chats.addFeedback(answer.id(), Rating.DOWN, "too vague");
        assertThat(runs.get(id).feedback().rating()).isEqualTo(Rating.DOWN);
        assertThat(runs.get(id).feedback().comment()).isEqualTo("too vague");
        assertThat(stats.statsPerVersion(BOT, T0, T0.plus(Duration.ofDays(1))).get(0).feedbackDown()).isEqualTo(1);

        // rated as a run (e.g. an evaluation tool): the message has it
        runs.addFeedback(id, Rating.UP, "fixed");
        Message rated = chats.listLastMessages(session.id(), 1).get(0);
        assertThat(rated.feedback().rating()).isEqualTo(Rating.UP);
        assertThat(rated.feedback().comment()).isEqualTo("fixed");
        RunStats figures = stats.statsPerVersion(BOT, T0, T0.plus(Duration.ofDays(1))).get(0);
        assertThat(figures.feedbackUp()).isEqualTo(1);
        assertThat(figures.feedbackDown()).isZero();

        // cleared on the message: cleared on the run
        chats.deleteFeedback(answer.id());
        assertThat(runs.get(id).feedback()).isNull();

        // a message rated before its run is recorded hands the rating to the run
        Message later = chats.addMessage(session.id(), NewMessage.assistant("Anything else?"));
        chats.addFeedback(later.id(), Rating.UP, null);
        RunId second = runs.record(full(V1, T0.plusSeconds(60)).inSession(session.id()).producing(later.id()));
        assertThat(runs.get(second).feedback().rating()).isEqualTo(Rating.UP);
    }
}
