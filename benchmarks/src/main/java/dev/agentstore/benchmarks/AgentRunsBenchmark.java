package dev.agentstore.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentstore.AgentStore;
import dev.agentstore.agents.AgentDefinition;
import dev.agentstore.agents.AgentId;
import dev.agentstore.agents.AgentVersionId;
import dev.agentstore.agents.Agents;
import dev.agentstore.agents.NewAgent;
import dev.agentstore.agents.NewRun;
import dev.agentstore.agents.RetrievedChunk;
import dev.agentstore.agents.RunFilter;
import dev.agentstore.agents.RunStatistics;
import dev.agentstore.agents.Runs;
import dev.agentstore.agents.ToolCall;
import dev.agentstore.agents.ToolSpec;
import dev.agentstore.document.ChunkId;
import dev.agentstore.testkit.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * Two parts.
 *
 * <p><b>Recording a run</b> (the chat-turn hot path): one run with 5 retrieved chunks and 2 tool calls
 * through {@link Runs#record}, next to the same end state written by hand-written JDBC (the run, chunk
 * and tool-call rows plus the run's share of the daily rollup the statistics read), in the same run on
 * the same database, each on a HikariCP pool of 8 connections, every run of ONE agent version: (a) the
 * straightforward transaction (insert the run, a batch of 5 chunk rows, a batch of 2 tool-call rows, the
 * two rollup upserts, commit) and (b) the same single statement agentstore sends (data-modifying CTEs over
 * arrays), written by hand; plus two variants of (b) that show what the rollup costs: every run on one
 * rollup shard (the lock contention the 4 shards avoid), and no rollup at all. Runs per second with 1 and
 * 8 threads; rounds alternate the order so that background load hits all alike; median round reported.
 *
 * <p><b>Statistics over many runs</b>: {@code full} 1,000,000 runs of one tenant over 90 days (a hot
 * agent with half of them, 19 agents sharing the other half, 3 versions each), 5 retrieved chunks and
 * 2 tool calls per run (5,000,000 and 2,000,000 rows), loaded in SQL, then VACUUM ANALYZE; {@code small}
 * 20,000 runs. Each query is timed over repeated calls through the API: per version and day, per
 * version, version comparison (30 days and 90 days), tool statistics, most retrieved chunks, chunks
 * never in a run rated up, one listing page.
 */
final class AgentRunsBenchmark implements Benchmark {

    private static final String TENANT = "bench";
    private static final int POOL_SIZE = 8;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public String name() {
        return "agents";
    }

    private interface Recorder {
        void record(int thread, int i) throws Exception;
    }

    /**
     * Runs both parts, or only those named in the system property {@code bench.agents.parts}
     * ({@code recording}, {@code statistics}, comma-separated), so that each full-size run fits the
     * time a benchmark may hold the shared machine.
     */
    @Override
    public void run(BenchEnv env) throws Exception {
        String parts = System.getProperty("bench.agents.parts", "recording,statistics");
        if (parts.contains("recording")) {
            TestDatabase db = env.database(3);
            try (AgentStore store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password())
                    .poolSize(POOL_SIZE).build();
                    HikariDataSource plainPool = pool(db)) {
                recording(env, store, plainPool);
            }
        }
        if (parts.contains("statistics")) {
            statistics(env);
        }
    }

    // ------------------------------------------------------------------------------------------ recording

    private void recording(BenchEnv env, AgentStore store, DataSource plainPool) throws Exception {
        int rounds = env.size(2, 5);
        int perThreadSingle = env.size(60, 2000);
        int perThreadMulti = env.size(25, 600);
        Agents agents = store.agents(TENANT);
        AgentId bot = AgentId.of("support-bot");
        agents.register(NewAgent.of(bot.value()));
        AgentVersionId version = agents.publish(bot, AgentDefinition.of("openai", "gpt-4o")
                .withTools(List.of(ToolSpec.of("lookup_order", null), ToolSpec.of("refund", null)))).version().id();
        Runs runs = agents.runs();
        List<ChunkId> chunkIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            chunkIds.add(ChunkId.of(UUID.randomUUID()));
        }
        String input = "Why was I charged twice for my subscription this month, and how do I get the money back?";
        String output = "You were charged twice because the renewal ran once before and once after the plan change. "
                + "The second charge is refunded automatically within five working days.";
        Map<String, Object> lookupArgs = Map.of("order", "A-10023");
        Map<String, Object> refundArgs = Map.of("order", "A-10023", "amount", 19.99);
        PlainJdbc plain = new PlainJdbc(plainPool, store.schema());

        Recorder viaAgentstore = (t, i) -> {
            Instant started = Instant.now();
            List<RetrievedChunk> chunks = new ArrayList<>(5);
            for (int k = 0; k < 5; k++) {
                chunks.add(RetrievedChunk.of(chunkIds.get(k), 0.9 - k * 0.05));
            }
            runs.record(NewRun.succeeded(version, started, Duration.ofMillis(700 + i % 300))
                    .withInput(input).withOutput(output).withTokens(812, 96).withCost(new BigDecimal("0.0031"))
                    .withRetrievedChunks(chunks)
                    .withToolCalls(List.of(ToolCall.succeeded("lookup_order", lookupArgs, 420, Duration.ofMillis(85)),
                            ToolCall.succeeded("refund", refundArgs, 64, Duration.ofMillis(240)))));
        };
        Recorder viaTransaction = (t, i) -> plain.transaction(version, input, output, 700L + i % 300, chunkIds, lookupArgs,
                refundArgs);
        Recorder viaStatement = (t, i) -> plain.statement(plain.oneStatement, version, input, output, 700L + i % 300, chunkIds,
                lookupArgs, refundArgs);
        Recorder oneShard = (t, i) -> plain.statement(plain.oneStatementOneShard, version, input, output, 700L + i % 300, chunkIds,
                lookupArgs, refundArgs);
        java.util.concurrent.atomic.AtomicLong withoutRollup = new java.util.concurrent.atomic.AtomicLong();
        Recorder noRollup = (t, i) -> {
            plain.statement(plain.oneStatementNoRollup, version, input, output, 700L + i % 300, chunkIds, lookupArgs, refundArgs);
            withoutRollup.incrementAndGet();
        };

        env.out().println("record a run = 1 run row + 5 retrieved-chunk rows + 2 tool-call rows + the run's share of the daily"
                + " rollup (1 upsert of its version/day row, 1 of its latency-bucket row), one transaction, all runs of ONE agent"
                + " version; HikariCP pool of " + POOL_SIZE + " for each; median of " + rounds + " rounds");
        env.out().println("  plain tx   = hand-written JDBC transaction: INSERT run RETURNING id, batch of 5, batch of 2, the two"
                + " rollup upserts, COMMIT");
        env.out().println("  plain stmt = hand-written JDBC, the same single statement agentstore sends (CTEs over arrays,"
                + " rollup upserts included)");
        env.out().println("  1 shard    = plain stmt with every run on rollup shard 0 (what the 4 shards per version and day avoid:"
                + " concurrent recordings of one version waiting for one row lock)");
        env.out().println("  no rollup  = plain stmt without the rollup upserts (only the run, chunk and tool-call rows);"
                + " rollup cost = no rollup r/s / agentstore r/s");
        env.out().println("  each thread count: a warm-up call of every kind, then ANALYZE of the run tables, then the rounds");
        env.out().printf("%-8s %16s %16s %16s %10s %10s %14s %14s %12s%n", "threads", "agentstore r/s", "plain tx r/s",
                "plain stmt r/s", "tx ratio", "stmt ratio", "1 shard r/s", "no rollup r/s", "rollup cost");
        for (int threads : new int[] {1, 8}) {
            int n = threads == 1 ? perThreadSingle : perThreadMulti;
            Recorder[] all = {viaAgentstore, viaTransaction, viaStatement, oneShard, noRollup};
            for (Recorder r : all) {
                measure(r, threads, Math.max(10, n / 5));
            }
            // statistics as a database in use has them (autovacuum would get there within a minute or so): a
            // connection's cached foreign-key check plans, made while agent_run was still empty, otherwise
            // scan agent_run_started_idx instead of agent_run_pk, on whichever pool touched the table first
            store.dsl().execute("ANALYZE " + store.schema() + ".agent_run, " + store.schema() + ".agent_run_chunk, "
                    + store.schema() + ".agent_run_tool_call, " + store.schema() + ".agent_run_daily, " + store.schema()
                    + ".agent_run_daily_latency, " + store.schema() + ".agent_version");
            double[][] rates = new double[all.length][rounds];
            for (int r = 0; r < rounds; r++) {
                // alternate the order so that background load hits all alike
                for (int k = 0; k < all.length; k++) {
                    int which = r % 2 == 0 ? k : all.length - 1 - k;
                    rates[which][r] = measure(all[which], threads, n);
                }
            }
            double a = median(rates[0]);
            double b = median(rates[1]);
            double c = median(rates[2]);
            double d = median(rates[3]);
            double e = median(rates[4]);
            env.out().printf("%-8d %16.0f %16.0f %16.0f %9.2fx %9.2fx %14.0f %14.0f %11.2fx%n", threads, a, b, c, b / a, c / a, d, e,
                    e / a);
            env.out().printf("%-8s %16s %16s %16s%n", "  spread", spread(rates[0]), spread(rates[1]), spread(rates[2]));
        }
        env.out().println("ratio = plain runs/s / agentstore runs/s (1.00x = as fast as hand-written JDBC; target <= 1.20x);"
                + " spread = slowest-fastest round, r/s");
        long rows = store.dsl().fetchCount(dev.agentstore.schema.Tables.AGENT_RUN_CHUNK);
        long rolled = store.dsl().select(org.jooq.impl.DSL.sum(dev.agentstore.schema.Tables.AGENT_RUN_DAILY.RUNS))
                .from(dev.agentstore.schema.Tables.AGENT_RUN_DAILY).fetchSingle().value1().longValue();
        long runRows = store.dsl().fetchCount(dev.agentstore.schema.Tables.AGENT_RUN);
        env.out().printf("(%d chunk rows written in total; %d runs: %d in the rollup, %d by the no-rollup baseline)%n",
                rows, runRows, rolled, withoutRollup.get());
    }

    private static String spread(double[] rates) {
        double min = Arrays.stream(rates).min().orElse(0);
        double max = Arrays.stream(rates).max().orElse(0);
        return String.format("%.0f-%.0f", min, max);
    }

    private static double measure(Recorder recorder, int threads, int perThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit((Callable<Void>) () -> {
                    ready.countDown();
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        recorder.record(thread, i);
                    }
                    return null;
                }));
            }
            ready.await();
            long start = System.nanoTime();
            go.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
            return threads * (double) perThread / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static HikariDataSource pool(TestDatabase db) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(POOL_SIZE);
        config.setPoolName("plain-jdbc");
        return new HikariDataSource(config);
    }

    /** The same rows written by hand: what a team would write without the library. */
    static final class PlainJdbc {

        private final DataSource dataSource;
        private final ObjectMapper json = new ObjectMapper();
        private final String insertRun;
        private final String insertChunk;
        private final String insertTool;
        private final String upsertDaily;
        private final String upsertLatency;
        final String oneStatement;
        final String oneStatementOneShard;
        final String oneStatementNoRollup;

        PlainJdbc(DataSource dataSource, String schema) {
            this.dataSource = dataSource;
            String runColumns = "tenant_id, agent_id, version, input, output, started_at, duration_ms, input_tokens, output_tokens,"
                    + " cost, success, metadata, created_at";
            this.insertRun = "INSERT INTO " + schema + ".agent_run (" + runColumns + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, '{}', ?) RETURNING id";
            this.insertChunk = "INSERT INTO " + schema + ".agent_run_chunk (tenant_id, run_id, position, chunk_id, score)"
                    + " VALUES (?, ?, ?, ?, ?)";
            this.insertTool = "INSERT INTO " + schema + ".agent_run_tool_call (tenant_id, run_id, position, tool_name, arguments,"
                    + " result_size, latency_ms, outcome) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, 'success')";
            String dailyColumns = " (tenant_id, agent_id, day, version, shard, runs, successes, duration_ms, input_tokens,"
                    + " output_tokens, cost, feedback_up, feedback_down, quality, scored)";
            String dailyConflict = " ON CONFLICT (tenant_id, agent_id, day, version, shard) DO UPDATE SET runs = t.runs + 1,"
                    + " successes = t.successes + 1, duration_ms = t.duration_ms + excluded.duration_ms,"
                    + " input_tokens = t.input_tokens + excluded.input_tokens, output_tokens = t.output_tokens + excluded.output_tokens,"
                    + " cost = t.cost + excluded.cost";
            String latencyConflict = " ON CONFLICT (tenant_id, agent_id, day, version, bucket, shard) DO UPDATE SET runs = t.runs + 1";
            // one run, success, no feedback or quality yet: its share of the rollup of its version, UTC day and shard
            this.upsertDaily = "INSERT INTO " + schema + ".agent_run_daily AS t" + dailyColumns
                    + " VALUES (?, ?, (?::timestamptz AT TIME ZONE 'UTC')::date, ?, " + schema + ".agent_run_rollup_shard(?),"
                    + " 1, 1, ?, ?, ?, ?, 0, 0, 0, 0)" + dailyConflict;
            this.upsertLatency = "INSERT INTO " + schema + ".agent_run_daily_latency AS t (tenant_id, agent_id, day, version, bucket,"
                    + " shard, runs) VALUES (?, ?, (?::timestamptz AT TIME ZONE 'UTC')::date, ?, " + schema
                    + ".agent_run_latency_bucket(?), " + schema + ".agent_run_rollup_shard(?), 1)" + latencyConflict;
            String inserts = "WITH run AS (INSERT INTO " + schema + ".agent_run (" + runColumns + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, '{}', ?)"
                    + " RETURNING tenant_id, id, agent_id, version, started_at, duration_ms, input_tokens, output_tokens, cost),"
                    + " chunks AS (INSERT INTO " + schema + ".agent_run_chunk (tenant_id, run_id, position, chunk_id, score)"
                    + " SELECT run.tenant_id, run.id, (c.ord - 1)::smallint, c.chunk_id, c.score"
                    + " FROM run, unnest(?::uuid[], ?::float8[]) WITH ORDINALITY AS c(chunk_id, score, ord) RETURNING position),"
                    + " tools AS (INSERT INTO " + schema + ".agent_run_tool_call (tenant_id, run_id, position, tool_name, arguments,"
                    + " result_size, latency_ms, outcome)"
                    + " SELECT run.tenant_id, run.id, (t.ord - 1)::smallint, t.name, t.args::jsonb, t.size, t.latency, 'success'"
                    + " FROM run, unnest(?::text[], ?::text[], ?::int4[], ?::int8[]) WITH ORDINALITY AS t(name, args, size, latency, ord)"
                    + " RETURNING position)";
            this.oneStatementNoRollup = inserts + " SELECT id FROM run";
            this.oneStatement = inserts + rollup(schema, schema + ".agent_run_rollup_shard(run.id)", dailyColumns, dailyConflict,
                    latencyConflict) + " SELECT id FROM run";
            this.oneStatementOneShard = inserts + rollup(schema, "0::smallint", dailyColumns, dailyConflict, latencyConflict)
                    + " SELECT id FROM run";
        }

        private static String rollup(String schema, String shard, String dailyColumns, String dailyConflict,
                String latencyConflict) {
            return ", daily AS (INSERT INTO " + schema + ".agent_run_daily AS t" + dailyColumns
                    + " SELECT run.tenant_id, run.agent_id, (run.started_at AT TIME ZONE 'UTC')::date, run.version, " + shard + ","
                    + " 1, 1, run.duration_ms, run.input_tokens, run.output_tokens, run.cost, 0, 0, 0, 0 FROM run" + dailyConflict
                    + " RETURNING tenant_id, agent_id, day, version, shard),"
                    + " latency AS (INSERT INTO " + schema + ".agent_run_daily_latency AS t (tenant_id, agent_id, day, version, bucket,"
                    + " shard, runs) SELECT d.tenant_id, d.agent_id, d.day, d.version, " + schema
                    + ".agent_run_latency_bucket(run.duration_ms), d.shard, 1 FROM daily d, run" + latencyConflict + " RETURNING runs)";
        }

        private int setRun(PreparedStatement ps, AgentVersionId version, String input, String output, long durationMs,
                OffsetDateTime now) throws SQLException {
            ps.setString(1, TENANT);
            ps.setString(2, version.agent().value());
            ps.setInt(3, version.version());
            ps.setString(4, input);
            ps.setString(5, output);
            ps.setObject(6, now);
            ps.setLong(7, durationMs);
            ps.setInt(8, 812);
            ps.setInt(9, 96);
            ps.setBigDecimal(10, new BigDecimal("0.0031"));
            ps.setObject(11, now);
            return 12;
        }

        private static OffsetDateTime now() {
            return OffsetDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        }

        void transaction(AgentVersionId version, String input, String output, long durationMs, List<ChunkId> chunks,
                Map<String, Object> lookupArgs, Map<String, Object> refundArgs) throws Exception {
            OffsetDateTime now = now();
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    UUID id;
                    try (PreparedStatement ps = c.prepareStatement(insertRun)) {
                        setRun(ps, version, input, output, durationMs, now);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            id = rs.getObject(1, UUID.class);
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement(insertChunk)) {
                        for (int k = 0; k < chunks.size(); k++) {
                            ps.setString(1, TENANT);
                            ps.setObject(2, id);
                            ps.setShort(3, (short) k);
                            ps.setObject(4, chunks.get(k).value());
                            ps.setDouble(5, 0.9 - k * 0.05);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    try (PreparedStatement ps = c.prepareStatement(insertTool)) {
                        tool(ps, id, 0, "lookup_order", json.writeValueAsString(lookupArgs), 420, 85);
                        tool(ps, id, 1, "refund", json.writeValueAsString(refundArgs), 64, 240);
                        ps.executeBatch();
                    }
                    try (PreparedStatement ps = c.prepareStatement(upsertDaily)) {
                        ps.setString(1, TENANT);
                        ps.setString(2, version.agent().value());
                        ps.setObject(3, now);
                        ps.setInt(4, version.version());
                        ps.setObject(5, id);
                        ps.setLong(6, durationMs);
                        ps.setLong(7, 812);
                        ps.setLong(8, 96);
                        ps.setBigDecimal(9, new BigDecimal("0.0031"));
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps = c.prepareStatement(upsertLatency)) {
                        ps.setString(1, TENANT);
                        ps.setString(2, version.agent().value());
                        ps.setObject(3, now);
                        ps.setInt(4, version.version());
                        ps.setLong(5, durationMs);
                        ps.setObject(6, id);
                        ps.executeUpdate();
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
        }

        private static void tool(PreparedStatement ps, UUID run, int position, String name, String args, int size, long latency)
                throws SQLException {
            ps.setString(1, TENANT);
            ps.setObject(2, run);
            ps.setShort(3, (short) position);
            ps.setString(4, name);
            ps.setString(5, args);
            ps.setInt(6, size);
            ps.setLong(7, latency);
            ps.addBatch();
        }

        void statement(String sql, AgentVersionId version, String input, String output, long durationMs, List<ChunkId> chunks,
                Map<String, Object> lookupArgs, Map<String, Object> refundArgs) throws Exception {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                int i = setRun(ps, version, input, output, durationMs, now());
                Object[] ids = new Object[chunks.size()];
                Object[] scores = new Object[chunks.size()];
                for (int k = 0; k < chunks.size(); k++) {
                    ids[k] = chunks.get(k).value();
                    scores[k] = 0.9 - k * 0.05;
                }
                ps.setArray(i++, c.createArrayOf("uuid", ids));
                ps.setArray(i++, c.createArrayOf("float8", scores));
                ps.setArray(i++, c.createArrayOf("text", new Object[] {"lookup_order", "refund"}));
                ps.setArray(i++, c.createArrayOf("text", new Object[] {json.writeValueAsString(lookupArgs),
                        json.writeValueAsString(refundArgs)}));
                ps.setArray(i++, c.createArrayOf("int4", new Object[] {420, 64}));
                ps.setArray(i, c.createArrayOf("int8", new Object[] {85L, 240L}));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ statistics

    private void statistics(BenchEnv env) throws Exception {
        int total = env.size(20_000, 1_000_000);
        int iterations = env.size(5, 30);
        TestDatabase db = env.database(3);
        long loadStart = System.nanoTime();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO agentstore.agent (tenant_id, agent_id, latest_version)"
                    + " SELECT '" + TENANT + "', 'agent-' || a, 3 FROM generate_series(0, 19) a");
            s.execute("INSERT INTO agentstore.agent_version (tenant_id, agent_id, version, content_hash, model_name)"
                    + " SELECT '" + TENANT + "', 'agent-' || a, v, sha256((a || '/' || v)::bytea), 'm'"
                    + " FROM generate_series(0, 19) a, generate_series(1, 3) v");
            double secondsApart = 90.0 * 86400 / total;
            // agent-0 (the hot agent) gets every second run; agents 1..19 share the rest; versions 1..3 interleaved
            s.execute("INSERT INTO agentstore.agent_run (tenant_id, agent_id, version, started_at, duration_ms,"
                    + " input_tokens, output_tokens, cost, success, error_message, feedback, feedback_at, quality_score, quality_at)"
                    + " SELECT '" + TENANT + "', CASE WHEN i % 2 = 0 THEN 'agent-0' ELSE 'agent-' || (1 + i % 19) END,"
                    + " 1 + (i % 7) % 3, t, 200 + (i::bigint * 7919) % 3000, 800, 90, 0.002, i % 17 <> 0,"
                    + " CASE WHEN i % 17 = 0 THEN 'boom' END,"
                    + " CASE WHEN i % 11 = 0 THEN 1 WHEN i % 13 = 0 THEN -1 END, CASE WHEN i % 11 = 0 OR i % 13 = 0 THEN t END,"
                    + " CASE WHEN i % 5 = 0 THEN 0.8 END, CASE WHEN i % 5 = 0 THEN t END"
                    + " FROM (SELECT i, timestamptz '2026-01-01 00:00:00+00' + i * interval '" + secondsApart + " seconds' AS t"
                    + " FROM generate_series(0, " + (total - 1) + ") i) g");
            // 5 chunks per run out of 20,000 distinct chunks; 2 tool calls out of 6 tools, 3% errors
            s.execute("INSERT INTO agentstore.agent_run_chunk (tenant_id, run_id, position, chunk_id, score)"
                    + " SELECT r.tenant_id, r.id, p, md5(((r.duration_ms * 31 + p * 977) % 20000)::text)::uuid, 0.9 - p * 0.05"
                    + " FROM agentstore.agent_run r, generate_series(0, 4) p");
            s.execute("INSERT INTO agentstore.agent_run_tool_call (tenant_id, run_id, position, tool_name, arguments, result_size,"
                    + " latency_ms, outcome, error_message)"
                    + " SELECT r.tenant_id, r.id, p, 'tool-' || ((r.duration_ms + p) % 6), '{}', 400, 20 + r.duration_ms % 200,"
                    + " CASE WHEN (r.duration_ms + p) % 33 = 0 THEN 'error' ELSE 'success' END,"
                    + " CASE WHEN (r.duration_ms + p) % 33 = 0 THEN 'failed' END"
                    + " FROM agentstore.agent_run r, generate_series(0, 1) p");
            // runs inserted with SQL outside agentstore join the daily rollup through the rebuild (V14)
            s.execute("SELECT agentstore.agent_run_rollup_rebuild('" + TENANT + "', NULL, NULL)");
            for (String table : new String[] {"agent", "agent_version", "agent_run", "agent_run_chunk", "agent_run_tool_call",
                    "agent_run_daily", "agent_run_daily_latency"}) {
                s.execute("VACUUM ANALYZE agentstore." + table);
            }
        }
        env.out().printf("%nstatistics over %,d runs (%,d chunk rows, %,d tool-call rows), loaded in %.0f s;"
                        + " 20 agents x 3 versions over 90 days: the hot agent has %,d runs, each other agent about %,d%n",
                total, total * 5L, total * 2L, (System.nanoTime() - loadStart) / 1e9, total / 2, total / 2 / 19);
        try (AgentStore store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(2)
                .build()) {
            RunStatistics stats = store.agents(TENANT).stats();
            Runs runs = store.agents(TENANT).runs();
            Instant monthFrom = T0.plus(Duration.ofDays(30));
            Instant monthTo = T0.plus(Duration.ofDays(60));
            Instant end = T0.plus(Duration.ofDays(90));
            env.out().printf("%-58s %12s %12s %10s%n", "query (through the API)", "p50 ms", "p95 ms", "rows");
            for (String agentName : new String[] {"agent-7", "agent-0"}) {
                AgentId agent = AgentId.of(agentName);
                String who = agentName.equals("agent-0") ? "hot agent" : "agent";
                time(env, who + ": per version and day, 30 days", iterations,
                        () -> stats.statsPerVersionAndDay(agent, monthFrom, monthTo, ZoneOffset.UTC).size());
                time(env, who + ": per version, 90 days", iterations, () -> stats.statsPerVersion(agent, T0, end).size());
                time(env, who + ": compare v1 and v2, 30 days", iterations,
                        () -> stats.compareVersions(agent, 1, 2, monthFrom, monthTo).a().runs() >= 0 ? 2 : 0);
                time(env, who + ": compare v1 and v2, 90 days", iterations,
                        () -> stats.compareVersions(agent, 1, 2, T0, end).a().runs() >= 0 ? 2 : 0);
                time(env, who + ": tool statistics, 30 days", iterations, () -> stats.toolStats(agent, monthFrom, monthTo).size());
                time(env, who + ": 20 most retrieved chunks, 30 days", iterations,
                        () -> stats.mostRetrievedChunks(agent, 0, monthFrom, monthTo, 20).size());
                time(env, who + ": 20 chunks never in a run rated up, 30 days", iterations,
                        () -> stats.chunksNeverInPositiveRuns(agent, 0, monthFrom, monthTo, 20).size());
                time(env, who + ": list 50 runs of version 2 (with children)", iterations,
                        () -> runs.list(RunFilter.agent(agent).version(2), 50).runs().size());
            }
            env.out().println("target: comparison and per-day statistics < 200 ms p50");
        }
    }

    private interface Query {
        int run() throws Exception;
    }

    private static void time(BenchEnv env, String label, int iterations, Query query) throws Exception {
        query.run();   // warm-up: plan, caches
        Stats s = new Stats(iterations);
        int rows = 0;
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            rows = query.run();
            s.add(System.nanoTime() - start);
        }
        env.out().printf("%-58s %12.1f %12.1f %10d%n", label, s.percentileMillis(50), s.percentileMillis(95), rows);
    }
}
