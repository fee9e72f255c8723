package dev.agentstore.conversation;

import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;
import static dev.agentstore.schema.Tables.CONVERSATION_SESSION;

import dev.agentstore.AgentStoreException;
import dev.agentstore.ConflictException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.TenantId;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.Json;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.internal.Timing;
import dev.agentstore.internal.Transactions;
import dev.agentstore.observe.Operation;
import dev.agentstore.schema.tables.ConversationMessageTable;
import dev.agentstore.schema.tables.ConversationSessionTable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep16;
import org.jooq.JSONB;
import org.jooq.Record1;
import org.jooq.Record2;
import org.jooq.Select;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * Existing history of one tenant's conversations: sessions the host finds by its own key, messages
 * appended with their original timestamps (and ids), bulk import of many sessions through
 * {@code COPY}, and message-level retention inside live sessions.
 *
 * <pre>{@code
 * ConversationHistory history = store.conversations("acme").history();
 * Session s = history.openOrGet("agno:5f1c0a", NewSession.of("alice", "support-bot"));
 * history.append(s.id(), List.of(HistoricMessage.of(NewMessage.user("Hi"), Instant.parse("2025-06-01T09:30:00Z"))));
 * ImportResult r = history.importSessions(sessionsFromTheOldSystem);   // run it again: adds nothing
 * history.deleteMessagesBefore(Instant.now().minus(Duration.ofDays(365)));
 * }</pre>
 *
 * <h2>Timestamps</h2>
 * Original timestamps are validated before SQL: within a call they must not decrease, none may lie
 * further in the future than {@link #futureTolerance()} (default {@value #DEFAULT_FUTURE_TOLERANCE_SECONDS} s,
 * measured on the store's clock), and all lie in the years 1 to 9999. {@link #append} also refuses
 * a first message older than the session's last message.
 *
 * <h2>What an import does twice</h2>
 * Each imported session is identified by its host key, each of its messages by its id (given, or
 * derived from tenant, host key and position) and its position, which becomes its sequence number.
 * A re-run finds the session and the messages already stored and writes nothing; a re-run with a
 * longer history (the source grew) appends only the new tail. A session that got messages that are
 * not from the import (e.g. live appends) is refused with {@link ConflictException} instead of being
 * mixed. See {@link #importSessions(Iterable, int, ImportProgressListener)} for the transactions.
 *
 * <p>Thread-safe and immutable; obtained from {@code store.conversations(tenant).history()}.
 */
public final class ConversationHistory {

    /** Longest host key of a session, in characters. */
    public static final int MAX_HOST_KEY_LENGTH = 500;
    /** How far in the future (on the store's clock) an original timestamp may be unless told otherwise. */
    public static final long DEFAULT_FUTURE_TOLERANCE_SECONDS = 300;
    /** Messages an import writes per transaction unless told otherwise (whole sessions per batch). */
    public static final int DEFAULT_IMPORT_BATCH_SIZE = 10_000;
    /** Largest import batch, in messages. */
    public static final int MAX_IMPORT_BATCH_SIZE = 1_000_000;
    /** Messages a retention run deletes per transaction unless told otherwise. */
    public static final int DEFAULT_RETENTION_BATCH_SIZE = 5_000;

    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    private static final ConversationSessionTable S = CONVERSATION_SESSION;
    private static final ConversationMessageTable M = CONVERSATION_MESSAGE;
    private static final String MAX_LENGTH_OPTION = "AgentStore.Builder.maxMessageLength(...)";

    private final StoreContext context;
    private final DSLContext dsl;
    private final String tenant;
    private final Duration futureTolerance;

    /**
     * The history of one tenant; obtained from {@code store.conversations(tenant).history()}.
     *
     * @throws NullPointerException when an argument is null
     */
    ConversationHistory(StoreContext context, TenantId tenant) {
        this(context, Objects.requireNonNull(tenant, "tenant").value(), Duration.ofSeconds(DEFAULT_FUTURE_TOLERANCE_SECONDS));
    }

    private final Timing timing;

    private ConversationHistory(StoreContext context, String tenant, Duration futureTolerance) {
        this.timing = Timing.of(context);
        this.context = Objects.requireNonNull(context, "context");
        this.dsl = context.dsl();
        this.tenant = tenant;
        this.futureTolerance = futureTolerance;
    }

    /**
     * How far in the future an original timestamp may lie.
     *
     * @return how far in the future an original timestamp may lie
     */
    public Duration futureTolerance() {
        return futureTolerance;
    }

    /**
     * A copy accepting original timestamps up to {@code tolerance} after the store clock's "now" (for
     * hosts whose clocks run ahead of this one).
     *
     * @param tolerance the tolerance
     * @return a copy accepting original timestamps up to {@code tolerance} after the store clock's "now"
     * @throws InvalidInputException when tolerance is null, negative or longer than a day
     */
    public ConversationHistory withFutureTolerance(Duration tolerance) {
        Checks.notNull(tolerance, "futureTolerance");
        Checks.nonNegative(tolerance, "futureTolerance");
        if (tolerance.compareTo(Duration.ofDays(1)) > 0) {
            throw new InvalidInputException("futureTolerance must be at most one day, but was " + tolerance
                    + "; fix the clock of the host that wrote the history instead");
        }
        return new ConversationHistory(context, tenant, tolerance);
    }

    // ------------------------------------------------------------------------------------------
    // host keys

    /**
     * The session with this host key, opened now with these details when the tenant has none. Safe
     * under concurrent calls with the same key: exactly one session is created.
     *
     * @param hostKey the host's own id of the session; not blank, at most {@value #MAX_HOST_KEY_LENGTH} characters
     * @param session user, agent, title and metadata of a new session; not null
     * @return the new or existing session
     * @throws ConflictException when the existing session belongs to another user or agent than given
     *         (a host key reused for someone else), nothing written
     * @throws InvalidInputException when an argument is invalid
     */
    public Session openOrGet(String hostKey, NewSession session) {
        return timing.call(Operation.HISTORY_OPEN, () -> openOrGetUntimed(hostKey, session));
    }

    private Session openOrGetUntimed(String hostKey, NewSession session) {
        checkHostKey(hostKey);
        Checks.notNull(session, "session");
        JSONB metadata = Json.object(session.metadata(), "session metadata");
        OffsetDateTime now = odt(context.clock().instant());
        for (int attempt = 0; ; attempt++) {
            Optional<Session> created = run("open session with host key", () -> dsl.insertInto(S)
                    .set(S.TENANT_ID, tenant)
                    .set(S.HOST_KEY, hostKey)
                    .set(S.USER_ID, session.userId())
                    .set(S.AGENT_ID, session.agentId())
                    .set(S.TITLE, session.title())
                    .set(S.METADATA, metadata)
                    .set(S.LAST_ACTIVITY_AT, now)
                    .set(S.CREATED_AT, now)
                    .set(S.UPDATED_AT, now)
                    .onConflict(S.TENANT_ID, S.HOST_KEY).where(S.HOST_KEY.isNotNull()).doNothing()
                    .returning()
                    .fetchOptional(Conversations::session));
            if (created.isPresent()) {
                return created.get();
            }
            Optional<Session> existing = findByHostKey(hostKey);
            if (existing.isPresent()) {
                Session s = existing.get();
                mismatch("user", session.userId(), s.userId(), hostKey);
                mismatch("agent", session.agentId(), s.agentId(), hostKey);
                return s;
            }
            if (attempt == 2) {
                throw new AgentStoreException("cannot open the session with host key '" + hostKey
                        + "': it is being deleted and re-created concurrently; retry");
            }
        }
    }

    private static void mismatch(String what, String given, String stored, String hostKey) {
        if (given != null && !given.equals(stored)) {
            throw new ConflictException("the session with host key '" + hostKey + "' belongs to " + what + " '" + stored
                    + "', not to '" + given + "': use a host key per session, or pass the stored " + what, null);
        }
    }

    /**
     * The session with this host key, or empty when this tenant has none.
     *
     * @param hostKey the host's key
     * @return the session with this host key, or empty when this tenant has none
     * @throws InvalidInputException when hostKey is blank or too long
     */
    public Optional<Session> findByHostKey(String hostKey) {
        checkHostKey(hostKey);
        return run("read the session with a host key", () -> dsl.selectFrom(S)
                .where(S.TENANT_ID.eq(tenant), S.HOST_KEY.eq(hostKey))
                .fetchOptional(Conversations::session));
    }

    /**
     * The host key of a session, or empty when it has none.
     *
     * @param id the id
     * @return the host key of a session, or empty when it has none
     * @throws NotFoundException when this tenant has no such session
     * @throws InvalidInputException when id is null
     */
    public Optional<String> hostKeyOf(SessionId id) {
        Checks.notNull(id, "sessionId");
        Optional<Record1<String>> row = run("read the host key of session " + id, () -> dsl.select(S.HOST_KEY).from(S)
                .where(S.TENANT_ID.eq(tenant), S.ID.eq(id.value()))
                .fetchOptional());
        return Optional.ofNullable(row.orElseThrow(() -> sessionNotFound(id)).value1());
    }

    /**
     * A page of this tenant's host keys in ascending order (keyset paging): those after {@code after}.
     *
     * @param after the last key of the previous page, or null for the first page
     * @param limit 1 to {@value Conversations#MAX_PAGE_SIZE}
     * @return at most {@code limit} keys; fewer on the last page
     * @throws InvalidInputException when an argument is out of range
     */
    public List<String> listHostKeys(String after, int limit) {
        if (after != null) {
            checkHostKey(after);
        }
        Checks.range(limit, 1, Conversations.MAX_PAGE_SIZE, "limit");
        return run("list host keys", () -> dsl.select(S.HOST_KEY).from(S)
                .where(S.TENANT_ID.eq(tenant), S.HOST_KEY.isNotNull(), after == null ? DSL.noCondition() : S.HOST_KEY.gt(after))
                .orderBy(S.HOST_KEY)
                .limit(limit)
                .fetch(S.HOST_KEY));
    }

    static String checkHostKey(String hostKey) {
        Checks.notBlank(hostKey, "hostKey");
        if (hostKey.length() > MAX_HOST_KEY_LENGTH) {
            throw new InvalidInputException("hostKey has " + hostKey.length() + " characters, more than the limit of "
                    + MAX_HOST_KEY_LENGTH + "; use a shorter id or a hash of it");
        }
        if (hostKey.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("hostKey must not contain control characters");
        }
        return hostKey;
    }

    // ------------------------------------------------------------------------------------------
    // append with original timestamps

    /**
     * Appends messages with their original timestamps (and ids where given) to a session, in one
     * transaction: they get the session's next sequence numbers in list order, and the session's last
     * activity becomes the latest of them (never earlier than it was).
     *
     * @param sessionId the session; not null
     * @param messages 1 to {@value Conversations#MAX_MESSAGES_PER_CALL} messages, timestamps not decreasing
     * @return the stored messages, in order
     * @throws InvalidInputException when a timestamp decreases, lies in the future beyond the tolerance,
     *         or is older than the session's last message; or a message is invalid (nothing written)
     * @throws ConflictException when a given id exists already (nothing written)
     * @throws NotFoundException when this tenant has no such session
     */
    public List<Message> append(SessionId sessionId, List<HistoricMessage> messages) {
        return timing.call(Operation.HISTORY_APPEND, () -> appendUntimed(sessionId, messages));
    }

    private List<Message> appendUntimed(SessionId sessionId, List<HistoricMessage> messages) {
        Checks.notNull(sessionId, "sessionId");
        Checks.notNull(messages, "messages");
        Checks.range(messages.size(), 1, Conversations.MAX_MESSAGES_PER_CALL, "number of messages");
        Prepared prepared = prepare("session " + sessionId, messages, context.clock().instant());
        OffsetDateTime now = odt(context.clock().instant());
        int n = messages.size();
        return run("append history to session " + sessionId, () -> Transactions.inTransaction(context, tx -> {
            Record2<Long, OffsetDateTime> session = tx.select(S.LAST_SEQ, S.LAST_ACTIVITY_AT).from(S)
                    .where(S.TENANT_ID.eq(tenant), S.ID.eq(sessionId.value()))
                    .forNoKeyUpdate()
                    .fetchOptional()
                    .orElseThrow(() -> sessionNotFound(sessionId));
            long lastSeq = session.value1();
            Optional<OffsetDateTime> lastAt = tx.select(M.CREATED_AT).from(M)
                    .where(M.TENANT_ID.eq(tenant), M.SESSION_ID.eq(sessionId.value()))
                    .orderBy(M.SEQ.desc()).limit(1)
                    .fetchOptional(M.CREATED_AT);
            Instant first = messages.get(0).createdAt();
            if (lastAt.isPresent() && first.isBefore(lastAt.get().toInstant())) {
                throw new InvalidInputException("createdAt of message 0 (" + first + ") is before the last message of session "
                        + sessionId + " (" + lastAt.get().toInstant() + "): history is appended oldest first");
            }
            InsertValuesStep16<?, String, UUID, UUID, Long, String, String, JSONB, Long, Integer, Integer, String, JSONB,
                    OffsetDateTime, JSONB, String, String> insert = tx.insertInto(M, M.TENANT_ID, M.ID, M.SESSION_ID, M.SEQ,
                    M.ROLE, M.CONTENT, M.SOURCES, M.RESPONSE_TIME_MS, M.INPUT_TOKENS, M.OUTPUT_TOKENS, M.MODEL, M.METADATA,
                    M.CREATED_AT, M.TOOL_CALLS, M.TOOL_CALL_ID, M.TOOL_NAME);
            UUID[] ids = new UUID[n];
            for (int i = 0; i < n; i++) {
                HistoricMessage h = messages.get(i);
                NewMessage m = h.message();
                ids[i] = h.id() == null ? UUID.randomUUID() : h.id().value();
                insert = insert.values(tenant, ids[i], sessionId.value(), lastSeq + 1 + i, m.role().dbValue(), m.content(),
                        JSONB.valueOf(prepared.sources.get(i)), m.responseTime() == null ? null : m.responseTime().toMillis(),
                        m.inputTokens(), m.outputTokens(), m.model(), JSONB.valueOf(prepared.metadata.get(i)),
                        odt(h.createdAt()), ToolCalls.write(m.toolCalls()), m.toolCallId(), m.toolName());
            }
            insert.execute();
            OffsetDateTime latest = odt(messages.get(n - 1).createdAt());
            tx.update(S)
                    .set(S.LAST_SEQ, lastSeq + n)
                    .set(S.LAST_ACTIVITY_AT, DSL.greatest(S.LAST_ACTIVITY_AT, DSL.val(latest, S.LAST_ACTIVITY_AT)))
                    .set(S.UPDATED_AT, DSL.greatest(S.UPDATED_AT, DSL.val(now, S.UPDATED_AT)))
                    .where(S.TENANT_ID.eq(tenant), S.ID.eq(sessionId.value()))
                    .execute();
            List<Message> stored = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                HistoricMessage h = messages.get(i);
                NewMessage m = h.message();
                Duration rt = m.responseTime() == null ? null : Duration.ofMillis(m.responseTime().toMillis());
                stored.add(new Message(MessageId.of(ids[i]), sessionId, lastSeq + 1 + i, m.role(), m.content(), m.sources(), rt,
                        m.inputTokens(), m.outputTokens(), m.model(), m.metadata(), null, h.createdAt(), m.toolCalls(),
                        m.toolCallId(), m.toolName()));
            }
            return List.copyOf(stored);
        }));
    }

    /** The JSON of one session's messages, after every check that needs no database. */
    record Prepared(List<String> sources, List<String> metadata) {
    }

    /**
     * Checks the messages of one session (content, JSON, ids distinct, timestamps in range, not
     * decreasing, not in the future beyond the tolerance) and renders their JSON.
     */
    Prepared prepare(String where, List<HistoricMessage> messages, Instant now) {
        int maxLength = context.limits().maxMessageLength();
        Instant latestAllowed = now.plus(futureTolerance);
        List<String> sources = new ArrayList<>(messages.size());
        List<String> metadata = new ArrayList<>(messages.size());
        Set<UUID> ids = new HashSet<>();
        Instant previous = null;
        for (int i = 0; i < messages.size(); i++) {
            HistoricMessage h = messages.get(i);
            if (h == null) {
                throw new InvalidInputException("messages of " + where + " must not contain null, but element " + i + " is null");
            }
            String which = "message " + i + " of " + where;
            ToolCalls.checkLengths(h.message(), " of " + which, maxLength, MAX_LENGTH_OPTION);
            Instant at = h.createdAt();
            if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
                throw new InvalidInputException("createdAt of " + which + " must be between " + EARLIEST + " and " + LATEST
                        + ", but was " + at);
            }
            if (at.isAfter(latestAllowed)) {
                throw new InvalidInputException("createdAt of " + which + " is " + at + ", more than " + futureTolerance
                        + " after now (" + now + "); fix the source's clock, or allow more with withFutureTolerance(...)");
            }
            if (previous != null && at.isBefore(previous)) {
                throw new InvalidInputException("createdAt of " + which + " (" + at + ") is before that of message " + (i - 1)
                        + " (" + previous + "): give the messages oldest first");
            }
            previous = at;
            if (h.id() != null && !ids.add(h.id().value())) {
                throw new InvalidInputException("id of " + which + " (" + h.id() + ") is given twice");
            }
            sources.add(JsonColumns.write(h.message().sources()).data());
            metadata.add(Json.object(h.message().metadata(), "metadata of " + which).data());
        }
        return new Prepared(sources, metadata);
    }

    // ------------------------------------------------------------------------------------------
    // bulk import

    /**
     * Imports sessions with their messages, {@value #DEFAULT_IMPORT_BATCH_SIZE} messages per transaction,
     * without progress reports. See {@link #importSessions(Iterable, int, ImportProgressListener)}.
     *
     * @param sessions the sessions
     * @return the import result
     */
    public ImportResult importSessions(Iterable<ImportedSession> sessions) {
        return importSessions(sessions, DEFAULT_IMPORT_BATCH_SIZE, null);
    }

    /**
     * Imports sessions with their messages through {@code COPY}, idempotently: a session is found by its
     * host key (created when absent), and only the messages past those already stored are written.
     *
     * <p>Transactions: whole sessions are grouped into batches of about {@code batchSize} messages
     * (a larger session is a batch of its own); each batch is one transaction, so a session is
     * imported completely or not at all, and a failed run leaves whole batches committed: run it
     * again to finish it. When {@code sessions} is a {@link java.util.Collection} every session is
     * checked before the first batch is written; otherwise each batch is checked before it is written.
     *
     * @param sessions the sessions, each host key at most once; not null
     * @param batchSize messages per transaction, 1 to {@value #MAX_IMPORT_BATCH_SIZE}
     * @param listener told after each committed batch, or null
     * @return what was read and written
     * @throws InvalidInputException when a session or message is invalid (see the class comment for the
     *         timestamp rules) or a host key repeats
     * @throws ConflictException when a session holds messages that are not from this import, or a
     *         given message id belongs to another message; that batch is rolled back
     */
    public ImportResult importSessions(Iterable<ImportedSession> sessions, int batchSize, ImportProgressListener listener) {
        return timing.call(Operation.HISTORY_IMPORT, () -> importSessionsUntimed(sessions, batchSize, listener));
    }

    private ImportResult importSessionsUntimed(Iterable<ImportedSession> sessions, int batchSize, ImportProgressListener listener) {
        Checks.notNull(sessions, "sessions");
        Checks.range(batchSize, 1, MAX_IMPORT_BATCH_SIZE, "batchSize");
        // under row-level security PostgreSQL refuses COPY FROM into the table: stage it in a temporary table
        return new HistoryImport(this, context, tenant, context.rowLevelSecurity()).run(sessions, batchSize, listener);
    }

    // ------------------------------------------------------------------------------------------
    // message-level retention

    /**
     * Deletes every message of this tenant written before {@code cutoff}, in live sessions too, in
     * batches of {@value #DEFAULT_RETENTION_BATCH_SIZE}. See {@link #deleteMessagesBefore(Instant, int)}.
     *
     * @param cutoff the cut-off instant
     * @return the message retention result
     */
    public MessageRetentionResult deleteMessagesBefore(Instant cutoff) {
        return deleteMessagesBefore(cutoff, DEFAULT_RETENTION_BATCH_SIZE);
    }

    /**
     * Message-level retention: deletes every message of this tenant written before {@code cutoff}
     * (oldest first), one short transaction per batch. Sessions stay, even when emptied, and keep their
     * sequence numbers: new messages continue after the last one ever appended,
     * {@link Conversations#listLastMessages} returns the newest remaining ones and
     * {@link Conversations#listMessagesBefore} pages back until the oldest remaining one.
     * {@link Session#messageCount()} counts the messages left (each batch counts what it deleted per session,
     * in the same statement).
     *
     * @param cutoff messages with {@code createdAt} strictly before it go
     * @param batchSize messages per transaction, 1 to {@value Conversations#MAX_RETENTION_BATCH_SIZE}
     * @return message-level retention
     * @throws InvalidInputException when an argument is out of range
     */
    public MessageRetentionResult deleteMessagesBefore(Instant cutoff, int batchSize) {
        return timing.call(Operation.HISTORY_RETENTION, () -> deleteMessagesBeforeUntimed(cutoff, batchSize));
    }

    private MessageRetentionResult deleteMessagesBeforeUntimed(Instant cutoff, int batchSize) {
        Checks.notNull(cutoff, "cutoff");
        if (cutoff.isBefore(EARLIEST) || cutoff.isAfter(LATEST)) {
            throw new InvalidInputException("cutoff must be between " + EARLIEST + " and " + LATEST + ", but was " + cutoff);
        }
        Checks.range(batchSize, 1, Conversations.MAX_RETENTION_BATCH_SIZE, "batchSize");
        OffsetDateTime at = odt(cutoff);
        long total = 0;
        int batches = 0;
        while (true) {
            Select<Record1<UUID>> old = DSL.select(M.ID).from(M)
                    .where(M.TENANT_ID.eq(tenant), M.CREATED_AT.lt(at))
                    .orderBy(M.CREATED_AT)
                    .limit(batchSize);
            // one statement: the batch, and per session the count of deleted messages (Session.messageCount)
            var gone = DSL.name("gone").as(dsl.deleteFrom(M)
                    .where(M.TENANT_ID.eq(tenant), M.ID.eq(DSL.any(DSL.array(old))), M.CREATED_AT.lt(at))
                    .returningResult(M.SESSION_ID));
            Field<UUID> goneSession = gone.field(M.SESSION_ID);
            var perSession = DSL.name("per_session").as(DSL.select(goneSession, DSL.count().as("n")).from(gone).groupBy(goneSession));
            Field<UUID> session = perSession.field(goneSession);
            Field<Integer> n = perSession.field("n", Integer.class);
            var counted = DSL.name("counted").as(dsl.update(S)
                    .set(S.DELETED_MESSAGES, S.DELETED_MESSAGES.plus(n))
                    .from(perSession)
                    .where(S.TENANT_ID.eq(tenant), S.ID.eq(session))
                    .returningResult(S.ID));
            int deleted = run("delete old messages", () -> dsl.with(gone).with(perSession).with(counted)
                    .select(DSL.count()).from(gone)
                    .fetchSingle(0, int.class));
            if (deleted == 0) {
                return new MessageRetentionResult(total, batches);
            }
            total += deleted;
            batches++;
        }
    }

    // ------------------------------------------------------------------------------------------

    String tenant() {
        return tenant;
    }

    NotFoundException sessionNotFound(SessionId id) {
        return new NotFoundException("no conversation session " + id + " for tenant '" + tenant
                + "': it never existed, was deleted, or belongs to another tenant");
    }

    static OffsetDateTime odt(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    static <T> T run(String what, Supplier<T> body) {
        try {
            return body.get();
        } catch (DataAccessException e) {
            throw SqlErrors.translate(e, what);
        }
    }
}
