package dev.agentstore.agents;

import static dev.agentstore.schema.Tables.AGENT_RUN;
import static dev.agentstore.schema.Tables.AGENT_RUN_CHUNK;
import static dev.agentstore.schema.Tables.AGENT_RUN_DAILY;
import static dev.agentstore.schema.Tables.AGENT_RUN_DAILY_LATENCY;
import static dev.agentstore.schema.Tables.AGENT_RUN_TOOL_CALL;

import dev.agentstore.InvalidInputException;
import dev.agentstore.document.ChunkId;
import dev.agentstore.internal.Checks;
import dev.agentstore.schema.tables.AgentRunChunkTable;
import dev.agentstore.schema.tables.AgentRunTable;
import dev.agentstore.schema.tables.AgentRunToolCallTable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Statistics over the recorded runs of one agent, computed in SQL: per version and per day (runs,
 * success rate, latency mean / p50 / p95, tokens, cost, feedback, quality), two versions side by side,
 * tool error rates, the most retrieved chunks and the chunks retrieved but never in a run rated up.
 *
 * <pre>{@code
 * RunStatistics stats = store.agents("acme").stats();
 * VersionComparison c = stats.compareVersions(AgentId.of("support-bot"), 1, 2, weekAgo, now);
 * System.out.printf("success %+.1f points, p95 x%.2f%n", 100 * c.successRateChange(), c.p95LatencyRatio());
 * }</pre>
 *
 * <p>Every figure counts the runs <em>started</em> in {@code [from, to)}. The run-level figures
 * ({@link #statsPerVersion}, {@link #compareVersions}, {@link #statsPerVersionAndDay} in UTC) read the
 * whole UTC days of the period from the daily rollup (by its key) and the partial days at its two ends
 * from {@code agent_run_agent_started_idx}: their cost grows with the days of the period, not with the
 * runs. Counts, sums, means, feedback and quality are exact; p50 and p95 are estimated from the rollup's
 * latency histogram, within 5% of the exact continuous percentile. Per-day figures in a zone other than
 * UTC are computed from the runs (exact percentiles; the cost grows with the agent's runs in the period).
 * The rollup holds the runs recorded through {@link Runs#record}; runs inserted with plain SQL join it with
 * {@link #rebuildRollup}.
 *
 * <p>Thread-safe; obtained from {@link Agents#stats()}.
 */
public final class RunStatistics {

    /** Most chunks one chunk listing returns. */
    public static final int MAX_CHUNKS = 1_000;

    private static final AgentRunTable R = AGENT_RUN;
    private static final AgentRunChunkTable C = AGENT_RUN_CHUNK;
    private static final AgentRunToolCallTable T = AGENT_RUN_TOOL_CALL;

    private final Scope scope;
    private final DSLContext dsl;
    private final String tenant;

    RunStatistics(Scope scope) {
        this.scope = scope;
        this.dsl = scope.dsl;
        this.tenant = scope.tenant;
    }

    /**
     * Figures per version of the agent over the runs started in {@code [from, to)}, by version;
     * versions without runs in the period are absent. {@link RunStats#day()} is null.
     *
     * @param agent the agent
     * @param from start of the interval (inclusive)
     * @param to end of the interval (exclusive)
     * @return figures per version of the agent over the runs started in {@code [from, to)}, by version;
     *         versions without runs in the period are absent
     * @throws InvalidInputException when an argument is null, or the period reversed or outside the years 1 to 9999
     */
    public List<RunStats> statsPerVersion(AgentId agent, Instant from, Instant to) {
        return scope.run("compute run statistics of agent '" + agent + "'", () -> rolledUp(agent, from, to, false, 0, 0));
    }

    /**
     * Figures per version and per day (days taken in {@code zone}) over the runs started in
     * {@code [from, to)}, by version, then day; days without runs are absent.
     *
     * @param zone {@code ZoneOffset.UTC} or a region id such as {@code Europe/Berlin}
     * @param agent the agent
     * @param from start of the interval (inclusive)
     * @param to end of the interval (exclusive)
     * @return figures per version and per day
     * @throws InvalidInputException when an argument is null, the period reversed or outside the years 1 to 9999,
     * or the zone is a fixed offset other than UTC
     */
    public List<RunStats> statsPerVersionAndDay(AgentId agent, Instant from, Instant to, ZoneId zone) {
        String zoneName = zoneName(zone);
        if ("UTC".equals(zoneName)) {
            return scope.run("compute daily run statistics of agent '" + agent + "'", () -> rolledUp(agent, from, to, true, 0, 0));
        }
        return scope.run("compute daily run statistics of agent '" + agent + "'",
                () -> statsQuery(agent, from, to, zoneName, 0, 0).fetch(r -> stats(agent, r, true)));
    }

    /**
     * Two versions of the agent side by side over the runs started in {@code [from, to)}; a version
     * without runs in the period has zero runs and null latencies.
     *
     * @param agent the agent
     * @param a the first
     * @param b the second
     * @param from start of the interval (inclusive)
     * @param to end of the interval (exclusive)
     * @return two versions of the agent side by side over the runs started in {@code [from, to)}; a version
     *         without runs in the period has zero runs and null latencies
     * @throws InvalidInputException when an argument is null, a version is less than 1, the two versions
     * are the same, or the period is reversed or outside the years 1 to 9999
     */
    public VersionComparison compareVersions(AgentId agent, int a, int b, Instant from, Instant to) {
        AgentVersionId va = new AgentVersionId(Checks.notNull(agent, "agent"), a);
        AgentVersionId vb = new AgentVersionId(agent, b);
        if (a == b) {
            throw new InvalidInputException("compare two different versions, but both were " + a);
        }
        Map<Integer, RunStats> byVersion = new HashMap<>();
        scope.run("compare versions " + a + " and " + b + " of agent '" + agent + "'",
                () -> rolledUp(agent, from, to, false, a, b))
                .forEach(s -> byVersion.put(s.agentVersion().version(), s));
        return new VersionComparison(byVersion.getOrDefault(a, RunStats.none(va)), byVersion.getOrDefault(b, RunStats.none(vb)));
    }

    /**
     * Recomputes the daily rollup of this tenant's runs started in the UTC days {@code [fromDay, toDay)}
     * from the runs themselves, and returns how many runs the rollup of those days holds afterwards.
     *
     * <p>Only needed for runs written <em>without</em> agentstore: {@link Runs#record} writes a run's share of
     * the rollup in its own statement, and changes and deletions (feedback, quality, retention, erasure,
     * cascades) are kept by triggers, but a run inserted with plain SQL is not in the rollup (its
     * statistics miss it) until its days are rebuilt; delete such runs only after the rebuild. Holds a
     * {@code SHARE} lock on {@code agent_run} while it runs (recording, feedback and deletion of runs of
     * every tenant wait for it), so that no run is lost or counted twice.
     *
     * @param fromDay the first UTC day to rebuild
     * @param toDay the day after the last one; after {@code fromDay}
     * @return the number of runs the rebuilt days hold
     * @throws InvalidInputException when a day is null, outside the years 1 to 9999, or {@code toDay} is not after
     *         {@code fromDay}
     */
    public long rebuildRollup(LocalDate fromDay, LocalDate toDay) {
        Checks.notNull(fromDay, "fromDay");
        Checks.notNull(toDay, "toDay");
        if (fromDay.getYear() < 1 || toDay.getYear() > 9999 || !toDay.isAfter(fromDay)) {
            throw new InvalidInputException("rebuild the rollup of the UTC days [fromDay, toDay): toDay must be after fromDay,"
                    + " both within the years 1 to 9999, but they were " + fromDay + " and " + toDay);
        }
        return scope.run("rebuild the run rollup of " + fromDay + " to " + toDay, () -> dsl
                .select(DSL.function(DSL.name(scope.context.schema(), "agent_run_rollup_rebuild"), SQLDataType.BIGINT,
                        DSL.val(tenant), DSL.val(fromDay), DSL.val(toDay)))
                .fetchSingle().value1());
    }

    /**
     * The run-statistics query (package-private for the query-plan test).
     *
     * @param zone null for figures over the whole period, else the zone of the days
     * @param a 0, or the first of two versions to compare
     * @param b 0, or the second
     */
    ResultQuery<? extends Record> statsQuery(AgentId agent, Instant from, Instant to, String zone, int a, int b) {
        Checks.notNull(agent, "agent");
        Scope.period(from, to);
        Field<LocalDate> day = zone == null ? DSL.inline(null, SQLDataType.LOCALDATE)
                : DSL.field("(timezone({0}, {1}))::date", SQLDataType.LOCALDATE, DSL.val(zone), R.STARTED_AT);
        Condition where = R.TENANT_ID.eq(tenant).and(R.AGENT_ID.eq(agent.value()))
                .and(R.STARTED_AT.ge(Scope.odt(from))).and(R.STARTED_AT.lt(Scope.odt(to)));
        if (a > 0) {
            where = where.and(R.VERSION.in(a, b));
        }
        // by position: the zone is a bind parameter, so the day expression in GROUP BY would be another
        // parameter that PostgreSQL cannot prove equal to the one in the select list
        List<Field<?>> groupBy = zone == null ? List.of(DSL.inline(1)) : List.of(DSL.inline(1), DSL.inline(2));
        return dsl.select(R.VERSION, day.as("day"),
                        DSL.count().as("runs"),
                        DSL.count().filterWhere(R.SUCCESS).as("successes"),
                        DSL.avg(R.DURATION_MS).as("mean"),
                        DSL.percentileCont(new BigDecimal("0.5")).withinGroupOrderBy(R.DURATION_MS).as("p50"),
                        DSL.percentileCont(new BigDecimal("0.95")).withinGroupOrderBy(R.DURATION_MS).as("p95"),
                        DSL.sum(R.INPUT_TOKENS).as("input_tokens"),
                        DSL.sum(R.OUTPUT_TOKENS).as("output_tokens"),
                        DSL.sum(R.COST).as("cost"),
                        DSL.count().filterWhere(R.FEEDBACK.eq((short) 1)).as("up"),
                        DSL.count().filterWhere(R.FEEDBACK.eq((short) -1)).as("down"),
                        DSL.avg(R.QUALITY_SCORE.cast(SQLDataType.NUMERIC)).as("quality"),
                        DSL.count(R.QUALITY_SCORE).as("scored"))
                .from(R)
                .where(where)
                .groupBy(groupBy)
                .orderBy(DSL.inline(1), DSL.inline(2));
    }

    // ------------------------------------------------------------------------------------------ the rollup

    /**
     * The figures from the daily rollup (V10, sharded in V14: {@code agent_run_daily}, {@code agent_run_daily_latency},
     * written by {@link Runs#record}, kept by triggers on {@code agent_run} for updates and deletes; up to 4
     * shard rows per version and day, summed here) for the whole UTC days of {@code [from, to)}, plus the runs of the
     * partial days at its two ends read from {@code agent_run_agent_started_idx}: counts and sums are exact,
     * p50 / p95 come from the latency histogram (within 5%).
     */
    private List<RunStats> rolledUp(AgentId agent, Instant from, Instant to, boolean daily, int a, int b) {
        RollupQueries q = rollupQueries(agent, from, to, daily, a, b);
        Map<String, long[]> histograms = new HashMap<>();
        for (Record r : q.latency().fetch()) {
            String key = r.get(0, Integer.class) + "@" + r.get(1, LocalDate.class);
            histograms.computeIfAbsent(key, k -> new long[0]);
            histograms.put(key, append(histograms.get(key), r.get(2, Integer.class), r.get(3, Long.class)));
        }
        List<RunStats> out = new java.util.ArrayList<>();
        for (Record r : q.figures().fetch()) {
            int version = r.get(0, Integer.class);
            LocalDate day = daily ? r.get(1, LocalDate.class) : null;
            long runs = r.get("runs", Long.class);
            if (runs == 0) {
                continue;
            }
            long[] histogram = histograms.getOrDefault(version + "@" + day, new long[0]);
            BigDecimal quality = r.get("quality", BigDecimal.class);
            long scored = r.get("scored", Long.class);
            BigDecimal cost = r.get("cost", BigDecimal.class);
            out.add(new RunStats(new AgentVersionId(agent, version), day, runs, r.get("successes", Long.class),
                    Scope.millis(r.get("duration_ms", BigDecimal.class).divide(BigDecimal.valueOf(runs), java.math.MathContext.DECIMAL64)),
                    Scope.millis(LatencyHistogram.percentile(histogram, 0.5)),
                    Scope.millis(LatencyHistogram.percentile(histogram, 0.95)),
                    r.get("input_tokens", Long.class), r.get("output_tokens", Long.class),
                    cost == null ? BigDecimal.ZERO : cost.stripTrailingZeros(), r.get("up", Long.class), r.get("down", Long.class),
                    scored == 0 ? null : quality.divide(BigDecimal.valueOf(scored), java.math.MathContext.DECIMAL64).doubleValue(),
                    scored));
        }
        return out;
    }

    /** (bucket, count) pairs appended to a flat array. */
    private static long[] append(long[] pairs, int bucket, long count) {
        long[] more = java.util.Arrays.copyOf(pairs, pairs.length + 2);
        more[pairs.length] = bucket;
        more[pairs.length + 1] = count;
        return more;
    }

    /** The two rollup queries: figures and latency histogram per version (and UTC day). */
    record RollupQueries(ResultQuery<Record> figures, ResultQuery<Record> latency) {
    }

    /** The rollup queries (package-private for the query-plan test). */
    RollupQueries rollupQueries(AgentId agent, Instant from, Instant to, boolean daily, int a, int b) {
        Checks.notNull(agent, "agent");
        Scope.period(from, to);
        // whole UTC days [fullFrom, fullTo) come from the rollup; [from, edgeFrom) and [edgeTo, to) from the runs
        LocalDate firstDay = LocalDate.ofInstant(from, ZoneOffset.UTC);
        LocalDate fullFrom = firstDay.atStartOfDay(ZoneOffset.UTC).toInstant().equals(from) ? firstDay : firstDay.plusDays(1);
        LocalDate fullTo = LocalDate.ofInstant(to, ZoneOffset.UTC);
        Instant edgeFrom;
        Instant edgeTo;
        if (fullFrom.isBefore(fullTo)) {
            edgeFrom = fullFrom.atStartOfDay(ZoneOffset.UTC).toInstant();
            edgeTo = fullTo.atStartOfDay(ZoneOffset.UTC).toInstant();
        } else {
            fullTo = fullFrom;
            edgeFrom = to;
            edgeTo = to;
        }
        var D = AGENT_RUN_DAILY;
        var L = AGENT_RUN_DAILY_LATENCY;
        Condition rolled = D.TENANT_ID.eq(tenant).and(D.AGENT_ID.eq(agent.value())).and(D.DAY.ge(fullFrom)).and(D.DAY.lt(fullTo));
        Condition rolledLatency = L.TENANT_ID.eq(tenant).and(L.AGENT_ID.eq(agent.value())).and(L.DAY.ge(fullFrom))
                .and(L.DAY.lt(fullTo));
        Condition raw = R.TENANT_ID.eq(tenant).and(R.AGENT_ID.eq(agent.value()))
                .and(R.STARTED_AT.ge(Scope.odt(from)).and(R.STARTED_AT.lt(Scope.odt(edgeFrom)))
                        .or(R.STARTED_AT.ge(Scope.odt(edgeTo)).and(R.STARTED_AT.lt(Scope.odt(to)))));
        if (a > 0) {
            rolled = rolled.and(D.VERSION.in(a, b));
            rolledLatency = rolledLatency.and(L.VERSION.in(a, b));
            raw = raw.and(R.VERSION.in(a, b));
        }
        Field<LocalDate> rawDay = DSL.field("({0} AT TIME ZONE 'UTC')::date", SQLDataType.LOCALDATE, R.STARTED_AT);
        var n = SQLDataType.NUMERIC;
        var fromRollup = DSL.select(D.VERSION.as("version"), D.DAY.as("day"), D.RUNS.cast(n).as("runs"),
                        D.SUCCESSES.cast(n).as("successes"), D.DURATION_MS.cast(n).as("duration_ms"),
                        D.INPUT_TOKENS.cast(n).as("input_tokens"), D.OUTPUT_TOKENS.cast(n).as("output_tokens"), D.COST.as("cost"),
                        D.FEEDBACK_UP.cast(n).as("up"), D.FEEDBACK_DOWN.cast(n).as("down"), D.QUALITY.as("quality"),
                        D.SCORED.cast(n).as("scored"))
                .from(D).where(rolled);
        var fromRuns = DSL.select(R.VERSION, rawDay, DSL.count().cast(n), DSL.count().filterWhere(R.SUCCESS).cast(n),
                        DSL.sum(R.DURATION_MS), DSL.coalesce(DSL.sum(R.INPUT_TOKENS), BigDecimal.ZERO),
                        DSL.coalesce(DSL.sum(R.OUTPUT_TOKENS), BigDecimal.ZERO), DSL.coalesce(DSL.sum(R.COST), BigDecimal.ZERO),
                        DSL.count().filterWhere(R.FEEDBACK.eq((short) 1)).cast(n),
                        DSL.count().filterWhere(R.FEEDBACK.eq((short) -1)).cast(n),
                        DSL.coalesce(DSL.sum(R.QUALITY_SCORE.cast(n)), BigDecimal.ZERO), DSL.count(R.QUALITY_SCORE).cast(n))
                .from(R).where(raw).groupBy(DSL.inline(1), DSL.inline(2));
        var p = fromRollup.unionAll(fromRuns).asTable("p");
        List<Field<?>> keys = daily ? List.of(p.field("version"), p.field("day")) : List.of(p.field("version"));
        List<Field<?>> figures = new java.util.ArrayList<>(List.of(p.field("version"),
                daily ? p.field("day") : DSL.inline(null, SQLDataType.LOCALDATE).as("day")));
        for (String sum : List.of("runs", "successes", "duration_ms", "input_tokens", "output_tokens", "cost", "up", "down",
                "quality", "scored")) {
            figures.add(DSL.sum(p.field(sum, BigDecimal.class)).as(sum));
        }
        ResultQuery<Record> figureQuery = dsl.select(figures).from(p).groupBy(keys).orderBy(keys);

        Field<Integer> bucket = DSL.function(DSL.name(scope.context.schema(), "agent_run_latency_bucket"), SQLDataType.INTEGER,
                R.DURATION_MS);
        var latencyRollup = DSL.select(L.VERSION.as("version"), L.DAY.as("day"), L.BUCKET.as("bucket"), L.RUNS.cast(n).as("runs"))
                .from(L).where(rolledLatency);
        var latencyRuns = DSL.select(R.VERSION, rawDay, bucket, DSL.count().cast(n)).from(R).where(raw)
                .groupBy(DSL.inline(1), DSL.inline(2), DSL.inline(3));
        var h = latencyRollup.unionAll(latencyRuns).asTable("h");
        List<Field<?>> hKeys = new java.util.ArrayList<>(List.of(h.field("version"),
                daily ? h.field("day") : DSL.inline(null, SQLDataType.LOCALDATE).as("day"), h.field("bucket")));
        List<Field<?>> hGroup = daily ? List.of(h.field("version"), h.field("day"), h.field("bucket"))
                : List.of(h.field("version"), h.field("bucket"));
        List<Field<?>> hSelect = new java.util.ArrayList<>(hKeys);
        hSelect.add(DSL.sum(h.field("runs", BigDecimal.class)).as("runs"));
        ResultQuery<Record> latencyQuery = dsl.select(hSelect).from(h).groupBy(hGroup).orderBy(hGroup);
        return new RollupQueries(figureQuery, latencyQuery);
    }

    private static RunStats stats(AgentId agent, Record r, boolean daily) {
        BigDecimal cost = r.get("cost", BigDecimal.class);
        BigDecimal quality = r.get("quality", BigDecimal.class);
        return new RunStats(new AgentVersionId(agent, r.get(R.VERSION)), daily ? r.get("day", LocalDate.class) : null,
                r.get("runs", Long.class), r.get("successes", Long.class), Scope.millis(r.get("mean", BigDecimal.class)),
                Scope.millis(r.get("p50", Double.class)), Scope.millis(r.get("p95", Double.class)),
                Scope.sum(r.get("input_tokens", BigDecimal.class)), Scope.sum(r.get("output_tokens", BigDecimal.class)),
                cost == null ? BigDecimal.ZERO : cost.stripTrailingZeros(), r.get("up", Long.class), r.get("down", Long.class),
                quality == null ? null : quality.doubleValue(), r.get("scored", Long.class));
    }

    /**
     * Figures per version and tool over the tool calls of the runs started in {@code [from, to)}: calls,
     * errors, timeouts, mean and p95 latency; by version, then tool name.
     *
     * @param agent the agent
     * @param from start of the interval (inclusive)
     * @param to end of the interval (exclusive)
     * @return figures per version and tool over the tool calls of the runs started in {@code [from, to)}:
     *         calls, errors, timeouts, mean and p95 latency; by version, then tool name
     * @throws InvalidInputException when an argument is null, or the period reversed or outside the years 1 to 9999
     */
    public List<ToolStats> toolStats(AgentId agent, Instant from, Instant to) {
        Checks.notNull(agent, "agent");
        Scope.period(from, to);
        return scope.run("compute tool statistics of agent '" + agent + "'", () -> dsl
                .select(R.VERSION, T.TOOL_NAME,
                        DSL.count().as("calls"),
                        DSL.count().filterWhere(T.OUTCOME.eq(ToolOutcome.ERROR.dbValue())).as("errors"),
                        DSL.count().filterWhere(T.OUTCOME.eq(ToolOutcome.TIMEOUT.dbValue())).as("timeouts"),
                        DSL.avg(T.LATENCY_MS).as("mean"),
                        DSL.percentileCont(new BigDecimal("0.95")).withinGroupOrderBy(T.LATENCY_MS).as("p95"))
                .from(R)
                .join(T).on(T.TENANT_ID.eq(R.TENANT_ID), T.RUN_ID.eq(R.ID))
                .where(R.TENANT_ID.eq(tenant), T.TENANT_ID.eq(tenant), R.AGENT_ID.eq(agent.value()),
                        R.STARTED_AT.ge(Scope.odt(from)), R.STARTED_AT.lt(Scope.odt(to)))
                .groupBy(R.VERSION, T.TOOL_NAME)
                .orderBy(R.VERSION, T.TOOL_NAME)
                .fetch(r -> new ToolStats(new AgentVersionId(agent, r.get(R.VERSION)), r.get(T.TOOL_NAME),
                        r.get("calls", Long.class), r.get("errors", Long.class), r.get("timeouts", Long.class),
                        Scope.millis(r.get("mean", BigDecimal.class)), Scope.millis(r.get("p95", Double.class)))));
    }

    /**
     * The chunks the agent's runs started in {@code [from, to)} retrieved most often, most retrieved
     * first (ties by chunk id).
     *
     * @param version only this version, or 0 for all versions
     * @param limit 1 to {@value #MAX_CHUNKS}
     * @param agent the agent
     * @param from start of the interval (inclusive)
     * @param to end of the interval (exclusive)
     * @return the chunks the agent's runs started in {@code [from, to)} retrieved most often, most retrieved
     *         first (ties by chunk id)
     * @throws InvalidInputException when an argument is null or out of range
     */
    public List<ChunkStats> mostRetrievedChunks(AgentId agent, int version, Instant from, Instant to, int limit) {
        return chunks(agent, version, from, to, limit, false);
    }

    /**
     * The chunks the agent's runs started in {@code [from, to)} retrieved, but never in a run rated up
     * (candidates for better content or removal), most retrieved first.
     *
     * @param version only this version, or 0 for all versions
     * @param limit 1 to {@value #MAX_CHUNKS}
     * @param agent the agent
     * @param from start of the interval (inclusive)
     * @param to end of the interval (exclusive)
     * @return the chunks the agent's runs started in {@code [from, to)} retrieved, but never in a run rated up
     *         (candidates for better content or removal), most retrieved first
     * @throws InvalidInputException when an argument is null or out of range
     */
    public List<ChunkStats> chunksNeverInPositiveRuns(AgentId agent, int version, Instant from, Instant to, int limit) {
        return chunks(agent, version, from, to, limit, true);
    }

    private List<ChunkStats> chunks(AgentId agent, int version, Instant from, Instant to, int limit, boolean neverPositive) {
        Checks.notNull(agent, "agent");
        if (version < 0) {
            throw new InvalidInputException("version must be 0 (all versions) or a version number, but was " + version);
        }
        Scope.period(from, to);
        Checks.range(limit, 1, MAX_CHUNKS, "limit");
        Condition where = R.TENANT_ID.eq(tenant).and(C.TENANT_ID.eq(tenant)).and(R.AGENT_ID.eq(agent.value()))
                .and(R.STARTED_AT.ge(Scope.odt(from))).and(R.STARTED_AT.lt(Scope.odt(to)));
        if (version > 0) {
            where = where.and(R.VERSION.eq(version));
        }
        Field<Integer> retrievals = DSL.count();
        Field<Integer> positive = DSL.count().filterWhere(R.FEEDBACK.eq((short) 1));
        var query = dsl.select(C.CHUNK_ID, retrievals.as("retrievals"), DSL.avg(C.SCORE.cast(SQLDataType.NUMERIC)).as("score"),
                        positive.as("positive"))
                .from(R)
                .join(C).on(C.TENANT_ID.eq(R.TENANT_ID), C.RUN_ID.eq(R.ID))
                .where(where)
                .groupBy(C.CHUNK_ID);
        var having = neverPositive ? query.having(positive.eq(0)) : query;
        return scope.run("list the retrieved chunks of agent '" + agent + "'", () -> having
                .orderBy(retrievals.desc(), C.CHUNK_ID)
                .limit(limit)
                .fetch(r -> {
                    BigDecimal score = r.get("score", BigDecimal.class);
                    return new ChunkStats(ChunkId.of(r.get(C.CHUNK_ID, UUID.class)), r.get("retrievals", Long.class),
                            score == null ? null : score.doubleValue(), r.get("positive", Long.class));
                }));
    }

    private static String zoneName(ZoneId zone) {
        Checks.notNull(zone, "zone");
        if (zone instanceof ZoneOffset offset) {
            if (offset.getTotalSeconds() != 0) {
                throw new InvalidInputException("zone must be UTC or a region id such as Europe/Berlin, but was the fixed offset "
                        + offset + " (PostgreSQL reads offsets with the opposite sign)");
            }
            return "UTC";
        }
        return zone.getId();
    }
}
