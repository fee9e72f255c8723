package dev.agentstore.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.AgentStore;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jooq.Query;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The statistics, comparison, listing and retention queries, exactly as {@link RunStatistics} and
 * {@link Runs} build them, on 100,000 runs of one tenant (20 agents with 3 versions each, over 90
 * days, 2 retrieved chunks and 1 tool call per run; a second tenant of the same size), after VACUUM
 * ANALYZE: each is answered from its index, never by a sequential scan of the runs. The
 * 1,000,000-run timings are in the benchmark (README).
 */
@AgentStoreTest(dimension = 3)
class RunQueryPlansIT {

    private static final String TENANT = "big";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final AgentId AGENT = AgentId.of("agent-7");

    private static AgentStore store;
    private static Runs runs;
    private static RunStatistics stats;

    @BeforeAll
    static void load(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String tenant : new String[] {TENANT, "neighbour"}) {
                s.execute("INSERT INTO agentstore.agent (tenant_id, agent_id, latest_version)"
                        + " SELECT '" + tenant + "', 'agent-' || a, 3 FROM generate_series(0, 19) a");
                s.execute("INSERT INTO agentstore.agent_version (tenant_id, agent_id, version, content_hash, model_name)"
                        + " SELECT '" + tenant + "', 'agent-' || a, v, sha256(('" + tenant + "' || a || '/' || v)::bytea), 'm'"
                        + " FROM generate_series(0, 19) a, generate_series(1, 3) v");
                s.execute("INSERT INTO agentstore.agent_run (tenant_id, agent_id, version, started_at, duration_ms,"
                        + " input_tokens, output_tokens, cost, success, error_message, feedback, feedback_at, quality_score, quality_at)"
                        + " SELECT '" + tenant + "', 'agent-' || (i % 20), 1 + (i / 20) % 3,"
                        + " timestamptz '2026-01-01 00:00:00+00' + (i * interval '77.76 seconds'), 200 + (i * 7919) % 3000,"
                        + " 800, 90, 0.002, i % 17 <> 0, CASE WHEN i % 17 = 0 THEN 'boom' END,"
                        + " CASE WHEN i % 11 = 0 THEN 1 WHEN i % 13 = 0 THEN -1 END,"
                        + " CASE WHEN i % 11 = 0 OR i % 13 = 0 THEN timestamptz '2026-04-01 00:00:00+00' END,"
                        + " CASE WHEN i % 5 = 0 THEN 0.8 END, CASE WHEN i % 5 = 0 THEN timestamptz '2026-04-01 00:00:00+00' END"
                        + " FROM generate_series(1, 100000) i");
                s.execute("INSERT INTO agentstore.agent_run_chunk (tenant_id, run_id, position, chunk_id, score)"
                        + " SELECT r.tenant_id, r.id, p, md5((r.duration_ms % 500 + p)::text)::uuid, 0.5"
                        + " FROM agentstore.agent_run r, generate_series(0, 1) p WHERE r.tenant_id = '" + tenant + "'");
                s.execute("INSERT INTO agentstore.agent_run_tool_call (tenant_id, run_id, position, tool_name, latency_ms, outcome)"
                        + " SELECT r.tenant_id, r.id, 0, 'tool-' || (r.duration_ms % 4), 40, 'success'"
                        + " FROM agentstore.agent_run r WHERE r.tenant_id = '" + tenant + "'");
                // runs inserted with SQL outside agentstore join the daily rollup through the rebuild (V14)
                s.execute("SELECT agentstore.agent_run_rollup_rebuild('" + tenant + "', NULL, NULL)");
            }
            for (String table : new String[] {"agent", "agent_version", "agent_run", "agent_run_chunk", "agent_run_tool_call",
                    "agent_run_daily", "agent_run_daily_latency"}) {
                s.execute("VACUUM ANALYZE agentstore." + table);
            }
        }
        store = AgentStore.builder().dataSource(db.dataSource()).build();
        Agents agents = store.agents(TENANT);
        runs = agents.runs();
        stats = agents.stats();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static String plan(Query query) {
        String plan = store.dsl().resultQuery("EXPLAIN (FORMAT JSON) {0}", query).fetchSingle().get(0).toString();
        if (Boolean.getBoolean("agentstore.printPlans")) {
            System.out.println(store.dsl().resultQuery("EXPLAIN {0}", query).fetch().format());
        }
        return plan;
    }

    private static final Instant MONTH_FROM = T0.plus(Duration.ofDays(30));
    private static final Instant MONTH_TO = T0.plus(Duration.ofDays(60));

    @Test
    void the_data_set_holds_a_hundred_thousand_runs_of_the_tenant() {
        assertThat(runs.list(RunFilter.agent(AGENT), 1000).runs()).hasSize(1000);
        assertThat(stats.statsPerVersion(AGENT, T0, T0.plus(Duration.ofDays(91))).stream().mapToLong(RunStats::runs).sum())
                .isEqualTo(5000);
    }

    @Test
    void statistics_per_version_and_day_are_an_index_only_scan_of_the_agents_period() {
        for (Query q : new Query[] {
                stats.statsQuery(AGENT, MONTH_FROM, MONTH_TO, "UTC", 0, 0),
                stats.statsQuery(AGENT, MONTH_FROM, MONTH_TO, null, 0, 0)}) {
            String plan = plan(q);

            assertThat(plan).contains("\"Node Type\": \"Index Only Scan\"")
                    .contains("\"Index Name\": \"agent_run_agent_started_idx\"")
                    .doesNotContain("Seq Scan");
            assertThat(plan).as("agent and period are index conditions")
                    .containsPattern("\"Index Cond\": \"\\(\\(tenant_id = [^\"]*agent_id = [^\"]*started_at >= [^\"]*started_at < ");
        }
    }

    @Test
    void a_version_comparison_is_an_index_only_scan_of_the_agents_period() {
        String plan = plan(stats.statsQuery(AGENT, MONTH_FROM, MONTH_TO, null, 1, 2));

        assertThat(plan).contains("\"Node Type\": \"Index Only Scan\"")
                .contains("\"Index Name\": \"agent_run_agent_started_idx\"")
                .doesNotContain("Seq Scan");
    }

    @Test
    void statistics_and_comparisons_read_the_daily_rollup_by_its_key_and_only_the_partial_days_from_the_runs() {
        // a period that starts and ends inside a day: whole days from the rollup, the two ends from the runs
        Instant from = MONTH_FROM.plus(Duration.ofHours(7));
        Instant to = MONTH_TO.plus(Duration.ofHours(3));
        for (boolean daily : new boolean[] {true, false}) {
            for (int[] versions : new int[][] {{0, 0}, {1, 2}}) {
                RunStatistics.RollupQueries q = stats.rollupQueries(AGENT, from, to, daily, versions[0], versions[1]);
                String figures = plan(q.figures());
                String latency = plan(q.latency());

                assertThat(figures).as("figures, daily %s, versions %s", daily, versions[0])
                        .contains("\"Index Name\": \"agent_run_daily_pk\"")
                        .contains("\"Index Name\": \"agent_run_agent_started_idx\"")
                        .doesNotContain("Seq Scan");
                assertThat(figures).as("agent and days are index conditions of the rollup")
                        .containsPattern("\"Index Cond\": \"\\(\\(tenant_id = [^\"]*agent_id = [^\"]*day >= [^\"]*day < ");
                assertThat(latency).as("latency, daily %s", daily)
                        .contains("\"Index Name\": \"agent_run_daily_latency_pk\"")
                        .contains("\"Index Name\": \"agent_run_agent_started_idx\"")
                        .doesNotContain("Seq Scan");
            }
        }
        // the figures agree with the runs' own (exact counts, percentiles within 5%)
        RunStats rolled = stats.statsPerVersion(AGENT, from, to).get(0);
        var exact = store.dsl().fetch(stats.statsQuery(AGENT, from, to, null, 0, 0)).get(0);
        assertThat(rolled.runs()).isEqualTo(exact.get("runs", Long.class));
        assertThat(rolled.feedbackUp()).isEqualTo(exact.get("up", Long.class));
        assertThat(rolled.p50Latency().toNanos() / 1e6).isCloseTo(exact.get("p50", Double.class),
                org.assertj.core.api.Assertions.withinPercentage(5));
        assertThat(rolled.p95Latency().toNanos() / 1e6).isCloseTo(exact.get("p95", Double.class),
                org.assertj.core.api.Assertions.withinPercentage(5));
    }

    @Test
    void listing_an_agents_runs_reads_its_index_backwards_without_sorting_also_after_a_cursor_and_with_filters() {
        RunCursor cursor = new RunCursor(T0.plus(Duration.ofDays(45)), RunId.of(UUID.randomUUID()));
        for (RunFilter filter : new RunFilter[] {RunFilter.agent(AGENT), RunFilter.agent(AGENT).version(2),
                RunFilter.agent(AGENT).outcome(RunOutcome.ERROR).startedFrom(MONTH_FROM)}) {
            for (RunCursor after : new RunCursor[] {null, cursor}) {
                String plan = plan(runs.listQuery(filter, after, 51));

                assertThat(plan).as("%s after %s", filter, after)
                        .contains("\"Index Name\": \"agent_run_agent_started_idx\"")
                        .contains("\"Scan Direction\": \"Backward\"")
                        .doesNotContain("Seq Scan").doesNotContain("\"Node Type\": \"Sort\"");
            }
        }
    }

    @Test
    void listing_all_runs_of_the_tenant_uses_the_start_index_and_the_cursor_is_an_index_condition() {
        RunCursor cursor = new RunCursor(T0.plus(Duration.ofDays(45)), RunId.of(UUID.randomUUID()));

        String plan = plan(runs.listQuery(RunFilter.all(), cursor, 51));

        assertThat(plan).contains("\"Index Name\": \"agent_run_started_idx\"")
                .containsPattern("\"Index Cond\": \"[^\"]*ROW\\(started_at, id\\) < ROW\\(")
                .doesNotContain("Seq Scan").doesNotContain("\"Node Type\": \"Sort\"");
    }

    @Test
    void retention_finds_old_runs_through_the_start_index_and_deletes_them_by_primary_key() {
        String plan = plan(runs.retentionQuery(OffsetDateTime.ofInstant(T0.plus(Duration.ofDays(10)), ZoneOffset.UTC), 1000));

        assertThat(plan).contains("\"Index Name\": \"agent_run_started_idx\"")
                .contains("\"Index Name\": \"agent_run_pk\"")
                .doesNotContain("Seq Scan");
    }
}
