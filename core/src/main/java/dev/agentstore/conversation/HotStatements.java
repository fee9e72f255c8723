package dev.agentstore.conversation;

import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;
import static dev.agentstore.schema.Tables.CONVERSATION_SESSION;

import dev.agentstore.internal.NamedStatement;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.schema.tables.ConversationMessageTable;
import dev.agentstore.schema.tables.ConversationSessionTable;
import java.util.List;
import org.jooq.CommonTableExpression;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.Record1;
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

    /** Appends one message: takes the next sequence number and inserts; returns id and seq, or no row. */
    final NamedStatement append;
    /** The newest messages of a session, newest first. */
    final NamedStatement history;
    /** The newest messages before a sequence number, newest first. */
    final NamedStatement historyBefore;

    private HotStatements(DSLContext dsl) {
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
        history = NamedStatement.render(dsl, dsl.select(MESSAGE_COLUMNS).from(M)
                .where(M.TENANT_ID.eq(p("tenant", M.TENANT_ID)), M.SESSION_ID.eq(p("session", M.SESSION_ID)))
                .orderBy(M.SEQ.desc())
                .limit(p("count", DSL.field("count", Integer.class))));
        historyBefore = NamedStatement.render(dsl, dsl.select(MESSAGE_COLUMNS).from(M)
                .where(M.TENANT_ID.eq(p("tenant", M.TENANT_ID)), M.SESSION_ID.eq(p("session", M.SESSION_ID)),
                        M.SEQ.lt(p("before", M.SEQ)))
                .orderBy(M.SEQ.desc())
                .limit(p("count", DSL.field("count", Integer.class))));
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
