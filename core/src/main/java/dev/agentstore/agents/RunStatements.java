package dev.agentstore.agents;

import static dev.agentstore.schema.Tables.AGENT_RUN;
import static dev.agentstore.schema.Tables.AGENT_RUN_CHUNK;
import static dev.agentstore.schema.Tables.AGENT_RUN_DAILY;
import static dev.agentstore.schema.Tables.AGENT_RUN_DAILY_LATENCY;
import static dev.agentstore.schema.Tables.AGENT_RUN_TOOL_CALL;
import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;

import dev.agentstore.internal.NamedStatement;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.schema.tables.AgentRunChunkTable;
import dev.agentstore.schema.tables.AgentRunDailyLatencyTable;
import dev.agentstore.schema.tables.AgentRunDailyTable;
import dev.agentstore.schema.tables.AgentRunTable;
import dev.agentstore.schema.tables.AgentRunToolCallTable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;
import org.jooq.CommonTableExpression;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Record1;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The statements of recording a run, rendered once per store ({@link NamedStatement}): the run, its
 * retrieved chunks, its tool calls and the run's share of the daily rollup in ONE statement
 * (data-modifying CTEs fed by arrays), so that a run costs one round trip on the chat-turn hot path and
 * no trigger; and the update that makes the produced message name the run.
 *
 * <p>The rollup (V10, sharded in V14): one upsert of the run's {@code agent_run_daily} row and one of its
 * {@code agent_run_daily_latency} row, both of the shard its id falls into ({@code agent_run_rollup_shard}),
 * so that concurrent recordings of one agent version mostly take different row locks. The latency upsert
 * reads the daily upsert's row, so the daily row is always locked first, in the order the update and
 * delete triggers lock them (no deadlock with retention or feedback).
 */
final class RunStatements {

    private static final AgentRunTable R = AGENT_RUN;
    private static final AgentRunChunkTable C = AGENT_RUN_CHUNK;
    private static final AgentRunToolCallTable T = AGENT_RUN_TOOL_CALL;
    private static final AgentRunDailyTable D = AGENT_RUN_DAILY;
    private static final AgentRunDailyLatencyTable L = AGENT_RUN_DAILY_LATENCY;

    /** Inserts run, chunks, tool calls and the rollup upserts; returns the run id. */
    final NamedStatement record;
    /** Sets conversation_message.agent_run_id of the produced message; returns its id, or no row. */
    final NamedStatement linkMessage;

    private RunStatements(DSLContext dsl, String schema) {
        CommonTableExpression<?> run = DSL.name("run").as(dsl.insertInto(R,
                        R.TENANT_ID, R.AGENT_ID, R.VERSION, R.SESSION_ID, R.MESSAGE_ID, R.INPUT, R.OUTPUT, R.STARTED_AT,
                        R.DURATION_MS, R.INPUT_TOKENS, R.OUTPUT_TOKENS, R.COST, R.SUCCESS, R.ERROR_MESSAGE, R.ROUTED_BY,
                        R.ROUTING_CONFIDENCE, R.ROUTING_REASON, R.QUALITY_SCORE, R.QUALITY_AT, R.METADATA, R.CREATED_AT, R.USER_ID)
                .values(p("tenant", R.TENANT_ID), p("agent", R.AGENT_ID), p("version", R.VERSION), p("session", R.SESSION_ID),
                        p("message", R.MESSAGE_ID), p("input", R.INPUT), p("output", R.OUTPUT), p("started_at", R.STARTED_AT),
                        p("duration_ms", R.DURATION_MS), p("input_tokens", R.INPUT_TOKENS), p("output_tokens", R.OUTPUT_TOKENS),
                        p("cost", R.COST), p("success", R.SUCCESS), p("error_message", R.ERROR_MESSAGE),
                        p("routed_by", R.ROUTED_BY), p("routing_confidence", R.ROUTING_CONFIDENCE),
                        p("routing_reason", R.ROUTING_REASON), p("quality_score", R.QUALITY_SCORE),
                        p("quality_at", R.QUALITY_AT), p("metadata", R.METADATA), p("now", R.CREATED_AT), p("user", R.USER_ID))
                .returningResult(R.TENANT_ID, R.ID, R.AGENT_ID, R.VERSION, R.STARTED_AT, R.DURATION_MS, R.SUCCESS,
                        R.INPUT_TOKENS, R.OUTPUT_TOKENS, R.COST, R.FEEDBACK, R.QUALITY_SCORE));
        Field<String> runTenant = run.field(R.TENANT_ID);
        Field<UUID> runId = run.field(R.ID);

        Table<?> chunkRows = DSL.table("unnest({0}, {1}) with ordinality as {2}({3}, {4}, {5})",
                array("chunk_ids", SQLDataType.UUID), array("chunk_scores", SQLDataType.DOUBLE),
                DSL.name("c"), DSL.name("chunk_id"), DSL.name("score"), DSL.name("ord"));
        CommonTableExpression<Record1<Short>> chunks = DSL.name("chunks").as(dsl.insertInto(C,
                        C.TENANT_ID, C.RUN_ID, C.POSITION, C.CHUNK_ID, C.SCORE)
                .select(DSL.select(runTenant, runId,
                                DSL.field("({0} - 1)", SQLDataType.BIGINT, DSL.field(DSL.name("c", "ord"))).cast(SQLDataType.SMALLINT),
                                DSL.field(DSL.name("c", "chunk_id"), SQLDataType.UUID),
                                DSL.field(DSL.name("c", "score"), SQLDataType.DOUBLE))
                        .from(run, chunkRows))
                .returningResult(C.POSITION));

        Table<?> toolRows = DSL.table("unnest({0}, {1}, {2}, {3}, {4}, {5}) with ordinality as {6}({7}, {8}, {9}, {10}, {11}, {12}, {13})",
                array("tool_names", SQLDataType.VARCHAR), array("tool_arguments", SQLDataType.VARCHAR),
                array("tool_result_sizes", SQLDataType.INTEGER), array("tool_latencies", SQLDataType.BIGINT),
                array("tool_outcomes", SQLDataType.VARCHAR), array("tool_errors", SQLDataType.VARCHAR),
                DSL.name("t"), DSL.name("tool_name"), DSL.name("arguments"), DSL.name("result_size"), DSL.name("latency_ms"),
                DSL.name("outcome"), DSL.name("error_message"), DSL.name("ord"));
        CommonTableExpression<Record1<Short>> tools = DSL.name("tools").as(dsl.insertInto(T,
                        T.TENANT_ID, T.RUN_ID, T.POSITION, T.TOOL_NAME, T.ARGUMENTS, T.RESULT_SIZE, T.LATENCY_MS, T.OUTCOME,
                        T.ERROR_MESSAGE)
                .select(DSL.select(runTenant, runId,
                                DSL.field("({0} - 1)", SQLDataType.BIGINT, DSL.field(DSL.name("t", "ord"))).cast(SQLDataType.SMALLINT),
                                DSL.field(DSL.name("t", "tool_name"), SQLDataType.VARCHAR),
                                DSL.field("{0}::jsonb", T.ARGUMENTS.getDataType(), DSL.field(DSL.name("t", "arguments"))),
                                DSL.field(DSL.name("t", "result_size"), SQLDataType.INTEGER),
                                DSL.field(DSL.name("t", "latency_ms"), SQLDataType.BIGINT),
                                DSL.field(DSL.name("t", "outcome"), SQLDataType.VARCHAR),
                                DSL.field(DSL.name("t", "error_message"), SQLDataType.VARCHAR))
                        .from(run, toolRows))
                .returningResult(T.POSITION));

        // the run's share of the daily rollup: +1 run on its (agent version, UTC day, shard) row ...
        Field<LocalDate> day = DSL.field("({0} AT TIME ZONE 'UTC')::date", SQLDataType.LOCALDATE, run.field(R.STARTED_AT));
        Field<Short> shard = DSL.function(DSL.name(schema, "agent_run_rollup_shard"), SQLDataType.SMALLINT, runId);
        Field<Short> feedback = run.field(R.FEEDBACK);
        Field<Double> quality = run.field(R.QUALITY_SCORE);
        CommonTableExpression<?> daily = DSL.name("daily").as(dsl.insertInto(D,
                        D.TENANT_ID, D.AGENT_ID, D.DAY, D.VERSION, D.SHARD, D.RUNS, D.SUCCESSES, D.DURATION_MS, D.INPUT_TOKENS,
                        D.OUTPUT_TOKENS, D.COST, D.FEEDBACK_UP, D.FEEDBACK_DOWN, D.QUALITY, D.SCORED)
                .select(DSL.select(runTenant, run.field(R.AGENT_ID), day, run.field(R.VERSION), shard, DSL.inline(1L),
                                DSL.when(run.field(R.SUCCESS), DSL.inline(1L)).else_(DSL.inline(0L)),
                                run.field(R.DURATION_MS),
                                DSL.coalesce(run.field(R.INPUT_TOKENS).cast(SQLDataType.BIGINT), DSL.inline(0L)),
                                DSL.coalesce(run.field(R.OUTPUT_TOKENS).cast(SQLDataType.BIGINT), DSL.inline(0L)),
                                DSL.coalesce(run.field(R.COST), DSL.inline(BigDecimal.ZERO)),
                                DSL.when(feedback.eq(DSL.inline((short) 1)), DSL.inline(1L)).else_(DSL.inline(0L)),
                                DSL.when(feedback.eq(DSL.inline((short) -1)), DSL.inline(1L)).else_(DSL.inline(0L)),
                                DSL.coalesce(quality.cast(SQLDataType.NUMERIC), DSL.inline(BigDecimal.ZERO)),
                                DSL.when(quality.isNull(), DSL.inline(0L)).else_(DSL.inline(1L)))
                        .from(run))
                .onConflict(D.TENANT_ID, D.AGENT_ID, D.DAY, D.VERSION, D.SHARD)
                .doUpdate()
                .set(D.RUNS, D.RUNS.plus(DSL.excluded(D.RUNS)))
                .set(D.SUCCESSES, D.SUCCESSES.plus(DSL.excluded(D.SUCCESSES)))
                .set(D.DURATION_MS, D.DURATION_MS.plus(DSL.excluded(D.DURATION_MS)))
                .set(D.INPUT_TOKENS, D.INPUT_TOKENS.plus(DSL.excluded(D.INPUT_TOKENS)))
                .set(D.OUTPUT_TOKENS, D.OUTPUT_TOKENS.plus(DSL.excluded(D.OUTPUT_TOKENS)))
                .set(D.COST, D.COST.plus(DSL.excluded(D.COST)))
                .set(D.FEEDBACK_UP, D.FEEDBACK_UP.plus(DSL.excluded(D.FEEDBACK_UP)))
                .set(D.FEEDBACK_DOWN, D.FEEDBACK_DOWN.plus(DSL.excluded(D.FEEDBACK_DOWN)))
                .set(D.QUALITY, D.QUALITY.plus(DSL.excluded(D.QUALITY)))
                .set(D.SCORED, D.SCORED.plus(DSL.excluded(D.SCORED)))
                .returningResult(D.TENANT_ID, D.AGENT_ID, D.DAY, D.VERSION, D.SHARD));

        // ... and +1 in its latency bucket (after the daily row: it reads the daily upsert's row)
        Field<Integer> bucket = DSL.function(DSL.name(schema, "agent_run_latency_bucket"), SQLDataType.INTEGER,
                run.field(R.DURATION_MS));
        CommonTableExpression<?> latency = DSL.name("latency").as(dsl.insertInto(L,
                        L.TENANT_ID, L.AGENT_ID, L.DAY, L.VERSION, L.BUCKET, L.SHARD, L.RUNS)
                .select(DSL.select(daily.field(D.TENANT_ID), daily.field(D.AGENT_ID), daily.field(D.DAY), daily.field(D.VERSION),
                                bucket, daily.field(D.SHARD), DSL.inline(1L))
                        .from(daily, run))
                .onConflict(L.TENANT_ID, L.AGENT_ID, L.DAY, L.VERSION, L.BUCKET, L.SHARD)
                .doUpdate()
                .set(L.RUNS, L.RUNS.plus(DSL.excluded(L.RUNS)))
                .returningResult(L.RUNS));

        record = NamedStatement.render(dsl, dsl.with(run).with(chunks).with(tools).with(daily).with(latency)
                .select(runId).from(run));

        linkMessage = NamedStatement.render(dsl, dsl.update(CONVERSATION_MESSAGE)
                .set(CONVERSATION_MESSAGE.AGENT_RUN_ID, p("run", CONVERSATION_MESSAGE.AGENT_RUN_ID))
                .where(CONVERSATION_MESSAGE.TENANT_ID.eq(p("tenant", CONVERSATION_MESSAGE.TENANT_ID)),
                        CONVERSATION_MESSAGE.ID.eq(p("message", CONVERSATION_MESSAGE.ID)))
                .returningResult(CONVERSATION_MESSAGE.ID));
    }

    private static <T> Param<T> p(String name, Field<T> like) {
        return NamedStatement.Params.param(name, like);
    }

    /** An array parameter; its value is a {@link java.sql.Array} of the connection (so that it binds typed). */
    private static <T> Param<T[]> array(String name, org.jooq.DataType<T> elementType) {
        return DSL.param(name, elementType.getArrayDataType());
    }

    /** The statements of this store (rendered once per store, on first use). */
    static RunStatements of(StoreContext context) {
        return context.shared(RunStatements.class, c -> new RunStatements(c.dsl(), c.schema()));
    }
}
