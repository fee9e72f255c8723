package dev.agentstore.agents;

import static dev.agentstore.schema.Tables.AGENT_RUN;
import static dev.agentstore.schema.Tables.AGENT_RUN_CHUNK;
import static dev.agentstore.schema.Tables.AGENT_RUN_TOOL_CALL;
import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;

import dev.agentstore.AgentStoreException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.conversation.MessageId;
import dev.agentstore.conversation.Rating;
import dev.agentstore.conversation.SessionId;
import dev.agentstore.document.ChunkId;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.Json;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.Timing;
import dev.agentstore.internal.Transactions;
import dev.agentstore.observe.Operation;
import dev.agentstore.schema.tables.AgentRunTable;
import dev.agentstore.schema.tables.records.AgentRunRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Query;
import org.jooq.Record1;
import org.jooq.Select;
import org.jooq.SelectLimitPercentStep;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The recorded runs of one tenant's agents: record a run (with its retrieved chunks, tool calls and
 * routing decision) in one call and one transaction, read and list runs, add the quality score and the
 * user's feedback when they arrive, and delete old runs.
 *
 * <pre>{@code
 * Runs runs = store.agents("acme").runs();
 * RunId id = runs.record(NewRun.succeeded(version.id(), started, took)
 *         .inSession(session.id()).answering(question.id()).producing(answer.id())
 *         .withTokens(812, 96).withRetrievedChunks(chunks).withToolCalls(calls));
 * runs.addFeedback(id, Rating.UP, null);
 * }</pre>
 *
 * <p><b>Retention and deletion follow the messages' rules</b>: a run in a session is deleted with the
 * session (directly or by conversation retention), a run answering a message is deleted with that
 * message; a run's retrieved chunks and tool calls go with it; a message that named a deleted run
 * keeps its content and loses the link. Runs outside sessions are removed with
 * {@link #deleteStartedBefore(Instant)}.
 *
 * <p>Thread-safe; obtained from {@link Agents#runs()}.
 */
public final class Runs {

    /** Largest page of runs one listing returns. */
    public static final int MAX_PAGE_SIZE = 1_000;
    /** Runs a retention run deletes per transaction unless told otherwise. */
    public static final int DEFAULT_RETENTION_BATCH_SIZE = 1_000;
    /** Largest retention batch. */
    public static final int MAX_RETENTION_BATCH_SIZE = 100_000;

    private static final AgentRunTable R = AGENT_RUN;

    private final Scope scope;
    private final DSLContext dsl;
    private final String tenant;
    private final RunStatements statements;

    private final Timing timing;

    Runs(Scope scope) {
        this.timing = Timing.of(scope.context);
        this.scope = scope;
        this.dsl = scope.dsl;
        this.tenant = scope.tenant;
        this.statements = RunStatements.of(scope.context);
    }

    // ------------------------------------------------------------------------------------------
    // recording

    /**
     * Records a run with its retrieved chunks and tool calls: one statement, which also adds the run to
     * the daily rollup the statistics read ({@link RunStatistics}; no trigger runs on this path), and, when
     * the run names the message it produced, one update of that message in the same transaction. All of
     * it is written or nothing is. Concurrent recordings of one agent version update different rollup rows
     * (4 shards per version and day) most of the time, so they rarely wait for each other.
     *
     * @param run the run
     * @return the id of the run
     * @throws NotFoundException when the agent version, the session or a message does not exist in this
     * tenant (nothing is written)
     * @throws InvalidInputException when run is null, startedAt is outside the years 1 to 9999 or a JSON
     * value cannot be written
     */
    public RunId record(NewRun run) {
        return timing.call(Operation.RUN_RECORD, () -> recordUntimed(run));
    }

    private RunId recordUntimed(NewRun run) {
        Checks.notNull(run, "run");
        Scope.instant(run.startedAt(), "startedAt");
        Map<String, Object> values = values(run);
        String what = "record a run of " + run.agentVersion();
        try {
            UUID id;
            if (run.producing() == null) {
                id = dsl.connectionResult(c -> insert(c, values));
            } else {
                id = Transactions.inJdbcTransaction(scope.context, c -> {
                    UUID inserted = insert(c, values);
                    if (!link(c, inserted, run.producing())) {
                        throw messageNotFound(run.producing());
                    }
                    return inserted;
                });
            }
            return RunId.of(id);
        } catch (DataAccessException e) {
            throw translate(e, what, run);
        }
    }

    private Map<String, Object> values(NewRun run) {
        JSONB metadata = Json.object(run.metadata(), "run metadata");
        int chunks = run.retrievedChunks().size();
        UUID[] chunkIds = new UUID[chunks];
        Double[] scores = new Double[chunks];
        for (int i = 0; i < chunks; i++) {
            RetrievedChunk c = run.retrievedChunks().get(i);
            chunkIds[i] = c.chunk().value();
            scores[i] = c.score();
        }
        int calls = run.toolCalls().size();
        String[] names = new String[calls];
        String[] arguments = new String[calls];
        Integer[] sizes = new Integer[calls];
        Long[] latencies = new Long[calls];
        String[] outcomes = new String[calls];
        String[] errors = new String[calls];
        for (int i = 0; i < calls; i++) {
            ToolCall t = run.toolCalls().get(i);
            names[i] = t.tool();
            arguments[i] = Json.object(t.arguments(), "arguments of tool call " + i + " ('" + t.tool() + "')").data();
            sizes[i] = t.resultSize();
            latencies[i] = t.latency().toMillis();
            outcomes[i] = t.outcome().dbValue();
            errors[i] = t.errorMessage();
        }
        OffsetDateTime now = scope.now();
        RoutingDecision routing = run.routing();
        Map<String, Object> v = new HashMap<>(64);
        v.put("tenant", tenant);
        v.put("agent", run.agentVersion().agent().value());
        v.put("version", run.agentVersion().version());
        v.put("session", run.session() == null ? null : run.session().value());
        v.put("message", run.answering() == null ? null : run.answering().value());
        v.put("input", run.input());
        v.put("output", run.output());
        v.put("started_at", Scope.odt(run.startedAt()));
        v.put("duration_ms", run.duration().toMillis());
        v.put("input_tokens", run.inputTokens());
        v.put("output_tokens", run.outputTokens());
        v.put("cost", run.cost());
        v.put("success", run.success());
        v.put("error_message", run.errorMessage());
        v.put("routed_by", routing == null ? null : routing.routedBy());
        v.put("routing_confidence", routing == null ? null : routing.confidence());
        v.put("routing_reason", routing == null ? null : routing.reason());
        v.put("quality_score", run.qualityScore());
        v.put("quality_at", run.qualityScore() == null ? null : now);
        v.put("metadata", metadata.data());
        v.put("user", run.userId());
        v.put("now", now);
        v.put("chunk_ids", chunkIds);
        v.put("chunk_scores", scores);
        v.put("tool_names", names);
        v.put("tool_arguments", arguments);
        v.put("tool_result_sizes", sizes);
        v.put("tool_latencies", latencies);
        v.put("tool_outcomes", outcomes);
        v.put("tool_errors", errors);
        return v;
    }

    private UUID insert(Connection c, Map<String, Object> values) throws SQLException {
        // the arrays bind typed (java.sql.Array of the connection), so that the statement keeps its
        // server-side prepared plan also under row-level security
        // (the map is this call's own)
        for (Map.Entry<String, String> a : ARRAY_TYPES.entrySet()) {
            Object v = values.get(a.getKey());
            if (v instanceof Object[] elements) {
                values.put(a.getKey(), c.createArrayOf(a.getValue(), elements));
            }
        }
        try (PreparedStatement ps = statements.record.prepare(c, values); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, UUID.class);
        }
    }

    /** The array parameters of the record statement and their PostgreSQL element types. */
    private static final Map<String, String> ARRAY_TYPES = Map.of("chunk_ids", "uuid", "chunk_scores", "float8",
            "tool_names", "text", "tool_arguments", "text", "tool_result_sizes", "int4", "tool_latencies", "int8",
            "tool_outcomes", "text", "tool_errors", "text");

    private boolean link(Connection c, UUID run, MessageId message) throws SQLException {
        try (PreparedStatement ps = statements.linkMessage.prepare(c, Map.of("run", run, "tenant", tenant,
                "message", message.value())); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private AgentStoreException translate(DataAccessException e, String what, NewRun run) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AgentStoreException a) {
                return a;
            }
        }
        if ("23503".equals(SqlErrors.sqlState(e))) {
            String constraint = Scope.constraint(e);
            NotFoundException nf;
            if ("agent_run_session_fk".equals(constraint)) {
                nf = new NotFoundException("cannot " + what + ": no conversation session " + run.session() + " for tenant '"
                        + tenant + "'; nothing was written");
            } else if ("agent_run_message_fk".equals(constraint)) {
                nf = messageNotFound(run.answering());
            } else {
                nf = scope.versionNotFound(run.agentVersion());
            }
            nf.initCause(e);
            return nf;
        }
        return SqlErrors.translate(e, what);
    }

    private NotFoundException messageNotFound(MessageId id) {
        return new NotFoundException("no conversation message " + id + " for tenant '" + tenant
                + "': a run can only name messages of its own tenant that exist; nothing was written");
    }

    // ------------------------------------------------------------------------------------------
    // reading

    /**
     * The run with this id, with its retrieved chunks and tool calls.
     *
     * @param id the id
     * @return the run with this id, with its retrieved chunks and tool calls
     * @throws NotFoundException when this tenant has no such run
     * @throws InvalidInputException when id is null
     */
    public Run get(RunId id) {
        return timing.call(Operation.RUN_READ, () -> getUntimed(id));
    }

    private Run getUntimed(RunId id) {
        return find(id).orElseThrow(() -> scope.runNotFound(id));
    }

    /**
     * The run with this id, or empty.
     *
     * @param id the id
     * @return the run with this id, or empty
     * @throws InvalidInputException when id is null
     */
    public Optional<Run> find(RunId id) {
        return timing.call(Operation.RUN_READ, () -> findUntimed(id));
    }

    private Optional<Run> findUntimed(RunId id) {
        Checks.notNull(id, "runId");
        return scope.run("read run " + id, () -> {
            List<AgentRunRecord> rows = dsl.selectFrom(R).where(R.TENANT_ID.eq(tenant), R.ID.eq(id.value())).fetch();
            List<Run> runs = withChildren(rows);
            return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
        });
    }

    /**
     * The run that produced a message ({@link NewRun#producing(MessageId)}), or empty when the message
     * names none (or does not exist in this tenant).
     *
     * @param message the message
     * @return the run that produced a message
     * @throws InvalidInputException when message is null
     */
    public Optional<Run> findByProducedMessage(MessageId message) {
        Checks.notNull(message, "messageId");
        Optional<UUID> run = scope.run("read the run of message " + message, () -> dsl.select(CONVERSATION_MESSAGE.AGENT_RUN_ID)
                .from(CONVERSATION_MESSAGE)
                .where(CONVERSATION_MESSAGE.TENANT_ID.eq(tenant), CONVERSATION_MESSAGE.ID.eq(message.value()),
                        CONVERSATION_MESSAGE.AGENT_RUN_ID.isNotNull())
                .fetchOptional(CONVERSATION_MESSAGE.AGENT_RUN_ID));
        return run.flatMap(r -> find(RunId.of(r)));
    }

    /**
     * The first page of the runs matching the filter, newest start first.
     *
     * @param filter which runs; not null ({@link RunFilter#all()} for all)
     * @param limit 1 to {@value #MAX_PAGE_SIZE}
     * @return the first page of the runs matching the filter, newest start first
     * @throws InvalidInputException when an argument is out of range
     */
    public RunPage list(RunFilter filter, int limit) {
        return list(filter, null, limit);
    }

    /**
     * A page of the runs matching the filter, newest start first, continuing after a cursor (keyset
     * paging): pass {@link RunPage#next()} of the previous page.
     *
     * @param filter which runs; not null
     * @param after where to continue, or null for the first page
     * @param limit 1 to {@value #MAX_PAGE_SIZE}
     * @return a page of the runs matching the filter, newest start first, continuing after a cursor
     * @throws InvalidInputException when an argument is out of range
     */
    public RunPage list(RunFilter filter, RunCursor after, int limit) {
        return timing.call(Operation.RUN_LIST, () -> listUntimed(filter, after, limit));
    }

    private RunPage listUntimed(RunFilter filter, RunCursor after, int limit) {
        Checks.notNull(filter, "filter");
        Checks.range(limit, 1, MAX_PAGE_SIZE, "limit");
        if (filter.from() != null) {
            Scope.instant(filter.from(), "filter from");
        }
        if (filter.to() != null) {
            Scope.instant(filter.to(), "filter to");
        }
        if (after != null) {
            Scope.instant(after.startedAt(), "cursor startedAt");
        }
        List<Run> rows = scope.run("list runs", () -> withChildren(listQuery(filter, after, limit + 1).fetch()));
        if (rows.size() > limit) {
            List<Run> page = rows.subList(0, limit);
            Run last = page.get(limit - 1);
            return new RunPage(page, new RunCursor(last.startedAt(), last.id()));
        }
        return new RunPage(rows, null);
    }

    /** The listing query (package-private for the query-plan test). */
    SelectLimitPercentStep<AgentRunRecord> listQuery(RunFilter filter, RunCursor after, int rows) {
        Condition where = R.TENANT_ID.eq(tenant);
        if (filter.agent() != null) {
            where = where.and(R.AGENT_ID.eq(filter.agent().value()));
        }
        if (filter.version() > 0) {
            where = where.and(R.VERSION.eq(filter.version()));
        }
        if (filter.outcome() != null) {
            where = where.and(R.SUCCESS.eq(filter.outcome() == RunOutcome.SUCCESS));
        }
        if (filter.from() != null) {
            where = where.and(R.STARTED_AT.ge(Scope.odt(filter.from())));
        }
        if (filter.to() != null) {
            where = where.and(R.STARTED_AT.lt(Scope.odt(filter.to())));
        }
        if (after != null) {
            where = where.and(DSL.row(R.STARTED_AT, R.ID).lt(Scope.odt(after.startedAt()), after.after().value()));
        }
        return dsl.selectFrom(R).where(where).orderBy(R.STARTED_AT.desc(), R.ID.desc()).limit(rows);
    }

    private List<Run> withChildren(List<AgentRunRecord> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = rows.stream().map(AgentRunRecord::getId).toList();
        Map<UUID, List<RetrievedChunk>> chunks = new HashMap<>();
        dsl.selectFrom(AGENT_RUN_CHUNK)
                .where(AGENT_RUN_CHUNK.TENANT_ID.eq(tenant), AGENT_RUN_CHUNK.RUN_ID.in(ids))
                .orderBy(AGENT_RUN_CHUNK.RUN_ID, AGENT_RUN_CHUNK.POSITION)
                .forEach(c -> chunks.computeIfAbsent(c.getRunId(), k -> new ArrayList<>())
                        .add(new RetrievedChunk(ChunkId.of(c.getChunkId()), c.getScore())));
        Map<UUID, List<ToolCall>> calls = new HashMap<>();
        dsl.selectFrom(AGENT_RUN_TOOL_CALL)
                .where(AGENT_RUN_TOOL_CALL.TENANT_ID.eq(tenant), AGENT_RUN_TOOL_CALL.RUN_ID.in(ids))
                .orderBy(AGENT_RUN_TOOL_CALL.RUN_ID, AGENT_RUN_TOOL_CALL.POSITION)
                .forEach(t -> calls.computeIfAbsent(t.getRunId(), k -> new ArrayList<>())
                        .add(new ToolCall(t.getToolName(), Json.toMap(t.getArguments()), t.getResultSize(),
                                Duration.ofMillis(t.getLatencyMs()), ToolOutcome.fromDb(t.getOutcome()), t.getErrorMessage())));
        List<Run> out = new ArrayList<>(rows.size());
        for (AgentRunRecord r : rows) {
            out.add(run(r, chunks.getOrDefault(r.getId(), List.of()), calls.getOrDefault(r.getId(), List.of())));
        }
        return out;
    }

    private static Run run(AgentRunRecord r, List<RetrievedChunk> chunks, List<ToolCall> calls) {
        RoutingDecision routing = r.getRoutedBy() == null ? null
                : new RoutingDecision(r.getRoutedBy(), r.getRoutingConfidence(), r.getRoutingReason());
        RunFeedback feedback = r.getFeedback() == null ? null
                : new RunFeedback(r.getFeedback() > 0 ? Rating.UP : Rating.DOWN, r.getFeedbackComment(),
                        r.getFeedbackAt().toInstant());
        return new Run(RunId.of(r.getId()), new AgentVersionId(AgentId.of(r.getAgentId()), r.getVersion()),
                r.getSessionId() == null ? null : SessionId.of(r.getSessionId()),
                r.getMessageId() == null ? null : MessageId.of(r.getMessageId()), r.getInput(), r.getOutput(),
                r.getStartedAt().toInstant(), Duration.ofMillis(r.getDurationMs()), r.getInputTokens(), r.getOutputTokens(),
                r.getCost() == null ? null : r.getCost().stripTrailingZeros(),
                Boolean.TRUE.equals(r.getSuccess()) ? RunOutcome.SUCCESS : RunOutcome.ERROR, r.getErrorMessage(), chunks, calls,
                routing, r.getQualityScore(), feedback, Json.toMap(r.getMetadata()), r.getUserId());
    }

    // ------------------------------------------------------------------------------------------
    // what arrives later

    /**
     * Records the user's feedback on a run, replacing any earlier feedback.
     *
     * @param comment what the user said, or null; not blank, at most 10,000 characters
     * @param id the id
     * @param rating the rating
     * @throws NotFoundException when this tenant has no such run
     * @throws InvalidInputException when an argument is null or out of range
     */
    public void addFeedback(RunId id, Rating rating, String comment) {
        Checks.notNull(id, "runId");
        Checks.notNull(rating, "rating");
        Checks.optionalText(comment, "comment", Ids.MAX_NOTE_LENGTH);
        OffsetDateTime now = scope.now();
        int updated = scope.run("record feedback on run " + id, () -> dsl.update(R)
                .set(R.FEEDBACK, (short) rating.score())
                .set(R.FEEDBACK_COMMENT, comment)
                .set(R.FEEDBACK_AT, now)
                .where(R.TENANT_ID.eq(tenant), R.ID.eq(id.value()))
                .execute());
        if (updated == 0) {
            throw scope.runNotFound(id);
        }
    }

    /**
     * Records (or replaces) the quality score of a run, e.g. from an evaluator that runs later.
     *
     * @param score 0 (worst) to 1 (best)
     * @param id the id
     * @throws NotFoundException when this tenant has no such run
     * @throws InvalidInputException when id is null or the score out of range
     */
    public void setQualityScore(RunId id, double score) {
        Checks.notNull(id, "runId");
        Checks.range(score, 0, 1, "score");
        OffsetDateTime now = scope.now();
        int updated = scope.run("record the quality score of run " + id, () -> dsl.update(R)
                .set(R.QUALITY_SCORE, score)
                .set(R.QUALITY_AT, now)
                .where(R.TENANT_ID.eq(tenant), R.ID.eq(id.value()))
                .execute());
        if (updated == 0) {
            throw scope.runNotFound(id);
        }
    }

    // ------------------------------------------------------------------------------------------
    // deletion

    /**
     * Deletes a run with its retrieved chunks and tool calls.
     *
     * @param id the id
     * @throws NotFoundException when this tenant has no such run
     * @throws InvalidInputException when id is null
     */
    public void delete(RunId id) {
        Checks.notNull(id, "runId");
        int deleted = scope.run("delete run " + id, () -> dsl.deleteFrom(R)
                .where(R.TENANT_ID.eq(tenant), R.ID.eq(id.value())).execute());
        if (deleted == 0) {
            throw scope.runNotFound(id);
        }
    }

    /**
     * Retention: deletes every run started before the instant (in a session or not), with its chunks
     * and tool calls, in batches of {@value #DEFAULT_RETENTION_BATCH_SIZE} runs per transaction.
     *
     * @param before the upper bound (exclusive)
     * @return retention: deletes every run started before the instant
     * @throws InvalidInputException when before is null or outside the years 1 to 9999
     */
    public RunRetentionResult deleteStartedBefore(Instant before) {
        return deleteStartedBefore(before, DEFAULT_RETENTION_BATCH_SIZE);
    }

    /**
     * Retention with a batch size of its own; batches already committed stay deleted when a later one fails.
     *
     * @param before runs started strictly before this instant go
     * @param batchSize runs per transaction, 1 to {@value #MAX_RETENTION_BATCH_SIZE}
     * @return retention with a batch size of its own
     * @throws InvalidInputException when an argument is out of range
     */
    public RunRetentionResult deleteStartedBefore(Instant before, int batchSize) {
        Checks.range(batchSize, 1, MAX_RETENTION_BATCH_SIZE, "batchSize");
        OffsetDateTime cutoff = Scope.odt(Scope.instant(before, "before"));
        long total = 0;
        int batches = 0;
        while (true) {
            int deleted = scope.run("delete old runs", () -> retentionQuery(cutoff, batchSize).execute());
            if (deleted == 0) {
                return new RunRetentionResult(total, batches);
            }
            total += deleted;
            batches++;
        }
    }

    /** One retention batch (package-private for the query-plan test). */
    Query retentionQuery(OffsetDateTime cutoff, int batchSize) {
        Select<Record1<UUID>> old = DSL.select(R.ID).from(R)
                .where(R.TENANT_ID.eq(tenant), R.STARTED_AT.lt(cutoff))
                .orderBy(R.STARTED_AT)
                .limit(batchSize);
        return dsl.deleteFrom(R).where(R.TENANT_ID.eq(tenant), R.ID.eq(DSL.any(DSL.array(old))));
    }
}
