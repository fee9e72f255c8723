package dev.agentstore.conversation;

import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;
import static dev.agentstore.schema.Tables.CONVERSATION_SESSION;

import dev.agentstore.AgentStoreException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.TenantId;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.Columns;
import dev.agentstore.internal.Json;
import dev.agentstore.internal.NamedStatement;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.internal.Timing;
import dev.agentstore.observe.Operation;
import dev.agentstore.schema.tables.ConversationMessageTable;
import dev.agentstore.schema.tables.ConversationSessionTable;
import dev.agentstore.schema.tables.records.ConversationMessageRecord;
import dev.agentstore.schema.tables.records.ConversationSessionRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Query;
import org.jooq.Record1;
import org.jooq.Select;
import org.jooq.SelectLimitPercentStep;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Chat history of one tenant: sessions, their ordered messages, feedback, retention and statistics.
 *
 * <pre>{@code
 * Conversations chats = store.conversations("acme");
 * Session session = chats.open(NewSession.of("alice", "support-bot").withTitle("Billing"));
 * chats.addMessage(session.id(), NewMessage.user("Why was I charged twice?"));
 * chats.addMessage(session.id(), NewMessage.assistant(answer).withResponseTime(took).withTokens(812, 96));
 * List<Message> window = chats.listLastMessages(session.id(), 20);
 * }</pre>
 *
 * <p>Every call sees only this tenant's rows: an id of another tenant's session or message is
 * reported exactly like an unknown id ({@link NotFoundException}). Bad arguments throw
 * {@link InvalidInputException} before any SQL runs; every write is one transaction, so a failed
 * call writes nothing. Database failures throw {@link AgentStoreException} (or a subclass), with the
 * cause kept. Timestamps come from the store's clock ({@code AgentStore.Builder.clock}) at
 * microsecond precision.
 *
 * <p>Thread-safe and cheap to create; obtained from {@code AgentStore.conversations(tenant)}.
 */
public final class Conversations {

    /** Largest page of sessions or messages one call returns. */
    public static final int MAX_PAGE_SIZE = 1_000;
    /** Sessions a retention run deletes per transaction unless told otherwise. */
    public static final int DEFAULT_RETENTION_BATCH_SIZE = 1_000;
    /** Largest retention batch. */
    public static final int MAX_RETENTION_BATCH_SIZE = 100_000;
    /** Most messages one {@link #addMessages(SessionId, List)} call appends. */
    public static final int MAX_MESSAGES_PER_CALL = 1_000;

    private static final ConversationSessionTable S = CONVERSATION_SESSION;
    private static final ConversationMessageTable M = CONVERSATION_MESSAGE;
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    private static final String MAX_LENGTH_OPTION = "AgentStore.Builder.maxMessageLength(...)";

    private final StoreContext context;
    private final DSLContext dsl;
    private final String tenant;
    private final HotStatements hot;

    private final Timing timing;

    /**
     * A facade for one tenant. Obtained from {@code AgentStore.conversations(tenant)}; only agentstore constructs it.
     *
     * @throws NullPointerException when an argument is null
     */
    Conversations(StoreContext context, TenantId tenant) {
        this.timing = Timing.of(context);
        this.context = Objects.requireNonNull(context, "context");
        this.dsl = context.dsl();
        this.tenant = Objects.requireNonNull(tenant, "tenant").value();
        this.hot = HotStatements.of(context);
    }

    /**
     * Existing history of this tenant: sessions found by the host's own key, messages appended with
     * their original timestamps and ids, bulk import through {@code COPY}, message-level retention.
     *
     * @return existing history of this tenant
     */
    public ConversationHistory history() {
        return new ConversationHistory(context, TenantId.of(tenant));
    }

    // ------------------------------------------------------------------------------------------
    // sessions

    /**
     * Opens a new, empty session.
     *
     * @param session user, agent, title and metadata, all optional; not null
     * @return the session as stored
     * @throws InvalidInputException when session is null or its metadata cannot be written as JSON
     */
    public Session open(NewSession session) {
        return timing.call(Operation.SESSION_OPEN, () -> openUntimed(session));
    }

    private Session openUntimed(NewSession session) {
        Checks.notNull(session, "session");
        JSONB metadata = context.limits().metadata(session.metadata(), "session metadata");
        OffsetDateTime now = now();
        return run("open a session", () -> {
            UUID id = dsl.insertInto(S)
                    .set(S.TENANT_ID, tenant)
                    .set(S.USER_ID, session.userId())
                    .set(S.AGENT_ID, session.agentId())
                    .set(S.TITLE, session.title())
                    .set(S.METADATA, metadata)
                    .set(S.LAST_ACTIVITY_AT, now)
                    .set(S.CREATED_AT, now)
                    .set(S.UPDATED_AT, now)
                    .returningResult(S.ID)
                    .fetchSingle().value1();
            return new Session(SessionId.of(id), session.userId(), session.agentId(), session.title(), session.metadata(),
                    0, now.toInstant(), now.toInstant());
        });
    }

    /**
     * Opens a session of this user with this agent, without title or metadata.
     *
     * @param userId the user, or null
     * @param agentId the agent, or null
     * @return the session
     * @throws InvalidInputException when an id is blank or longer than 200 characters
     */
    public Session open(String userId, String agentId) {
        return open(NewSession.of(userId, agentId));
    }

    /**
     * The session with this id.
     *
     * @param id the id
     * @return the session with this id
     * @throws NotFoundException when this tenant has no such session
     * @throws InvalidInputException when id is null
     */
    public Session getSession(SessionId id) {
        return timing.call(Operation.SESSION_READ, () -> getSessionUntimed(id));
    }

    private Session getSessionUntimed(SessionId id) {
        return findSession(id).orElseThrow(() -> sessionNotFound(id));
    }

    /**
     * The session with this id, or empty when this tenant has none.
     *
     * @param id the id
     * @return the session with this id, or empty when this tenant has none
     * @throws InvalidInputException when id is null
     */
    public Optional<Session> findSession(SessionId id) {
        return timing.call(Operation.SESSION_READ, () -> findSessionUntimed(id));
    }

    private Optional<Session> findSessionUntimed(SessionId id) {
        Checks.notNull(id, "sessionId");
        return run("read session " + id, () -> dsl.selectFrom(S)
                .where(S.TENANT_ID.eq(tenant), S.ID.eq(id.value()))
                .fetchOptional(Conversations::session));
    }

    /**
     * The first page of a user's sessions, most recent activity first.
     *
     * @param userId the user; not blank
     * @param limit 1 to {@value #MAX_PAGE_SIZE}
     * @return the first page of a user's sessions, most recent activity first
     * @throws InvalidInputException when an argument is out of range
     */
    public SessionPage listSessionsOfUser(String userId, int limit) {
        return listSessionsOfUser(userId, null, limit);
    }

    /**
     * A page of a user's sessions, most recent activity first, continuing after a cursor (keyset paging).
     *
     * @param userId the user; not blank
     * @param after where to continue ({@link SessionPage#next()} of the previous page), or null for the first page
     * @param limit 1 to {@value #MAX_PAGE_SIZE}
     * @return a page of a user's sessions, most recent activity first, continuing after a cursor
     * @throws InvalidInputException when an argument is out of range
     */
    public SessionPage listSessionsOfUser(String userId, SessionCursor after, int limit) {
        return timing.call(Operation.SESSION_LIST, () -> listSessionsOfUserUntimed(userId, after, limit));
    }

    private SessionPage listSessionsOfUserUntimed(String userId, SessionCursor after, int limit) {
        Checks.notBlank(userId, "userId");
        return listSessions(S.USER_ID, userId, after, limit);
    }

    /**
     * The first page of an agent's sessions, most recent activity first.
     *
     * @param agentId the agent; not blank
     * @param limit 1 to {@value #MAX_PAGE_SIZE}
     * @return the first page of an agent's sessions, most recent activity first
     * @throws InvalidInputException when an argument is out of range
     */
    public SessionPage listSessionsOfAgent(String agentId, int limit) {
        return listSessionsOfAgent(agentId, null, limit);
    }

    /**
     * A page of an agent's sessions, most recent activity first, continuing after a cursor (keyset paging).
     *
     * @param agentId the agent; not blank
     * @param after where to continue ({@link SessionPage#next()} of the previous page), or null for the first page
     * @param limit 1 to {@value #MAX_PAGE_SIZE}
     * @return a page of an agent's sessions, most recent activity first, continuing after a cursor
     * @throws InvalidInputException when an argument is out of range
     */
    public SessionPage listSessionsOfAgent(String agentId, SessionCursor after, int limit) {
        return timing.call(Operation.SESSION_LIST, () -> listSessionsOfAgentUntimed(agentId, after, limit));
    }

    private SessionPage listSessionsOfAgentUntimed(String agentId, SessionCursor after, int limit) {
        Checks.notBlank(agentId, "agentId");
        return listSessions(S.AGENT_ID, agentId, after, limit);
    }

    private SessionPage listSessions(Field<String> owner, String ownerId, SessionCursor after, int limit) {
        Checks.range(limit, 1, MAX_PAGE_SIZE, "limit");
        List<Session> rows = run("list sessions", () -> sessionsQuery(owner, ownerId, after, limit + 1)
                .fetch(Conversations::session));
        if (rows.size() > limit) {
            List<Session> page = rows.subList(0, limit);
            return new SessionPage(page, page.get(limit - 1).cursor());
        }
        return new SessionPage(rows, null);
    }

    /** The listing query (package-private for the query-plan test). */
    SelectLimitPercentStep<ConversationSessionRecord> sessionsQuery(Field<String> owner, String ownerId, SessionCursor after,
            int rows) {
        Condition where = S.TENANT_ID.eq(tenant).and(owner.eq(ownerId));
        if (after != null) {
            instant(after.lastActivityAt(), "cursor lastActivityAt");
            where = where.and(DSL.row(S.LAST_ACTIVITY_AT, S.ID).lt(odt(after.lastActivityAt()), after.after().value()));
        }
        return dsl.selectFrom(S)
                .where(where)
                .orderBy(S.LAST_ACTIVITY_AT.desc(), S.ID.desc())
                .limit(rows);
    }

    /**
     * Deletes a session with its messages (and its session-scoped memory).
     *
     * @param id the id
     * @throws NotFoundException when this tenant has no such session
     * @throws InvalidInputException when id is null
     */
    public void deleteSession(SessionId id) {
        timing.run(Operation.SESSION_DELETE, () -> deleteSessionUntimed(id));
    }

    private void deleteSessionUntimed(SessionId id) {
        Checks.notNull(id, "sessionId");
        int deleted = run("delete session " + id, () -> dsl.deleteFrom(S)
                .where(S.TENANT_ID.eq(tenant), S.ID.eq(id.value()))
                .execute());
        if (deleted == 0) {
            throw sessionNotFound(id);
        }
    }

    /**
     * Retention: deletes every session with no activity (no message appended, see
     * {@link Session#lastActivityAt()}) since {@code inactiveSince}, with their messages, in batches of
     * {@value #DEFAULT_RETENTION_BATCH_SIZE} sessions per transaction.
     *
     * @param inactiveSince sessions whose last activity is strictly before this instant go
     * @return retention: deletes every session with no activity
     * @throws InvalidInputException when inactiveSince is null or outside the years 1 to 9999
     */
    public RetentionResult deleteSessionsInactiveSince(Instant inactiveSince) {
        return deleteSessionsInactiveSince(inactiveSince, DEFAULT_RETENTION_BATCH_SIZE);
    }

    /**
     * Retention with a batch size of its own: each batch is one short transaction, so a large clean-up
     * never holds many locks at once. A session that receives a message while the run is under way is
     * kept. Batches already committed stay deleted when a later batch fails.
     *
     * @param inactiveSince sessions whose last activity is strictly before this instant go
     * @param batchSize sessions per transaction, 1 to {@value #MAX_RETENTION_BATCH_SIZE}
     * @return retention with a batch size of its own
     * @throws InvalidInputException when an argument is out of range
     */
    public RetentionResult deleteSessionsInactiveSince(Instant inactiveSince, int batchSize) {
        return timing.call(Operation.SESSION_RETENTION, () -> deleteSessionsInactiveSinceUntimed(inactiveSince, batchSize));
    }

    private RetentionResult deleteSessionsInactiveSinceUntimed(Instant inactiveSince, int batchSize) {
        Checks.range(batchSize, 1, MAX_RETENTION_BATCH_SIZE, "batchSize");
        OffsetDateTime cutoff = odt(instant(inactiveSince, "inactiveSince"));
        long total = 0;
        int batches = 0;
        while (true) {
            int deleted = run("delete inactive sessions", () -> retentionQuery(cutoff, batchSize).execute());
            if (deleted == 0) {
                return new RetentionResult(total, batches);
            }
            total += deleted;
            batches++;
        }
    }

    /** One retention batch (package-private for the query-plan test). */
    Query retentionQuery(OffsetDateTime cutoff, int batchSize) {
        Select<Record1<UUID>> stale = DSL.select(S.ID).from(S)
                .where(S.TENANT_ID.eq(tenant), S.LAST_ACTIVITY_AT.lt(cutoff))
                .orderBy(S.LAST_ACTIVITY_AT)
                .limit(batchSize);
        // oldest first, so that an interrupted run has removed the oldest sessions;
        // id = ANY(ARRAY(...)) rather than IN (...): the batch is collected first and deleted through the
        // primary key, where IN lets the planner hash-join against a sequential scan of all sessions.
        // The activity test is repeated on the deleted rows: a session that got a message after the
        // sub-select saw it is re-checked on its new version and kept.
        return dsl.deleteFrom(S).where(S.TENANT_ID.eq(tenant), S.ID.eq(DSL.any(DSL.array(stale))),
                S.LAST_ACTIVITY_AT.lt(cutoff));
    }

    /**
     * Retention relative to now (the store's clock): deletes every session with no activity for {@code age}.
     *
     * @param age how long a session may stay idle; not negative
     * @return retention relative to now
     * @throws InvalidInputException when age is null, negative or reaches back before the year 1
     */
    public RetentionResult deleteSessionsInactiveFor(Duration age) {
        return timing.call(Operation.SESSION_RETENTION, () -> deleteSessionsInactiveForUntimed(age));
    }

    private RetentionResult deleteSessionsInactiveForUntimed(Duration age) {
        Checks.notNull(age, "age");
        Checks.nonNegative(age, "age");
        Instant now = context.clock().instant();
        if (age.compareTo(Duration.between(EARLIEST, now)) > 0) {
            throw new InvalidInputException("age must reach back no further than " + EARLIEST + ", but was " + age);
        }
        return deleteSessionsInactiveSince(now.minus(age));
    }

    // ------------------------------------------------------------------------------------------
    // messages

    /**
     * Appends a message to a session: it gets the next sequence number of the session (no gaps, no
     * duplicates, also under concurrent appends) and becomes the session's last activity. One statement,
     * one transaction.
     *
     * @param sessionId the session; not null
     * @param message the message; not null, content at most the store's {@code maxMessageLength} characters
     * @return the stored message
     * @throws NotFoundException when this tenant has no such session, or the message names an agent run
     *         ({@link NewMessage#withAgentRun}) this tenant does not have (nothing is written)
     * @throws InvalidInputException when an argument is out of range (nothing is written)
     */
    public Message addMessage(SessionId sessionId, NewMessage message) {
        return timing.call(Operation.MESSAGE_APPEND, () -> addMessageUntimed(sessionId, message));
    }

    private Message addMessageUntimed(SessionId sessionId, NewMessage message) {
        Checks.notNull(message, "message");
        return addMessages(sessionId, List.of(message)).get(0);
    }

    /**
     * Appends several messages to a session in one transaction (e.g. a whole turn), with consecutive
     * sequence numbers in list order: all are stored or none.
     *
     * @param sessionId the session; not null
     * @param messages 1 to {@value #MAX_MESSAGES_PER_CALL} messages, none null
     * @return the stored messages, in order
     * @throws NotFoundException when this tenant has no such session, or a message names an agent run this tenant
     *         does not have (nothing is written)
     * @throws InvalidInputException when an argument is out of range (nothing is written)
     */
    public List<Message> addMessages(SessionId sessionId, List<NewMessage> messages) {
        return timing.call(Operation.MESSAGE_APPEND, () -> addMessagesUntimed(sessionId, messages));
    }

    private List<Message> addMessagesUntimed(SessionId sessionId, List<NewMessage> messages) {
        Checks.notNull(sessionId, "sessionId");
        Checks.notNull(messages, "messages");
        Checks.range(messages.size(), 1, MAX_MESSAGES_PER_CALL, "number of messages");
        int n = messages.size();
        int maxLength = context.limits().maxMessageLength();
        List<JSONB> sources = new ArrayList<>(n);
        List<JSONB> metadata = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            NewMessage m = messages.get(i);
            String which = n == 1 ? "" : " of message " + i;
            if (m == null) {
                throw new InvalidInputException("messages must not contain null, but element " + i + " is null");
            }
            ToolCalls.checkLengths(m, which, maxLength, MAX_LENGTH_OPTION);
            sources.add(JsonColumns.write(m.sources()));
            metadata.add(context.limits().metadata(m.metadata(), "metadata" + which));
        }
        OffsetDateTime now = now();
        UUID sid = sessionId.value();
        if (n == 1) {
            return List.of(addOne(sessionId, messages.get(0), sources.get(0), metadata.get(0), now));
        }

        // one statement (HotStatements.append(n)): take n sequence numbers on the session row and insert the messages
        Map<String, Object> values = new HashMap<>(4 + 16 * n);
        values.put("now", now);
        values.put("tenant", tenant);
        values.put("session", sid);
        for (int i = 0; i < n; i++) {
            putMessage(values, "_" + i, messages.get(i), sources.get(i), metadata.get(i));
        }
        NamedStatement append = hot.append(n);
        Columns columns = append.columns();
        List<UUID> ids = new ArrayList<>(n);
        List<Long> seqs = new ArrayList<>(n);
        append(sessionId, messages, () -> dsl.connectionResult(c -> append.query(c, values, rs -> {
            while (rs.next()) {
                ids.add(columns.get(rs, M.ID));
                seqs.add(columns.get(rs, M.SEQ));
            }
            return null;
        })));
        if (seqs.isEmpty()) {
            throw sessionNotFound(sessionId);
        }
        // RETURNING order follows the inserted rows, but do not rely on it: match by sequence number
        long first = seqs.stream().mapToLong(Long::longValue).min().orElseThrow();
        Message[] result = new Message[n];
        Instant created = now.toInstant();
        for (int k = 0; k < seqs.size(); k++) {
            long seq = seqs.get(k);
            int i = (int) (seq - first);
            NewMessage m = messages.get(i);
            Duration responseTime = m.responseTime() == null ? null : Duration.ofMillis(m.responseTime().toMillis());
            result[i] = new Message(MessageId.of(ids.get(k)), sessionId, seq, m.role(), m.content(), m.sources(),
                    responseTime, m.inputTokens(), m.outputTokens(), m.model(), m.metadata(), null, created, m.toolCalls(),
                    m.toolCallId(), m.toolName(), m.agentRunId());
        }
        return List.of(result);
    }

    /** The values of one message for the append statements, named with the suffix (see {@link HotStatements#append(int)}). */
    private static void putMessage(Map<String, Object> values, String suffix, NewMessage m, JSONB sources, JSONB metadata) {
        values.put("role" + suffix, m.role().dbValue());
        values.put("content" + suffix, m.content());
        values.put("sources" + suffix, sources.data());
        values.put("response_time_ms" + suffix, m.responseTime() == null ? null : m.responseTime().toMillis());
        values.put("input_tokens" + suffix, m.inputTokens());
        values.put("output_tokens" + suffix, m.outputTokens());
        values.put("model" + suffix, m.model());
        values.put("metadata" + suffix, metadata.data());
        JSONB toolCalls = ToolCalls.write(m.toolCalls());
        values.put("tool_calls" + suffix, toolCalls == null ? null : toolCalls.data());
        values.put("tool_call_id" + suffix, m.toolCallId());
        values.put("tool_name" + suffix, m.toolName());
        values.put("agent_run" + suffix, m.agentRunId());
    }

    /** The chat-turn path: one message, through the pre-rendered statement (same SQL as the general path). */
    private Message addOne(SessionId sessionId, NewMessage m, JSONB sources, JSONB metadata, OffsetDateTime now) {
        Map<String, Object> values = new HashMap<>(16);
        values.put("now", now);
        values.put("tenant", tenant);
        values.put("session", sessionId.value());
        putMessage(values, "", m, sources, metadata);
        Columns columns = hot.append.columns();
        Object[] stored = append(sessionId, List.of(m), () -> dsl.connectionResult(c -> hot.append.query(c, values,
                rs -> rs.next() ? new Object[] {columns.get(rs, M.ID), columns.get(rs, M.SEQ)} : null)));
        if (stored == null) {
            throw sessionNotFound(sessionId);
        }
        Duration responseTime = m.responseTime() == null ? null : Duration.ofMillis(m.responseTime().toMillis());
        return new Message(MessageId.of((UUID) stored[0]), sessionId, (Long) stored[1], m.role(), m.content(), m.sources(),
                responseTime, m.inputTokens(), m.outputTokens(), m.model(), m.metadata(), null, now.toInstant(), m.toolCalls(),
                m.toolCallId(), m.toolName(), m.agentRunId());
    }

    /**
     * The last {@code count} messages of a session in chronological order (oldest first): the window a
     * chat turn sends to the model.
     *
     * @param sessionId the session; not null
     * @param count 1 to {@value #MAX_PAGE_SIZE}
     * @return at most {@code count} messages, ascending by sequence number; empty for an empty session
     * @throws NotFoundException when this tenant has no such session
     * @throws InvalidInputException when an argument is out of range
     */
    public List<Message> listLastMessages(SessionId sessionId, int count) {
        return timing.call(Operation.MESSAGE_LAST, () -> listLastMessagesUntimed(sessionId, count));
    }

    private List<Message> listLastMessagesUntimed(SessionId sessionId, int count) {
        return history(sessionId, null, count);
    }

    /**
     * Pages backwards through a long session: the {@code count} messages just before sequence number
     * {@code beforeSeq}, in chronological order. Pass the {@link Message#seq()} of the first message of
     * the previous page to get the page before it.
     *
     * @param sessionId the session; not null
     * @param beforeSeq only messages with a smaller sequence number; 1 or more
     * @param count 1 to {@value #MAX_PAGE_SIZE}
     * @return at most {@code count} messages, ascending by sequence number; empty at the start of the session
     * @throws NotFoundException when this tenant has no such session
     * @throws InvalidInputException when an argument is out of range
     */
    public List<Message> listMessagesBefore(SessionId sessionId, long beforeSeq, int count) {
        return timing.call(Operation.MESSAGE_BEFORE, () -> listMessagesBeforeUntimed(sessionId, beforeSeq, count));
    }

    private List<Message> listMessagesBeforeUntimed(SessionId sessionId, long beforeSeq, int count) {
        if (beforeSeq < 1) {
            throw new InvalidInputException("beforeSeq must be 1 or more, but was " + beforeSeq);
        }
        return history(sessionId, beforeSeq, count);
    }

    private List<Message> history(SessionId sessionId, Long beforeSeq, int count) {
        Checks.notNull(sessionId, "sessionId");
        Checks.range(count, 1, MAX_PAGE_SIZE, "count");
        NamedStatement statement = hot.history(beforeSeq != null, count);
        Map<String, Object> values = new HashMap<>(8);
        values.put("tenant", tenant);
        values.put("session", sessionId.value());
        values.put("before", beforeSeq);
        values.put("count", count);
        Columns columns = statement.columns();
        List<Message> newestFirst = run("read the history of session " + sessionId, () -> dsl.connectionResult(c ->
                statement.query(c, values, rs -> {
                    List<Message> rows = new ArrayList<>(count);
                    while (rs.next()) {
                        rows.add(message(columns, rs));
                    }
                    return rows;
                })));
        if (newestFirst.isEmpty()) {
            requireSession(sessionId);
            return List.of();
        }
        return List.copyOf(newestFirst.reversed());
    }

    /**
     * The message with this id.
     *
     * @param id the id
     * @return the message with this id
     * @throws NotFoundException when this tenant has no such message
     * @throws InvalidInputException when id is null
     */
    public Message getMessage(MessageId id) {
        return timing.call(Operation.MESSAGE_READ, () -> getMessageUntimed(id));
    }

    private Message getMessageUntimed(MessageId id) {
        return findMessage(id).orElseThrow(() -> messageNotFound(id));
    }

    /**
     * The message with this id, or empty when this tenant has none.
     *
     * @param id the id
     * @return the message with this id, or empty when this tenant has none
     * @throws InvalidInputException when id is null
     */
    public Optional<Message> findMessage(MessageId id) {
        return timing.call(Operation.MESSAGE_READ, () -> findMessageUntimed(id));
    }

    private Optional<Message> findMessageUntimed(MessageId id) {
        Checks.notNull(id, "messageId");
        return run("read message " + id, () -> dsl.selectFrom(M)
                .where(M.TENANT_ID.eq(tenant), M.ID.eq(id.value()))
                .fetchOptional(Conversations::message));
    }

    // ------------------------------------------------------------------------------------------
    // feedback

    /**
     * Records feedback on an assistant message, replacing any earlier feedback on it. Does not count
     * as session activity.
     *
     * @param messageId an assistant message; not null
     * @param rating up or down; not null
     * @param comment what the user said, or null; not blank, at most 10,000 characters
     * @return the message with its feedback
     * @throws NotFoundException when this tenant has no such message
     * @throws InvalidInputException when the message is not an assistant message, or an argument is out of range
     */
    public Message addFeedback(MessageId messageId, Rating rating, String comment) {
        return timing.call(Operation.MESSAGE_FEEDBACK, () -> addFeedbackUntimed(messageId, rating, comment));
    }

    private Message addFeedbackUntimed(MessageId messageId, Rating rating, String comment) {
        Checks.notNull(messageId, "messageId");
        Checks.notNull(rating, "rating");
        Checks.optionalText(comment, "comment", Values.MAX_COMMENT_LENGTH);
        return setFeedback(messageId, (short) rating.score(), comment, now(), "record feedback on message " + messageId);
    }

    /**
     * Clears the feedback of an assistant message (a no-op when it has none).
     *
     * @param messageId the message
     * @return the message without feedback
     * @throws NotFoundException when this tenant has no such message
     * @throws InvalidInputException when the message is not an assistant message, or messageId is null
     */
    public Message deleteFeedback(MessageId messageId) {
        return timing.call(Operation.MESSAGE_FEEDBACK, () -> deleteFeedbackUntimed(messageId));
    }

    private Message deleteFeedbackUntimed(MessageId messageId) {
        Checks.notNull(messageId, "messageId");
        return setFeedback(messageId, null, null, null, "clear the feedback of message " + messageId);
    }

    private Message setFeedback(MessageId messageId, Short score, String comment, OffsetDateTime at, String what) {
        Optional<Message> updated = run(what, () -> dsl.update(M)
                .set(M.FEEDBACK, score)
                .set(M.FEEDBACK_COMMENT, comment)
                .set(M.FEEDBACK_AT, at)
                .where(M.TENANT_ID.eq(tenant), M.ID.eq(messageId.value()), M.ROLE.eq(Role.ASSISTANT.dbValue()))
                .returning()
                .fetchOptional(Conversations::message));
        if (updated.isPresent()) {
            return updated.get();
        }
        Optional<String> role = run(what, () -> dsl.select(M.ROLE).from(M)
                .where(M.TENANT_ID.eq(tenant), M.ID.eq(messageId.value()))
                .fetchOptional(M.ROLE));
        if (role.isEmpty()) {
            throw messageNotFound(messageId);
        }
        throw new InvalidInputException("feedback is only for assistant messages, but message " + messageId
                + " has role " + Role.fromDb(role.get()) + "; rate the assistant's answer instead");
    }

    // ------------------------------------------------------------------------------------------
    // statistics

    /**
     * Figures per agent over the messages appended in {@code [from, to)}: message count, feedback up and
     * down, mean and p95 response time, token totals; computed in SQL. Sorted by agent id, sessions
     * without agent last. {@link AgentStats#day()} is null.
     *
     * @param from start of the period, inclusive; not null
     * @param to end of the period, exclusive; not null, not before from
     * @return figures per agent over the messages appended in {@code [from, to)}: message count, feedback up
     *         and down, mean and p95 response time, token totals; computed in SQL
     * @throws InvalidInputException when the period is null, reversed or outside the years 1 to 9999
     */
    public List<AgentStats> statsPerAgent(Instant from, Instant to) {
        return timing.call(Operation.CONVERSATION_STATS, () -> statsPerAgentUntimed(from, to));
    }

    private List<AgentStats> statsPerAgentUntimed(Instant from, Instant to) {
        return stats(from, to, null);
    }

    /**
     * Figures per agent and per day over the messages appended in {@code [from, to)}, days taken in the
     * given zone; sorted by agent id (sessions without agent last), then day. Days without messages are
     * absent.
     *
     * @param from start of the period, inclusive; not null
     * @param to end of the period, exclusive; not null, not before from
     * @param zone the zone days are taken in: {@code ZoneOffset.UTC} or a region id such as {@code Europe/Berlin}
     * @return figures per agent and per day over the messages appended in {@code [from, to)}, days taken in the
     *         given zone; sorted by agent id (sessions without agent last), then day
     * @throws InvalidInputException when the period is null, reversed or outside the years 1 to 9999, or the zone is
     * a fixed offset other than UTC
     */
    public List<AgentStats> statsPerAgentAndDay(Instant from, Instant to, ZoneId zone) {
        return timing.call(Operation.CONVERSATION_STATS, () -> statsPerAgentAndDayUntimed(from, to, zone));
    }

    private List<AgentStats> statsPerAgentAndDayUntimed(Instant from, Instant to, ZoneId zone) {
        Checks.notNull(zone, "zone");
        String zoneName;
        if (zone instanceof ZoneOffset offset) {
            if (offset.getTotalSeconds() != 0) {
                throw new InvalidInputException("zone must be UTC or a region id such as Europe/Berlin, but was the fixed offset "
                        + offset + " (PostgreSQL reads offsets with the opposite sign)");
            }
            zoneName = "UTC";
        } else {
            zoneName = zone.getId();
        }
        return stats(from, to, zoneName);
    }

    private List<AgentStats> stats(Instant from, Instant to, String zone) {
        instant(from, "from");
        instant(to, "to");
        if (to.isBefore(from)) {
            throw new InvalidInputException("the period must not end before it starts, but was from " + from + " to " + to);
        }
        Field<LocalDate> day = zone == null ? DSL.inline(null, SQLDataType.LOCALDATE)
                : DSL.field("(timezone({0}, {1}))::date", SQLDataType.LOCALDATE, DSL.val(zone), M.CREATED_AT);
        Field<Integer> messages = DSL.count();
        Field<Integer> up = DSL.count().filterWhere(M.FEEDBACK.eq((short) 1));
        Field<Integer> down = DSL.count().filterWhere(M.FEEDBACK.eq((short) -1));
        Field<BigDecimal> mean = DSL.avg(M.RESPONSE_TIME_MS);
        Field<BigDecimal> p95 = DSL.percentileCont(new BigDecimal("0.95")).withinGroupOrderBy(M.RESPONSE_TIME_MS);
        Field<BigDecimal> inputTokens = DSL.sum(M.INPUT_TOKENS);
        Field<BigDecimal> outputTokens = DSL.sum(M.OUTPUT_TOKENS);
        // by position: the zone is a bind parameter, so the day expression in GROUP BY would be another
        // parameter that PostgreSQL cannot prove equal to the one in the select list
        List<Field<?>> groupBy = zone == null ? List.of(DSL.inline(1)) : List.of(DSL.inline(1), DSL.inline(2));
        return run("compute conversation statistics", () -> dsl
                .select(S.AGENT_ID, day, messages, up, down, mean, p95, inputTokens, outputTokens)
                .from(M)
                .join(S).on(S.TENANT_ID.eq(M.TENANT_ID), S.ID.eq(M.SESSION_ID))
                .where(M.TENANT_ID.eq(tenant), S.TENANT_ID.eq(tenant),
                        M.CREATED_AT.ge(odt(from)), M.CREATED_AT.lt(odt(to)))
                .groupBy(groupBy)
                .orderBy(DSL.inline(1).asc().nullsLast(), DSL.inline(2).asc())
                .fetch(r -> new AgentStats(r.get(S.AGENT_ID), r.get(day), r.get(messages), r.get(up), r.get(down),
                        millis(r.get(mean)), millis(r.get(p95)), sum(r.get(inputTokens)), sum(r.get(outputTokens)))));
    }

    private static Duration millis(BigDecimal ms) {
        return ms == null ? null
                : Duration.ofNanos(ms.multiply(BigDecimal.valueOf(1_000_000)).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    private static long sum(BigDecimal value) {
        return value == null ? 0 : value.longValueExact();
    }

    // ------------------------------------------------------------------------------------------

    private void requireSession(SessionId id) {
        boolean exists = run("read session " + id, () -> dsl.fetchExists(
                dsl.selectOne().from(S).where(S.TENANT_ID.eq(tenant), S.ID.eq(id.value()))));
        if (!exists) {
            throw sessionNotFound(id);
        }
    }

    private NotFoundException sessionNotFound(SessionId id) {
        return new NotFoundException("no conversation session " + id + " for tenant '" + tenant
                + "': it never existed, was deleted (directly or by retention), or belongs to another tenant");
    }

    private NotFoundException messageNotFound(MessageId id) {
        return new NotFoundException("no conversation message " + id + " for tenant '" + tenant
                + "': it never existed, its session was deleted, or it belongs to another tenant");
    }

    /** Fails unless the instant is within the years 1 to 9999, which PostgreSQL and the API both handle. */
    private static Instant instant(Instant value, String name) {
        Checks.notNull(value, name);
        if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
            throw new InvalidInputException(name + " must be between " + EARLIEST + " and " + LATEST + ", but was " + value);
        }
        return value;
    }

    private OffsetDateTime now() {
        return odt(context.clock().instant());
    }

    /** PostgreSQL keeps microseconds; truncating first makes returned values equal to stored ones. */
    private static OffsetDateTime odt(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    /** An append; a run id ({@link NewMessage#agentRunId()}) that is not one of this tenant's runs is a NotFoundException. */
    private <T> T append(SessionId sessionId, List<NewMessage> messages, Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            if ("23503".equals(SqlErrors.sqlState(e))) {
                List<UUID> named = messages.stream().map(NewMessage::agentRunId).filter(java.util.Objects::nonNull).toList();
                NotFoundException nf = new NotFoundException("cannot append to session " + sessionId + ": agent run "
                        + (named.size() == 1 ? named.get(0) : "of " + named) + " does not exist for tenant '" + tenant
                        + "' (a message can only name a run of its own tenant; record it first); nothing was written");
                nf.initCause(e);
                throw nf;
            }
            throw SqlErrors.translate(e, "append to session " + sessionId);
        }
    }

    private static <T> T run(String what, Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, what);
        }
    }

    static Session session(ConversationSessionRecord r) {
        return new Session(SessionId.of(r.getId()), r.getUserId(), r.getAgentId(), r.getTitle(), JsonColumns.map(r.getMetadata()),
                r.getLastSeq() - r.getDeletedMessages(), r.getLastActivityAt().toInstant(), r.getCreatedAt().toInstant());
    }

    static Message message(ConversationMessageRecord r) {
        Short score = r.getFeedback();
        Feedback feedback = score == null ? null
                : new Feedback(Rating.fromScore(score), r.getFeedbackComment(), r.getFeedbackAt().toInstant());
        Long ms = r.getResponseTimeMs();
        return new Message(MessageId.of(r.getId()), SessionId.of(r.getSessionId()), r.getSeq(), Role.fromDb(r.getRole()),
                r.getContent(), JsonColumns.read(r.getSources()), ms == null ? null : Duration.ofMillis(ms),
                r.getInputTokens(), r.getOutputTokens(), r.getModel(), JsonColumns.map(r.getMetadata()), feedback,
                r.getCreatedAt().toInstant(), ToolCalls.read(r.getToolCalls()), r.getToolCallId(), r.getToolName(),
                r.getAgentRunId());
    }

    /** A message from a row of {@link HotStatements#MESSAGE_COLUMNS}, read by field. */
    private static Message message(Columns c, ResultSet rs) throws SQLException {
        Long ms = c.get(rs, M.RESPONSE_TIME_MS);
        Short score = c.get(rs, M.FEEDBACK);
        Feedback feedback = score == null ? null : new Feedback(Rating.fromScore(score), c.get(rs, M.FEEDBACK_COMMENT),
                c.get(rs, M.FEEDBACK_AT).toInstant());
        return new Message(MessageId.of(c.get(rs, M.ID)), SessionId.of(c.get(rs, M.SESSION_ID)), c.get(rs, M.SEQ),
                Role.fromDb(c.get(rs, M.ROLE)), c.get(rs, M.CONTENT), JsonColumns.read(c.get(rs, M.SOURCES)),
                ms == null ? null : Duration.ofMillis(ms), c.get(rs, M.INPUT_TOKENS), c.get(rs, M.OUTPUT_TOKENS),
                c.get(rs, M.MODEL), JsonColumns.map(c.get(rs, M.METADATA)), feedback, c.get(rs, M.CREATED_AT).toInstant(),
                ToolCalls.read(c.get(rs, M.TOOL_CALLS)), c.get(rs, M.TOOL_CALL_ID), c.get(rs, M.TOOL_NAME),
                c.get(rs, M.AGENT_RUN_ID));
    }
}
