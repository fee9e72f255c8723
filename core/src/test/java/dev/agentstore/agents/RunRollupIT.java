package dev.agentstore.agents;

import static dev.agentstore.schema.Tables.AGENT_RUN_DAILY;
import static dev.agentstore.schema.Tables.AGENT_RUN_DAILY_LATENCY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.agentstore.AgentStore;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.conversation.Rating;
import dev.agentstore.document.ChunkId;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daily rollup without an insert trigger (V14): {@link Runs#record} writes each run's share of the
 * rollup in its own statement, into one of 4 shards per version and day; runs inserted with plain SQL
 * join the rollup through {@link RunStatistics#rebuildRollup}; the update and delete triggers keep it
 * equal to the runs afterwards.
 */
@AgentStoreTest(dimension = 3)
class RunRollupIT {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final AtomicInteger TENANTS = new AtomicInteger();
    private static final AgentId BOT = AgentId.of("support-bot");
    private static final AgentVersionId V1 = new AgentVersionId(BOT, 1);

    private static TestDatabase db;
    private static AgentStore store;

    private String tenant;
    private Runs runs;
    private RunStatistics stats;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(8).build();
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @BeforeEach
    void freshTenant() {
        tenant = "rollup-" + TENANTS.incrementAndGet();
        Agents agents = store.agents(tenant);
        runs = agents.runs();
        stats = agents.stats();
        agents.register(NewAgent.of(BOT.value()));
        agents.publish(BOT, AgentDefinition.of("openai", "gpt-4o"));
    }

    private static NewRun run(int i, Instant started) {
        NewRun r = (i % 9 == 0 ? NewRun.failed(V1, started, Duration.ofMillis(50 + 13L * i), "tool failed")
                : NewRun.succeeded(V1, started, Duration.ofMillis(50 + 13L * i)))
                .withTokens(100 + i, 10 + i).withCost(new BigDecimal("0.0005"))
                .withRetrievedChunks(List.of(RetrievedChunk.of(ChunkId.of(new UUID(0, i % 5 + 1)), 0.8)))
                .withToolCalls(List.of(ToolCall.succeeded("lookup", Map.of("i", i), 10, Duration.ofMillis(5))));
        return i % 4 == 0 ? r.withQualityScore(0.5) : r;
    }

    /** The rollup's figures of the UTC days of [from, to), as text, next to the same figures computed from the runs. */
    private void assertRollupEqualsRuns(Instant from, Instant to) {
        List<RunStats> rolled = stats.statsPerVersionAndDay(BOT, from, to, ZoneOffset.UTC);
        List<String> rolledFigures = rolled.stream().map(x -> x.agentVersion().version() + "@" + x.day() + ": " + x.runs()
                + " runs, " + x.successes() + " ok, " + x.feedbackUp() + "/" + x.feedbackDown() + ", " + x.scored() + " scored, "
                + x.inputTokens() + "/" + x.outputTokens() + " tokens, cost " + x.cost().stripTrailingZeros().toPlainString()).toList();
        List<? extends Record> exact = store.dsl().fetch(stats.statsQuery(BOT, from, to, "UTC", 0, 0));
        List<String> exactFigures = exact.stream()
                .map(r -> r.get(0) + "@" + r.get(1) + ": " + r.get("runs") + " runs, " + r.get("successes") + " ok, " + r.get("up") + "/"
                        + r.get("down") + ", " + r.get("scored") + " scored, " + r.get("input_tokens") + "/" + r.get("output_tokens")
                        + " tokens, cost " + (r.get("cost") == null ? "0" : new BigDecimal(r.get("cost").toString())
                                .stripTrailingZeros().toPlainString()))
                .toList();
        assertThat(rolledFigures).isNotEmpty().isEqualTo(exactFigures);
        for (int i = 0; i < rolled.size(); i++) {
            assertThat(rolled.get(i).p50Latency().toNanos() / 1e6).as(rolledFigures.get(i))
                    .isCloseTo(exact.get(i).get("p50", Double.class), withinPercentage(5));
            assertThat(rolled.get(i).p95Latency().toNanos() / 1e6).as(rolledFigures.get(i))
                    .isCloseTo(exact.get(i).get("p95", Double.class), withinPercentage(5));
        }
    }

    private int rollupRows(LocalDate day) {
        return store.dsl().fetchCount(AGENT_RUN_DAILY, AGENT_RUN_DAILY.TENANT_ID.eq(tenant), AGENT_RUN_DAILY.DAY.eq(day));
    }

    @Test
    void no_trigger_fires_when_a_run_is_inserted() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT tgname FROM pg_trigger WHERE tgrelid = 'agentstore.agent_run'::regclass"
                        + " AND NOT tgisinternal AND (tgtype & 4) <> 0")) {
            List<String> onInsert = new ArrayList<>();
            while (rs.next()) {
                onInsert.add(rs.getString(1));
            }
            assertThat(onInsert).as("user triggers on INSERT into agent_run").isEmpty();
        }
    }

    @Test
    void concurrent_recordings_of_one_version_spread_over_the_shards_and_the_rollup_stays_equal_to_the_runs() throws Exception {
        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        int n = thread * perThread + i;
                        runs.record(run(n, T0.plus(Duration.ofSeconds(n))));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Instant dayStart = LocalDate.ofInstant(T0, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant dayEnd = dayStart.plus(Duration.ofDays(1));

        RunStats day = stats.statsPerVersion(BOT, dayStart, dayEnd).get(0);
        assertThat(day.runs()).isEqualTo(threads * perThread);
        assertThat(rollupRows(LocalDate.ofInstant(T0, ZoneOffset.UTC))).as("shards of the version's day").isEqualTo(4);
        assertRollupEqualsRuns(dayStart, dayEnd);
    }

    @Test
    void runs_inserted_with_sql_join_the_rollup_through_the_rebuild_and_changes_afterwards_keep_it_equal() throws SQLException {
        Instant dayStart = LocalDate.ofInstant(T0, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = dayStart.plus(Duration.ofDays(3));
        for (int i = 0; i < 10; i++) {
            runs.record(run(i, T0.plus(Duration.ofHours(i))));
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO agentstore.agent_run (tenant_id, agent_id, version, started_at, duration_ms, input_tokens,"
                    + " output_tokens, success, error_message)"
                    + " SELECT '" + tenant + "', 'support-bot', 1, timestamptz '2026-03-01 12:00:00+00' + i * interval '1 hour',"
                    + " 100 + 7 * i, 5, 6, i % 3 <> 0, CASE WHEN i % 3 = 0 THEN 'boom' END FROM generate_series(1, 25) i");
        }
        // the plain inserts are not in the statistics of whole days yet
        assertThat(stats.statsPerVersion(BOT, dayStart, to).get(0).runs()).isEqualTo(10);

        long held = stats.rebuildRollup(LocalDate.ofInstant(T0, ZoneOffset.UTC), LocalDate.ofInstant(to, ZoneOffset.UTC));

        assertThat(held).isEqualTo(35);
        assertThat(stats.statsPerVersion(BOT, dayStart, to).get(0).runs()).isEqualTo(35);
        assertRollupEqualsRuns(dayStart, to);

        // feedback, quality and deletion afterwards go through the triggers, shard by shard
        RunPage page = runs.list(RunFilter.agent(BOT), 100);
        for (int i = 0; i < page.runs().size(); i++) {
            RunId id = page.runs().get(i).id();
            if (i % 2 == 0) {
                runs.addFeedback(id, i % 4 == 0 ? Rating.UP : Rating.DOWN, null);
            }
            if (i % 3 == 0) {
                runs.setQualityScore(id, 0.75);
            }
            if (i % 5 == 0) {
                runs.delete(id);
            }
        }
        assertRollupEqualsRuns(dayStart, to);
        runs.deleteStartedBefore(to, 4);
        assertThat(stats.statsPerVersion(BOT, dayStart, to)).isEmpty();
        assertThat(store.dsl().fetchCount(AGENT_RUN_DAILY, AGENT_RUN_DAILY.TENANT_ID.eq(tenant))).isZero();
        assertThat(store.dsl().fetchCount(AGENT_RUN_DAILY_LATENCY, AGENT_RUN_DAILY_LATENCY.TENANT_ID.eq(tenant))).isZero();
    }

    @Test
    void a_rebuild_touches_only_its_tenant_and_its_days() {
        runs.record(run(1, T0));
        runs.record(run(2, T0.plus(Duration.ofDays(2))));
        String other = tenant + "-other";
        Agents neighbour = store.agents(other);
        neighbour.register(NewAgent.of(BOT.value()));
        neighbour.publish(BOT, AgentDefinition.of("openai", "gpt-4o"));
        neighbour.runs().record(run(3, T0));
        LocalDate day = LocalDate.ofInstant(T0, ZoneOffset.UTC);

        assertThat(stats.rebuildRollup(day, day.plusDays(1))).isEqualTo(1);

        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = from.plus(Duration.ofDays(3));
        assertThat(stats.statsPerVersion(BOT, from, to).get(0).runs()).isEqualTo(2);
        assertThat(neighbour.stats().statsPerVersion(BOT, from, to).get(0).runs()).isEqualTo(1);
        assertRollupEqualsRuns(from, to);
    }

    @Test
    void a_rebuild_with_a_bad_period_is_refused_before_sql_runs() {
        LocalDate day = LocalDate.of(2026, 3, 1);
        assertThatThrownBy(() -> stats.rebuildRollup(day, day)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("toDay must be after fromDay").hasMessageContaining("2026-03-01");
        assertThatThrownBy(() -> stats.rebuildRollup(null, day)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("fromDay");
        assertThatThrownBy(() -> stats.rebuildRollup(day, null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("toDay");
    }

    @Test
    void a_run_of_an_unknown_version_writes_neither_the_run_nor_its_rollup() {
        assertThatThrownBy(() -> runs.record(NewRun.succeeded(new AgentVersionId(BOT, 9), T0, Duration.ofMillis(10))))
                .isInstanceOf(NotFoundException.class);
        assertThat(store.dsl().fetchCount(AGENT_RUN_DAILY, AGENT_RUN_DAILY.TENANT_ID.eq(tenant))).isZero();
        assertThat(store.dsl().fetchCount(AGENT_RUN_DAILY_LATENCY, AGENT_RUN_DAILY_LATENCY.TENANT_ID.eq(tenant))).isZero();
    }
}
