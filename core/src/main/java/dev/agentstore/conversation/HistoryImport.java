package dev.agentstore.conversation;

import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;
import static dev.agentstore.schema.Tables.CONVERSATION_SESSION;

import dev.agentstore.ConflictException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.BinaryCopy;
import dev.agentstore.internal.CopyIn;
import dev.agentstore.internal.Json;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.internal.Transactions;
import dev.agentstore.schema.tables.ConversationMessageTable;
import dev.agentstore.schema.tables.ConversationSessionTable;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep10;
import org.jooq.JSONB;
import org.jooq.Record3;
import org.jooq.Row2;
import org.jooq.impl.DSL;

/**
 * One run of {@link ConversationHistory#importSessions(Iterable, int, ImportProgressListener)}: groups the
 * sessions into batches and writes each batch in one transaction: the new sessions with one
 * {@code INSERT ... ON CONFLICT DO NOTHING}, the existing ones locked and checked, then every message
 * not yet stored with one binary {@code COPY} straight into the message table.
 */
final class HistoryImport {

    private static final ConversationSessionTable S = CONVERSATION_SESSION;
    private static final ConversationMessageTable M = CONVERSATION_MESSAGE;
    /** Sessions per batch at most, so that the session statements stay well under PostgreSQL's 65,535 binds. */
    private static final int MAX_SESSIONS_PER_BATCH = 2_000;
    private static final List<Field<?>> COPY_COLUMNS = List.of(M.TENANT_ID, M.ID, M.SESSION_ID, M.SEQ, M.ROLE, M.CONTENT,
            M.SOURCES, M.RESPONSE_TIME_MS, M.INPUT_TOKENS, M.OUTPUT_TOKENS, M.MODEL, M.METADATA, M.CREATED_AT, M.TOOL_CALLS,
            M.TOOL_CALL_ID, M.TOOL_NAME, M.AGENT_RUN_ID);

    private final ConversationHistory history;
    private final StoreContext context;
    private final String tenant;
    private final boolean staged;
    private final Set<String> seenKeys = new HashSet<>();

    /**
     * @param staged COPY into a temporary table and {@code INSERT ... SELECT} from it, instead of COPY straight
     *               into the message table: needed where row-level security applies to the store's role
     *               (PostgreSQL refuses {@code COPY FROM} into such a table)
     */
    HistoryImport(ConversationHistory history, StoreContext context, String tenant, boolean staged) {
        this.history = history;
        this.context = context;
        this.tenant = tenant;
        this.staged = staged;
    }

    /** A session after every check that needs no database. */
    private record Checked(ImportedSession session, JSONB metadata, ConversationHistory.Prepared json, UUID[] ids,
            Instant createdAt, Instant lastAt) {
        int size() {
            return session.messages().size();
        }
    }

    ImportResult run(Iterable<ImportedSession> sessions, int batchSize, ImportProgressListener listener) {
        long started = System.nanoTime();
        Instant now = context.clock().instant();
        Iterator<Checked> input;
        if (sessions instanceof Collection<ImportedSession> all) {
            List<Checked> checked = new ArrayList<>(all.size());
            int i = 0;
            for (ImportedSession s : all) {
                checked.add(check(s, i++, now));
            }
            input = checked.iterator();
        } else {
            Iterator<ImportedSession> raw = sessions.iterator();
            input = new Iterator<>() {
                int i;

                @Override
                public boolean hasNext() {
                    return raw.hasNext();
                }

                @Override
                public Checked next() {
                    return check(raw.next(), i++, now);
                }
            };
        }
        long sessionsRead = 0;
        long messagesRead = 0;
        long sessionsCreated = 0;
        long messagesInserted = 0;
        int batches = 0;
        List<Checked> batch = new ArrayList<>();
        int batchMessages = 0;
        while (true) {
            boolean more = input.hasNext();
            Checked next = more ? input.next() : null;
            if (!batch.isEmpty() && (!more || batchMessages + next.size() > batchSize || batch.size() >= MAX_SESSIONS_PER_BATCH)) {
                long[] written = write(batch, now);
                sessionsRead += batch.size();
                messagesRead += batchMessages;
                sessionsCreated += written[0];
                messagesInserted += written[1];
                batches++;
                if (listener != null) {
                    listener.onBatch(new ImportProgress(sessionsRead, messagesRead, sessionsCreated, messagesInserted, batches));
                }
                batch.clear();
                batchMessages = 0;
            }
            if (!more) {
                break;
            }
            batch.add(next);
            batchMessages += next.size();
        }
        return new ImportResult(sessionsRead, sessionsCreated, messagesRead, messagesInserted, batches,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private Checked check(ImportedSession s, int index, Instant now) {
        if (s == null) {
            throw new InvalidInputException("sessions must not contain null, but element " + index + " is null");
        }
        if (!seenKeys.add(s.hostKey())) {
            throw new InvalidInputException("host key '" + s.hostKey() + "' appears twice in the import (element " + index
                    + "); give each session once, with all its messages");
        }
        String where = "imported session '" + s.hostKey() + "'";
        ConversationHistory.Prepared json = history.prepare(where, s.messages(), now);
        JSONB metadata = Json.object(s.session().metadata(), "metadata of " + where);
        int n = s.messages().size();
        UUID[] ids = new UUID[n];
        for (int i = 0; i < n; i++) {
            HistoricMessage m = s.messages().get(i);
            ids[i] = m.id() != null ? m.id().value() : derivedId(s.hostKey(), i + 1);
        }
        Instant first = n == 0 ? null : s.messages().get(0).createdAt();
        Instant createdAt = s.createdAt() != null ? s.createdAt() : first != null ? first : now;
        if (createdAt.isBefore(ConversationHistory.EARLIEST) || createdAt.isAfter(ConversationHistory.LATEST)) {
            throw new InvalidInputException("createdAt of " + where + " must be between " + ConversationHistory.EARLIEST
                    + " and " + ConversationHistory.LATEST + ", but was " + createdAt);
        }
        if (first != null && first.isBefore(createdAt)) {
            throw new InvalidInputException("createdAt of " + where + " (" + createdAt + ") is after its first message ("
                    + first + "): a session is opened before its messages are written");
        }
        if (createdAt.isAfter(now.plus(history.futureTolerance()))) {
            throw new InvalidInputException("createdAt of " + where + " is " + createdAt + ", more than "
                    + history.futureTolerance() + " after now (" + now + ")");
        }
        Instant lastAt = n == 0 ? createdAt : s.messages().get(n - 1).createdAt();
        return new Checked(s, metadata, json, ids, createdAt, lastAt);
    }

    /** The id of the message at this position (1-based) of the session with this host key, when none is given. */
    UUID derivedId(String hostKey, long position) {
        return UUID.nameUUIDFromBytes(("agentstore-import\u0000" + tenant + "\u0000" + hostKey + "\u0000" + position)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Writes one batch in one transaction; returns {sessions created, messages inserted}. */
    private long[] write(List<Checked> batch, Instant nowInstant) {
        OffsetDateTime now = ConversationHistory.odt(nowInstant);
        return ConversationHistory.run("import conversation history", () -> Transactions.inJdbcTransaction(context, c -> {
            DSLContext tx = DSL.using(context.dsl().configuration().derive(c));
            // 1. new sessions, written complete (sequence and activity as after the import)
            InsertValuesStep10<?, String, String, String, String, String, JSONB, Long, OffsetDateTime, OffsetDateTime,
                    OffsetDateTime> insert = tx.insertInto(S, S.TENANT_ID, S.HOST_KEY, S.USER_ID, S.AGENT_ID, S.TITLE,
                    S.METADATA, S.LAST_SEQ, S.LAST_ACTIVITY_AT, S.CREATED_AT, S.UPDATED_AT);
            for (Checked s : batch) {
                NewSession ns = s.session().session();
                insert = insert.values(tenant, s.session().hostKey(), ns.userId(), ns.agentId(), ns.title(), s.metadata(),
                        (long) s.size(), ConversationHistory.odt(s.lastAt()), ConversationHistory.odt(s.createdAt()), now);
            }
            Map<String, UUID> created = insert.onConflict(S.TENANT_ID, S.HOST_KEY).where(S.HOST_KEY.isNotNull()).doNothing()
                    .returningResult(S.HOST_KEY, S.ID)
                    .fetchMap(S.HOST_KEY, S.ID);

            // 2. the sessions that existed: lock them (a concurrent import of the same session waits) and see
            //    how much of each is stored
            List<String> existingKeys = batch.stream().map(s -> s.session().hostKey()).filter(k -> !created.containsKey(k))
                    .sorted().toList();
            Map<String, Record3<String, UUID, Long>> existing = existingKeys.isEmpty() ? Map.of()
                    : tx.select(S.HOST_KEY, S.ID, S.LAST_SEQ).from(S)
                            .where(S.TENANT_ID.eq(tenant), S.HOST_KEY.in(existingKeys))
                            .orderBy(S.HOST_KEY)
                            .forNoKeyUpdate()
                            .fetchMap(S.HOST_KEY);
            List<Checked> toCheck = new ArrayList<>();
            List<Row2<UUID, Long>> probes = new ArrayList<>();
            for (String key : existingKeys) {
                if (!existing.containsKey(key)) {
                    throw new ConflictException("the session with host key '" + key + "' was deleted while it was imported; "
                            + "run the import again", null);
                }
            }
            for (Checked s : batch) {
                Record3<String, UUID, Long> row = existing.get(s.session().hostKey());
                if (row != null && row.value3() > 0 && s.size() > 0) {
                    long probe = Math.min(row.value3(), s.size());
                    toCheck.add(s);
                    probes.add(DSL.row(DSL.val(row.value2(), M.SESSION_ID), DSL.val(probe, M.SEQ)));
                }
            }
            // 3. the message at the last stored position must be this import's, else the session holds other messages
            if (!probes.isEmpty()) {
                Map<List<Object>, UUID> stored = new HashMap<>();
                tx.select(M.SESSION_ID, M.SEQ, M.ID).from(M)
                        .where(M.TENANT_ID.eq(tenant), DSL.row(M.SESSION_ID, M.SEQ).in(probes))
                        .forEach(r -> stored.put(List.of(r.value1(), r.value2()), r.value3()));
                for (Checked s : toCheck) {
                    Record3<String, UUID, Long> row = existing.get(s.session().hostKey());
                    long probe = Math.min(row.value3(), s.size());
                    UUID there = stored.get(List.of(row.value2(), probe));
                    UUID expected = s.ids()[(int) probe - 1];
                    if (there != null && !there.equals(expected)) {
                        throw new ConflictException("the session with host key '" + s.session().hostKey() + "' holds a message "
                                + "at position " + probe + " that is not the imported one (id " + there + ", the import's is "
                                + expected + "): it got messages from elsewhere (e.g. live appends); import into a new host key",
                                null);
                    }
                }
            }

            // 4. every message past the stored ones, with one COPY
            long inserted = copyMessages(tx, batch, created, existing);

            // 5. existing sessions that grew: sequence and activity
            List<org.jooq.Row4<UUID, Long, OffsetDateTime, OffsetDateTime>> grown = new ArrayList<>();
            for (Checked s : batch) {
                Record3<String, UUID, Long> row = existing.get(s.session().hostKey());
                if (row != null && s.size() > row.value3()) {
                    grown.add(DSL.row(DSL.val(row.value2(), S.ID), DSL.val((long) s.size(), S.LAST_SEQ),
                            DSL.val(ConversationHistory.odt(s.lastAt()), S.LAST_ACTIVITY_AT), DSL.val(now, S.UPDATED_AT)));
                }
            }
            if (!grown.isEmpty()) {
                var v = DSL.values(grown.toArray(org.jooq.Row4[]::new)).as("v", "id", "seq", "at", "now");
                Field<UUID> vId = v.field("id", UUID.class);
                Field<Long> vSeq = v.field("seq", Long.class);
                Field<OffsetDateTime> vAt = v.field("at", OffsetDateTime.class);
                Field<OffsetDateTime> vNow = v.field("now", OffsetDateTime.class);
                tx.update(S)
                        .set(S.LAST_SEQ, DSL.greatest(S.LAST_SEQ, vSeq))
                        .set(S.LAST_ACTIVITY_AT, DSL.greatest(S.LAST_ACTIVITY_AT, vAt))
                        .set(S.UPDATED_AT, DSL.greatest(S.UPDATED_AT, vNow))
                        .from(v)
                        .where(S.TENANT_ID.eq(tenant), S.ID.eq(vId))
                        .execute();
            }
            return new long[] {created.size(), inserted};
        }));
    }

    private long copyMessages(DSLContext tx, List<Checked> batch, Map<String, UUID> created,
            Map<String, Record3<String, UUID, Long>> existing) throws SQLException {
        long rows = 0;
        for (Checked s : batch) {
            Record3<String, UUID, Long> row = existing.get(s.session().hostKey());
            rows += row == null ? s.size() : Math.max(0, s.size() - row.value3());
        }
        if (rows == 0) {
            return 0;
        }
        String columns = COPY_COLUMNS.stream().map(f -> tx.render(DSL.name(f.getName()))).collect(Collectors.joining(", "));
        CopyIn.copy(tx, tx.render(M), columns, staged, stream -> {
            BinaryCopy out = new BinaryCopy(stream);
            for (Checked s : batch) {
                Record3<String, UUID, Long> row = existing.get(s.session().hostKey());
                UUID sessionId = row == null ? created.get(s.session().hostKey()) : row.value2();
                int from = row == null ? 0 : (int) Math.min(row.value3(), s.size());
                List<HistoricMessage> messages = s.session().messages();
                for (int i = from; i < messages.size(); i++) {
                    HistoricMessage h = messages.get(i);
                    NewMessage m = h.message();
                    out.row(COPY_COLUMNS.size());
                    out.text(tenant);
                    out.uuid(s.ids()[i]);
                    out.uuid(sessionId);
                    out.int8((long) i + 1);
                    out.text(m.role().dbValue());
                    out.text(m.content());
                    out.jsonb(s.json().sources().get(i));
                    out.int8(m.responseTime() == null ? null : m.responseTime().toMillis());
                    out.int4(m.inputTokens());
                    out.int4(m.outputTokens());
                    out.text(m.model());
                    out.jsonb(s.json().metadata().get(i));
                    out.timestamptz(h.createdAt());
                    JSONB toolCalls = ToolCalls.write(m.toolCalls());
                    if (toolCalls == null) {
                        out.nul();
                    } else {
                        out.jsonb(toolCalls.data());
                    }
                    out.text(m.toolCallId());
                    out.text(m.toolName());
                    if (m.agentRunId() == null) {
                        out.nul();
                    } else {
                        out.uuid(m.agentRunId());
                    }
                }
            }
            out.finish();
        });
        return rows;
    }
}
