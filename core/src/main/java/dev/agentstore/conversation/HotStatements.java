package dev.agentstore.conversation;

import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;
import static dev.agentstore.schema.Tables.CONVERSATION_SESSION;

import dev.agentstore.internal.NamedStatement;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.schema.tables.ConversationMessageTable;
import dev.agentstore.schema.tables.ConversationSessionTable;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.Select;
import org.jooq.SelectField;
import org.jooq.impl.DSL;

/**
 * The statements of a chat turn (append one message, read the history), built with jOOQ from the
 * generated tables but rendered once per schema instead of on every call ({@link NamedStatement}): rendering
 * costs about as much CPU as the database needs to run them. Every value stays a bind parameter, set by name;
 * rows are read by generated field ({@link #MESSAGE_COLUMNS} through {@link NamedStatement#columns()}).
 *
 * <p>Immutable, thread-safe. The per-schema memo holds one small entry per agentstore schema.
 */
final class HotStatements {

    private static final ConversationSessionTable S = CONVERSATION_SESSION;
    private static final ConversationMessageTable M = CONVERSATION_MESSAGE;

    /** The columns the history statements return, in this order. */
    static final List<Field<?>> MESSAGE_COLUMNS = List.of(M.ID, M.SESSION_ID, M.SEQ, M.ROLE, M.CONTENT, M.SOURCES,
            M.RESPONSE_TIME_MS, M.INPUT_TOKENS, M.OUTPUT_TOKENS, M.MODEL, M.METADATA, M.FEEDBACK, M.FEEDBACK_COMMENT,
            M.FEEDBACK_AT, M.CREATED_AT, M.TOOL_CALLS, M.TOOL_CALL_ID, M.TOOL_NAME, M.AGENT_RUN_ID);

    /**
     * History reads of up to this many messages get a statement of their own with the count as a constant (rendered
     * on first use); larger ones share one statement with the count as a parameter.
     */
    static final int CONSTANT_LIMITS = 100;

    /** Appends of up to this many messages keep their statement ({@link #append(int)}). */
    static final int KEPT_APPENDS = 8;

    /** Appends one message: takes the next sequence number and inserts; returns id and seq, or no row. */
    final NamedStatement append;
    /** The newest messages of a session, newest first; the count is parameter {@code count}. */
    private final NamedStatement history;
    /** The newest messages before a sequence number ({@code before}), newest first; the count is {@code count}. */
    private final NamedStatement historyBefore;
    private final DSLContext dsl;
    /** Per count up to {@link #CONSTANT_LIMITS}: the history statements with that count as a constant (index 0: before). */
    private final AtomicReferenceArray<NamedStatement> constantHistory = new AtomicReferenceArray<>(2 * (CONSTANT_LIMITS + 1));
    /** Per number of messages up to {@link #KEPT_APPENDS}: the append statement ({@link #append(int)}). */
    private final AtomicReferenceArray<NamedStatement> appends = new AtomicReferenceArray<>(KEPT_APPENDS + 1);

    private HotStatements(DSLContext dsl) {
        this.dsl = dsl;
        CommonTableExpression<Record1<Long>> taken = DSL.name("taken").as(DSL.update(S)
                .set(S.LAST_SEQ, S.LAST_SEQ.plus(DSL.inline(1L)))
                .set(S.LAST_ACTIVITY_AT, DSL.greatest(S.LAST_ACTIVITY_AT, p("now", S.LAST_ACTIVITY_AT)))
                .set(S.UPDATED_AT, DSL.greatest(S.UPDATED_AT, p("now", S.UPDATED_AT)))
                .where(S.TENANT_ID.eq(p("tenant", S.TENANT_ID)), S.ID.eq(p("session", S.ID)))
                .returningResult(S.LAST_SEQ));
        Query insert = dsl.with(taken)
                .insertInto(M, M.TENANT_ID, M.SESSION_ID, M.SEQ, M.ROLE, M.CONTENT, M.SOURCES, M.RESPONSE_TIME_MS,
                        M.INPUT_TOKENS, M.OUTPUT_TOKENS, M.MODEL, M.METADATA, M.CREATED_AT, M.TOOL_CALLS, M.TOOL_CALL_ID,
                        M.TOOL_NAME, M.AGENT_RUN_ID)
                .select(DSL.select(p("tenant", M.TENANT_ID), p("session", M.SESSION_ID), taken.field(S.LAST_SEQ),
                        p("role", M.ROLE), p("content", M.CONTENT), p("sources", M.SOURCES),
                        p("response_time_ms", M.RESPONSE_TIME_MS), p("input_tokens", M.INPUT_TOKENS),
                        p("output_tokens", M.OUTPUT_TOKENS), p("model", M.MODEL), p("metadata", M.METADATA),
                        p("now", M.CREATED_AT), p("tool_calls", M.TOOL_CALLS), p("tool_call_id", M.TOOL_CALL_ID),
                        p("tool_name", M.TOOL_NAME), p("agent_run", M.AGENT_RUN_ID))
                        .from(taken))
                .returningResult(M.ID, M.SEQ);
        append = NamedStatement.render(dsl, insert);
        history = renderHistory(false, p("count", DSL.field("count", Integer.class)));
        historyBefore = renderHistory(true, p("count", DSL.field("count", Integer.class)));
    }

    /**
     * The statement appending {@code n} (2 or more) messages in one statement: takes {@code n} sequence numbers on the
     * session row (the row lock serialises concurrent appends; READ COMMITTED re-reads {@code last_seq} after the
     * wait) and inserts the messages with them; returns {@code (id, seq)} per message, or no row when the tenant has
     * no such session. Parameters {@code tenant}, {@code session}, {@code now} and, per message {@code i} (0-based),
     * the single append's names with the suffix {@code _i} ({@code role_0}, {@code content_0}, ...). Kept for up to
     * {@link #KEPT_APPENDS} messages, rendered per call above.
     */
    NamedStatement append(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("append(n) is for 2 or more messages, but n = " + n);
        }
        if (n > KEPT_APPENDS) {
            return renderAppend(n);
        }
        NamedStatement s = appends.get(n);
        if (s == null) {
            s = renderAppend(n);
            if (!appends.compareAndSet(n, null, s)) {
                s = appends.get(n);
            }
        }
        return s;
    }

    private NamedStatement renderAppend(int n) {
        CommonTableExpression<Record1<Long>> taken = DSL.name("taken").as(DSL.update(S)
                .set(S.LAST_SEQ, S.LAST_SEQ.plus(DSL.inline((long) n)))
                .set(S.LAST_ACTIVITY_AT, DSL.greatest(S.LAST_ACTIVITY_AT, p("now", S.LAST_ACTIVITY_AT)))
                .set(S.UPDATED_AT, DSL.greatest(S.UPDATED_AT, p("now", S.UPDATED_AT)))
                .where(S.TENANT_ID.eq(p("tenant", S.TENANT_ID)), S.ID.eq(p("session", S.ID)))
                .returningResult(S.LAST_SEQ));
        Field<Long> last = taken.field(S.LAST_SEQ);
        Select<Record> rows = null;
        for (int i = 0; i < n; i++) {
            String x = "_" + i;
            Select<Record> row = DSL.select(List.<SelectField<?>>of(p("tenant", M.TENANT_ID), p("session", M.SESSION_ID),
                    i == n - 1 ? last : last.minus(DSL.inline((long) (n - 1 - i))),
                    p("role" + x, M.ROLE), p("content" + x, M.CONTENT), p("sources" + x, M.SOURCES),
                    p("response_time_ms" + x, M.RESPONSE_TIME_MS), p("input_tokens" + x, M.INPUT_TOKENS),
                    p("output_tokens" + x, M.OUTPUT_TOKENS), p("model" + x, M.MODEL), p("metadata" + x, M.METADATA),
                    p("now", M.CREATED_AT), p("tool_calls" + x, M.TOOL_CALLS), p("tool_call_id" + x, M.TOOL_CALL_ID),
                    p("tool_name" + x, M.TOOL_NAME), p("agent_run" + x, M.AGENT_RUN_ID)))
                    .from(taken);
            rows = rows == null ? row : rows.unionAll(row);
        }
        return NamedStatement.render(dsl, dsl.with(taken)
                .insertInto(M)
                .columns(List.<Field<?>>of(M.TENANT_ID, M.SESSION_ID, M.SEQ, M.ROLE, M.CONTENT, M.SOURCES, M.RESPONSE_TIME_MS,
                        M.INPUT_TOKENS, M.OUTPUT_TOKENS, M.MODEL, M.METADATA, M.CREATED_AT, M.TOOL_CALLS, M.TOOL_CALL_ID,
                        M.TOOL_NAME, M.AGENT_RUN_ID))
                .select(rows)
                .returningResult(M.ID, M.SEQ));
    }

    private NamedStatement renderHistory(boolean before, Field<Integer> count) {
        Condition where = M.TENANT_ID.eq(p("tenant", M.TENANT_ID)).and(M.SESSION_ID.eq(p("session", M.SESSION_ID)));
        if (before) {
            where = where.and(M.SEQ.lt(p("before", M.SEQ)));
        }
        return NamedStatement.render(dsl, dsl.select(MESSAGE_COLUMNS).from(M).where(where).orderBy(M.SEQ.desc()).limit(count));
    }

    /**
     * The statement reading the newest {@code count} messages of a session (before sequence number {@code before},
     * when {@code before}), newest first; parameters {@code tenant}, {@code session}, {@code before} and {@code count}
     * (the statement may ignore the last two).
     *
     * <p>Why a statement per count: with the count as a parameter, PostgreSQL's plan cache costs the generic plan's
     * {@code LIMIT} as 10 % of the session's rows, so for sessions of some hundred messages it keeps choosing a
     * custom plan and plans the statement on every call (about 40 µs, and more under row-level security, whose
     * policies are planned too; measured with {@code pg_stat_statements}, issue #16). With the count a constant the
     * generic plan costs what a custom one would and is reused.
     */
    NamedStatement history(boolean before, int count) {
        if (count < 1 || count > CONSTANT_LIMITS) {
            return before ? historyBefore : history;
        }
        int slot = 2 * count + (before ? 0 : 1);
        NamedStatement s = constantHistory.get(slot);
        if (s == null) {
            s = renderHistory(before, DSL.inline(count));
            if (!constantHistory.compareAndSet(slot, null, s)) {
                s = constantHistory.get(slot);
            }
        }
        return s;
    }

    /** The statements of this store (rendered once per store, on first use). */
    static HotStatements of(StoreContext context) {
        return context.shared(HotStatements.class, c -> render(c.dsl()));
    }

    /** Renders the statements with this context's settings (schema mapping included). */
    static HotStatements render(DSLContext dsl) {
        return new HotStatements(dsl);
    }

    private static <T> Param<T> p(String name, Field<T> like) {
        return NamedStatement.Params.param(name, like);
    }
}
