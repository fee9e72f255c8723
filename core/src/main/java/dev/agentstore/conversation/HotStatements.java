package dev.agentstore.conversation;

import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;
import static dev.agentstore.schema.Tables.CONVERSATION_SESSION;

import dev.agentstore.internal.StoreContext;
import dev.agentstore.schema.tables.ConversationMessage;
import dev.agentstore.schema.tables.ConversationSession;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.CommonTableExpression;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.Record1;
import org.jooq.impl.DSL;

/**
 * The statements of a chat turn (append one message, read the history), built with jOOQ from the
 * generated tables but rendered once per schema instead of on every call: rendering costs about as
 * much CPU as the database needs to run them. Every value stays a bind parameter; the statements are
 * executed over the store's JDBC connections and the parameters set by name.
 *
 * <p>Immutable, thread-safe. The per-schema memo holds one small entry per agentstore schema.
 */
final class HotStatements {

    private static final ConversationSession S = CONVERSATION_SESSION;
    private static final ConversationMessage M = CONVERSATION_MESSAGE;
    private static final Pattern NAMED = Pattern.compile("(?<!:):([a-z0-9_]+)");

    /** The columns the history statements return, in this order. */
    static final List<Field<?>> MESSAGE_COLUMNS = List.of(M.ID, M.SESSION_ID, M.SEQ, M.ROLE, M.CONTENT, M.SOURCES,
            M.RESPONSE_TIME_MS, M.INPUT_TOKENS, M.OUTPUT_TOKENS, M.MODEL, M.METADATA, M.FEEDBACK, M.FEEDBACK_COMMENT,
            M.FEEDBACK_AT, M.CREATED_AT, M.TOOL_CALLS, M.TOOL_CALL_ID, M.TOOL_NAME);

    /** A statement with its parameter names in binding order. */
    record Statement(String sql, List<String> parameters, int[] sqlTypes) {

        /** Sets every parameter from the values by name; nulls typed like their column. */
        void bind(PreparedStatement ps, Map<String, Object> values) throws SQLException {
            for (int i = 0; i < parameters.size(); i++) {
                String name = parameters.get(i);
                if (!values.containsKey(name)) {
                    throw new IllegalStateException("no value for parameter " + name);
                }
                Object value = values.get(name);
                if (value == null) {
                    ps.setNull(i + 1, sqlTypes[i]);
                } else {
                    ps.setObject(i + 1, value);
                }
            }
        }
    }

    private final Map<String, Integer> types = new HashMap<>();

    /** Appends one message: takes the next sequence number and inserts; returns id and seq, or no row. */
    final Statement append;
    /** The newest messages of a session, newest first. */
    final Statement history;
    /** The newest messages before a sequence number, newest first. */
    final Statement historyBefore;

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
                        M.TOOL_NAME)
                .select(DSL.select(p("tenant", M.TENANT_ID), p("session", M.SESSION_ID), taken.field(S.LAST_SEQ),
                        p("role", M.ROLE), p("content", M.CONTENT), p("sources", M.SOURCES),
                        p("response_time_ms", M.RESPONSE_TIME_MS), p("input_tokens", M.INPUT_TOKENS),
                        p("output_tokens", M.OUTPUT_TOKENS), p("model", M.MODEL), p("metadata", M.METADATA),
                        p("now", M.CREATED_AT), p("tool_calls", M.TOOL_CALLS), p("tool_call_id", M.TOOL_CALL_ID),
                        p("tool_name", M.TOOL_NAME))
                        .from(taken))
                .returningResult(M.ID, M.SEQ);
        append = statement(dsl, insert);
        history = statement(dsl, dsl.select(MESSAGE_COLUMNS).from(M)
                .where(M.TENANT_ID.eq(p("tenant", M.TENANT_ID)), M.SESSION_ID.eq(p("session", M.SESSION_ID)))
                .orderBy(M.SEQ.desc())
                .limit(p("count", DSL.field("count", Integer.class))));
        historyBefore = statement(dsl, dsl.select(MESSAGE_COLUMNS).from(M)
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

    private <T> Param<T> p(String name, Field<T> like) {
        types.put(name, like.getDataType().getSQLType());
        return DSL.param(name, like.getDataType());
    }

    private Statement statement(DSLContext dsl, Query query) {
        String named = dsl.renderNamedParams(query);
        Matcher m = NAMED.matcher(named);
        List<String> names = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        while (m.find()) {
            if (!Character.isLetter(m.group(1).charAt(0))) {
                throw new IllegalStateException("unnamed parameter " + m.group() + " in " + named);
            }
            names.add(m.group(1));
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        int[] sqlTypes = new int[names.size()];
        for (int i = 0; i < sqlTypes.length; i++) {
            sqlTypes[i] = types.getOrDefault(names.get(i), Types.OTHER);
        }
        return new Statement(sql.toString(), List.copyOf(names), sqlTypes);
    }
}
