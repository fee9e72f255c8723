package dev.agentstore.agents;

import static dev.agentstore.schema.Tables.AGENT_RUN;
import static dev.agentstore.schema.Tables.AGENT_RUN_CHUNK;
import static dev.agentstore.schema.Tables.AGENT_RUN_TOOL_CALL;
import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;

import dev.agentstore.internal.StoreContext;
import dev.agentstore.schema.tables.AgentRunChunkTable;
import dev.agentstore.schema.tables.AgentRunTable;
import dev.agentstore.schema.tables.AgentRunToolCallTable;
import java.util.UUID;
import org.jooq.CommonTableExpression;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.Record2;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The statements of recording a run, rendered once per store: the run, its retrieved chunks and its
 * tool calls in ONE statement (data-modifying CTEs fed by arrays), so that a run costs one round trip
 * on the chat-turn hot path; and the update that makes the produced message name the run.
 */
final class RunStatements {

    private static final AgentRunTable R = AGENT_RUN;
    private static final AgentRunChunkTable C = AGENT_RUN_CHUNK;
    private static final AgentRunToolCallTable T = AGENT_RUN_TOOL_CALL;

    /** Inserts run, chunks and tool calls; returns the run id. */
    final RenderedQuery record;
    /** Sets conversation_message.agent_run_id of the produced message; returns its id, or no row. */
    final RenderedQuery linkMessage;

    private RunStatements(DSLContext dsl) {
        RenderedQuery.Params p = new RenderedQuery.Params();
        CommonTableExpression<Record2<String, UUID>> run = DSL.name("run").as(dsl.insertInto(R,
                        R.TENANT_ID, R.AGENT_ID, R.VERSION, R.SESSION_ID, R.MESSAGE_ID, R.INPUT, R.OUTPUT, R.STARTED_AT,
                        R.DURATION_MS, R.INPUT_TOKENS, R.OUTPUT_TOKENS, R.COST, R.SUCCESS, R.ERROR_MESSAGE, R.ROUTED_BY,
                        R.ROUTING_CONFIDENCE, R.ROUTING_REASON, R.QUALITY_SCORE, R.QUALITY_AT, R.METADATA, R.CREATED_AT, R.USER_ID)
                .values(p.param("tenant", R.TENANT_ID.getDataType()), p.param("agent", R.AGENT_ID.getDataType()),
                        p.param("version", R.VERSION.getDataType()), p.param("session", R.SESSION_ID.getDataType()),
                        p.param("message", R.MESSAGE_ID.getDataType()), p.param("input", R.INPUT.getDataType()),
                        p.param("output", R.OUTPUT.getDataType()), p.param("started_at", R.STARTED_AT.getDataType()),
                        p.param("duration_ms", R.DURATION_MS.getDataType()), p.param("input_tokens", R.INPUT_TOKENS.getDataType()),
                        p.param("output_tokens", R.OUTPUT_TOKENS.getDataType()), p.param("cost", R.COST.getDataType()),
                        p.param("success", R.SUCCESS.getDataType()), p.param("error_message", R.ERROR_MESSAGE.getDataType()),
                        p.param("routed_by", R.ROUTED_BY.getDataType()),
                        p.param("routing_confidence", R.ROUTING_CONFIDENCE.getDataType()),
                        p.param("routing_reason", R.ROUTING_REASON.getDataType()),
                        p.param("quality_score", R.QUALITY_SCORE.getDataType()), p.param("quality_at", R.QUALITY_AT.getDataType()),
                        p.param("metadata", R.METADATA.getDataType()), p.param("now", R.CREATED_AT.getDataType()),
                        p.param("user", R.USER_ID.getDataType()))
                .returningResult(R.TENANT_ID, R.ID));
        Field<String> runTenant = run.field(R.TENANT_ID);
        Field<UUID> runId = run.field(R.ID);

        Table<?> chunkRows = DSL.table("unnest({0}, {1}) with ordinality as {2}({3}, {4}, {5})",
                p.array("chunk_ids", SQLDataType.UUID, "uuid"), p.array("chunk_scores", SQLDataType.DOUBLE, "float8"),
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
                p.array("tool_names", SQLDataType.VARCHAR, "text"), p.array("tool_arguments", SQLDataType.VARCHAR, "text"),
                p.array("tool_result_sizes", SQLDataType.INTEGER, "int4"), p.array("tool_latencies", SQLDataType.BIGINT, "int8"),
                p.array("tool_outcomes", SQLDataType.VARCHAR, "text"), p.array("tool_errors", SQLDataType.VARCHAR, "text"),
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

        record = RenderedQuery.render(dsl, dsl.with(run).with(chunks).with(tools).select(runId).from(run), p);

        RenderedQuery.Params q = new RenderedQuery.Params();
        linkMessage = RenderedQuery.render(dsl, dsl.update(CONVERSATION_MESSAGE)
                .set(CONVERSATION_MESSAGE.AGENT_RUN_ID, q.param("run", CONVERSATION_MESSAGE.AGENT_RUN_ID.getDataType()))
                .where(CONVERSATION_MESSAGE.TENANT_ID.eq(q.param("tenant", CONVERSATION_MESSAGE.TENANT_ID.getDataType())),
                        CONVERSATION_MESSAGE.ID.eq(q.param("message", CONVERSATION_MESSAGE.ID.getDataType())))
                .returningResult(CONVERSATION_MESSAGE.ID), q);
    }

    /** The statements of this store (rendered once per store, on first use). */
    static RunStatements of(StoreContext context) {
        return context.shared(RunStatements.class, c -> new RunStatements(c.dsl()));
    }

    /** Renders with this context's settings (for tests). */
    static RunStatements render(DSLContext dsl) {
        return new RunStatements(dsl);
    }
}
