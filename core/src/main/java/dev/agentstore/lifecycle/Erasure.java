package dev.agentstore.lifecycle;

import static dev.agentstore.schema.Tables.AGENT;
import static dev.agentstore.schema.Tables.AGENT_RUN;
import static dev.agentstore.schema.Tables.AGENT_RUN_CHUNK;
import static dev.agentstore.schema.Tables.AGENT_RUN_TOOL_CALL;
import static dev.agentstore.schema.Tables.AGENT_TEAM;
import static dev.agentstore.schema.Tables.AGENT_TEAM_MEMBER;
import static dev.agentstore.schema.Tables.AGENT_VERSION;
import static dev.agentstore.schema.Tables.AGENT_VERSION_KNOWLEDGE_BASE;
import static dev.agentstore.schema.Tables.AGENT_VERSION_TOOL;
import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;
import static dev.agentstore.schema.Tables.CONVERSATION_SESSION;
import static dev.agentstore.schema.Tables.DOCUMENT;
import static dev.agentstore.schema.Tables.DOCUMENT_CHUNK;
import static dev.agentstore.schema.Tables.MEMORY;
import static dev.agentstore.schema.Tables.MEMORY_ENTRY;

import dev.agentstore.AgentStoreException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.TenantId;
import dev.agentstore.document.DocumentId;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.Facades;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.internal.Timing;
import dev.agentstore.observe.Operation;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * Erasure of one tenant's data: everything of a user, of an agent, or of the whole tenant, across
 * conversations, documents and agent memory.
 *
 * <pre>{@code
 * ErasureResult r = store.erasure("acme").eraseUser("alice");
 * r.deletedFrom("conversation_message");   // how many of her messages went
 * store.erase(TenantId.of("acme"));        // an organisation leaving
 * }</pre>
 *
 * <h2>What "erased" means</h2>
 * When a call returns, no row of the subject is left in agentstore's tables:
 * <ul>
 *   <li>a user: the sessions whose {@code user_id} is the user, with their messages, the agent runs recorded
 *       in them, their session-scoped key/value entries and the semantic memories recorded in them; the agent
 *       runs whose {@code user_id} is the user ({@code NewRun.forUser}), in a session or not, with their
 *       chunks and tool calls (the per-day run rollup loses their figures with them); the semantic memories whose
 *       {@code user_id} is the user; the key/value entries of the user's scope (of every agent); the
 *       documents whose {@code user_id} is the user ({@code NewDocument.withUser}, {@code DocumentInput.withUser}),
 *       with their chunk links and the chunk content no
 *       other document uses (content shared with other documents stays, as deduplication requires);</li>
 *   <li>an agent: the sessions whose {@code agent_id} is the agent (as above), its recorded runs (with
 *       their chunks and tool calls), its key/value entries of every scope, its semantic memories, and its
 *       registry entry (versions with their tools and knowledge bases, team memberships);</li>
 *   <li>a tenant: every row of the tenant in every table.</li>
 * </ul>
 * Deleted rows are gone for every query at once; their bytes stay in the table files until
 * {@code VACUUM} reuses the space, and in WAL archives and backups until those expire: erasure from
 * those is the operator's retention policy.
 *
 * <h2>How it runs</h2>
 * In batches of at most {@link #batchSize()} rows, each its own short transaction, so that a large erasure
 * never holds many row locks or a lock for long, and concurrent traffic of other subjects goes on.
 * Every step deletes "up to a batch of what is left" until nothing is left, so an erasure interrupted
 * (crash, timeout, restart) is completed by calling it again, and a second call deletes nothing and
 * returns zeros. A batch that took longer than {@link #maxTransactionTime()} halves the next batch (down
 * to one row), and quick batches grow it back, so that lock hold times stay near that bound also on a
 * loaded server. Rows written for the subject while the erasure runs (a new message in one of the
 * user's sessions, a new session) may survive: stop the subject's traffic first, or call again.
 *
 * <p>Thread-safe and immutable; obtained from {@code store.erasure(tenant)}.
 */
public final class Erasure {

    /** Rows per transaction unless told otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 250;
    /** Largest batch. */
    public static final int MAX_BATCH_SIZE = 100_000;
    /** How long one batch should take at most unless told otherwise, in milliseconds. */
    public static final long DEFAULT_MAX_TRANSACTION_MILLIS = 50;
    /** Longest user or agent id accepted (as the capabilities accept). */
    public static final int MAX_ID_LENGTH = 200;

    private static final int SESSIONS_PER_ROUND = 100;

    private final StoreContext context;
    private final DSLContext dsl;
    private final TenantId tenantId;
    private final String tenant;
    private final int batchSize;
    private final Duration maxTransactionTime;

    /**
     * The erasure of one tenant's data; obtained from {@code store.erasure(tenant)}.
     *
     * @throws NullPointerException when an argument is null
     */
    Erasure(StoreContext context, TenantId tenant) {
        this(context, Objects.requireNonNull(tenant, "tenant"), DEFAULT_BATCH_SIZE,
                Duration.ofMillis(DEFAULT_MAX_TRANSACTION_MILLIS));
    }

    private final Timing timing;

    private Erasure(StoreContext context, TenantId tenant, int batchSize, Duration maxTransactionTime) {
        this.timing = Timing.of(context);
        this.context = Objects.requireNonNull(context, "context");
        this.dsl = context.dsl();
        this.tenantId = tenant;
        this.tenant = tenant.value();
        this.batchSize = batchSize;
        this.maxTransactionTime = maxTransactionTime;
    }

    /**
     * Rows per transaction.
     *
     * @return rows per transaction
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * A copy deleting this many rows per transaction: smaller batches hold locks for less time, larger
     * ones finish sooner.
     *
     * @param newBatchSize the new batch size
     * @return a copy deleting this many rows per transaction
     * @throws InvalidInputException when batchSize is not between 1 and {@value #MAX_BATCH_SIZE}
     */
    public Erasure withBatchSize(int newBatchSize) {
        Checks.range(newBatchSize, 1, MAX_BATCH_SIZE, "batchSize");
        return new Erasure(context, tenantId, newBatchSize, maxTransactionTime);
    }

    /**
     * How long one batch should take at most; slower batches make the next ones smaller.
     *
     * @return how long one batch should take at most; slower batches make the next ones smaller
     */
    public Duration maxTransactionTime() {
        return maxTransactionTime;
    }

    /**
     * A copy aiming at transactions of at most this duration (the batch shrinks while batches take longer).
     *
     * @param max the maximum
     * @return a copy aiming at transactions of at most this duration
     * @throws InvalidInputException when the duration is null, under 1 ms or over 1 minute
     */
    public Erasure withMaxTransactionTime(Duration max) {
        Checks.notNull(max, "maxTransactionTime");
        if (max.toMillis() < 1 || max.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new InvalidInputException("maxTransactionTime must be between 1 ms and 1 minute, but was " + max);
        }
        return new Erasure(context, tenantId, batchSize, max);
    }

    /**
     * Erases everything of this user in this tenant (see the class comment for exactly what).
     *
     * @param userId the user; not blank, at most {@value #MAX_ID_LENGTH} characters
     * @return rows deleted per table; all zero when nothing of the user was left
     * @throws InvalidInputException when userId is invalid
     * @throws AgentStoreException when the database fails; batches already committed stay deleted, call again
     */
    public ErasureResult eraseUser(String userId) {
        return timing.call(Operation.ERASE_USER, () -> eraseUserUntimed(userId));
    }

    private ErasureResult eraseUserUntimed(String userId) {
        Checks.text(userId, "userId", MAX_ID_LENGTH, null);
        Run run = new Run();
        eraseSessions(run, CONVERSATION_SESSION.USER_ID.eq(userId));
        run.deleteInBatches(MEMORY, MEMORY.ID, MEMORY.TENANT_ID, MEMORY.USER_ID.eq(userId));
        run.deleteInBatches(MEMORY_ENTRY, MEMORY_ENTRY.ID, MEMORY_ENTRY.TENANT_ID,
                DSL.and(MEMORY_ENTRY.SCOPE.eq("user"), MEMORY_ENTRY.SCOPE_ID.eq(userId)));
        eraseRuns(run, AGENT_RUN.USER_ID.eq(userId));
        eraseDocuments(run, DOCUMENT.USER_ID.eq(userId));
        return run.result();
    }

    /**
     * Erases everything of this agent in this tenant: its sessions (with messages, session memory and
     * the memories recorded in them), its key/value entries of every scope and its semantic memories.
     *
     * @param agentId the agent; not blank, at most {@value #MAX_ID_LENGTH} characters
     * @return rows deleted per table
     * @throws InvalidInputException when agentId is invalid
     * @throws AgentStoreException when the database fails; batches already committed stay deleted, call again
     */
    public ErasureResult eraseAgent(String agentId) {
        return timing.call(Operation.ERASE_AGENT, () -> eraseAgentUntimed(agentId));
    }

    private ErasureResult eraseAgentUntimed(String agentId) {
        Checks.text(agentId, "agentId", MAX_ID_LENGTH, null);
        Run run = new Run();
        eraseSessions(run, CONVERSATION_SESSION.AGENT_ID.eq(agentId));
        eraseRuns(run, AGENT_RUN.AGENT_ID.eq(agentId));
        run.deleteInBatches(MEMORY, MEMORY.ID, MEMORY.TENANT_ID, MEMORY.AGENT_ID.eq(agentId));
        run.deleteInBatches(MEMORY_ENTRY, MEMORY_ENTRY.ID, MEMORY_ENTRY.TENANT_ID, MEMORY_ENTRY.AGENT_ID.eq(agentId));
        eraseRegistry(run, AGENT.AGENT_ID.eq(agentId));
        return run.result();
    }

    /**
     * Erases every row of this tenant: conversations, agent memory, knowledge bases with their documents
     * and chunks. The tenant id may be used again afterwards (it starts empty).
     *
     * @return rows deleted per table
     * @throws AgentStoreException when the database fails; batches already committed stay deleted, call again
     */
    public ErasureResult eraseTenant() {
        return timing.call(Operation.ERASE_TENANT, () -> eraseTenantUntimed());
    }

    private ErasureResult eraseTenantUntimed() {
        Run run = new Run();
        eraseSessions(run, DSL.noCondition());
        eraseRuns(run, DSL.noCondition());
        run.deleteInBatches(MEMORY, MEMORY.ID, MEMORY.TENANT_ID, DSL.noCondition());
        run.deleteInBatches(MEMORY_ENTRY, MEMORY_ENTRY.ID, MEMORY_ENTRY.TENANT_ID, DSL.noCondition());
        run.delete(AGENT_TEAM_MEMBER, () -> dsl.deleteFrom(AGENT_TEAM_MEMBER).where(AGENT_TEAM_MEMBER.TENANT_ID.eq(tenant)).execute());
        run.delete(AGENT_TEAM, () -> dsl.deleteFrom(AGENT_TEAM).where(AGENT_TEAM.TENANT_ID.eq(tenant)).execute());
        eraseRegistry(run, DSL.noCondition());
        eraseKnowledgeBases(run);
        return run.result();
    }

    /** Sessions matching the condition, a round of sessions at a time: messages, memories, entries, then the sessions. */
    private void eraseSessions(Run run, Condition which) {
        var s = CONVERSATION_SESSION;
        var m = CONVERSATION_MESSAGE;
        run.touch(m);
        run.touch(MEMORY_ENTRY);
        run.touch(MEMORY);
        run.touch(s);
        while (true) {
            List<UUID> ids = run.query(() -> dsl.select(s.ID).from(s)
                    .where(s.TENANT_ID.eq(tenant), which)
                    .orderBy(s.ID)
                    .limit(SESSIONS_PER_ROUND)
                    .fetch(s.ID));
            if (ids.isEmpty()) {
                return;
            }
            UUID[] batch = ids.toArray(UUID[]::new);
            eraseRuns(run, AGENT_RUN.SESSION_ID.eq(DSL.any(DSL.val(batch))));
            run.deleteInBatches(m, m.ID, m.TENANT_ID, m.SESSION_ID.eq(DSL.any(DSL.val(batch))));
            run.deleteInBatches(MEMORY_ENTRY, MEMORY_ENTRY.ID, MEMORY_ENTRY.TENANT_ID,
                    MEMORY_ENTRY.SESSION_ID.eq(DSL.any(DSL.val(batch))));
            run.deleteInBatches(MEMORY, MEMORY.ID, MEMORY.TENANT_ID, MEMORY.SESSION_ID.eq(DSL.any(DSL.val(batch))));
            // what is left cascades with the session: messages appended in the last moments
            run.delete(s, () -> dsl.deleteFrom(s).where(s.TENANT_ID.eq(tenant), s.ID.eq(DSL.any(DSL.val(batch)))).execute());
        }
    }

    /** Recorded agent runs matching the condition, a batch at a time: their chunks and tool calls, then the runs. */
    private void eraseRuns(Run run, Condition which) {
        run.touch(AGENT_RUN_CHUNK);
        run.touch(AGENT_RUN_TOOL_CALL);
        run.touch(AGENT_RUN);
        while (true) {
            List<UUID> ids = run.query(() -> dsl.select(AGENT_RUN.ID).from(AGENT_RUN)
                    .where(AGENT_RUN.TENANT_ID.eq(tenant), which)
                    .limit(batchSize)
                    .fetch(AGENT_RUN.ID));
            if (ids.isEmpty()) {
                return;
            }
            UUID[] batch = ids.toArray(UUID[]::new);
            run.delete(AGENT_RUN_CHUNK, () -> dsl.deleteFrom(AGENT_RUN_CHUNK)
                    .where(AGENT_RUN_CHUNK.TENANT_ID.eq(tenant), AGENT_RUN_CHUNK.RUN_ID.eq(DSL.any(DSL.val(batch)))).execute());
            run.delete(AGENT_RUN_TOOL_CALL, () -> dsl.deleteFrom(AGENT_RUN_TOOL_CALL)
                    .where(AGENT_RUN_TOOL_CALL.TENANT_ID.eq(tenant), AGENT_RUN_TOOL_CALL.RUN_ID.eq(DSL.any(DSL.val(batch))))
                    .execute());
            run.delete(AGENT_RUN, () -> dsl.deleteFrom(AGENT_RUN)
                    .where(AGENT_RUN.TENANT_ID.eq(tenant), AGENT_RUN.ID.eq(DSL.any(DSL.val(batch)))).execute());
        }
    }

    /**
     * Registry entries of the agents matching the condition (on {@code agent}): team memberships, the
     * versions' tools and knowledge bases, then the agent with its versions (one short transaction per
     * agent; its runs are gone by then).
     */
    private void eraseRegistry(Run run, Condition which) {
        run.touch(AGENT_TEAM_MEMBER);
        run.touch(AGENT_VERSION_TOOL);
        run.touch(AGENT_VERSION_KNOWLEDGE_BASE);
        run.touch(AGENT_VERSION);
        run.touch(AGENT);
        List<String> agents = run.query(() -> dsl.select(AGENT.AGENT_ID).from(AGENT)
                .where(AGENT.TENANT_ID.eq(tenant), which)
                .fetch(AGENT.AGENT_ID));
        for (String agent : agents) {
            run.delete(AGENT_TEAM_MEMBER, () -> dsl.deleteFrom(AGENT_TEAM_MEMBER)
                    .where(AGENT_TEAM_MEMBER.TENANT_ID.eq(tenant), AGENT_TEAM_MEMBER.AGENT_ID.eq(agent)).execute());
            run.delete(AGENT_VERSION_TOOL, () -> dsl.deleteFrom(AGENT_VERSION_TOOL)
                    .where(AGENT_VERSION_TOOL.TENANT_ID.eq(tenant), AGENT_VERSION_TOOL.AGENT_ID.eq(agent)).execute());
            run.delete(AGENT_VERSION_KNOWLEDGE_BASE, () -> dsl.deleteFrom(AGENT_VERSION_KNOWLEDGE_BASE)
                    .where(AGENT_VERSION_KNOWLEDGE_BASE.TENANT_ID.eq(tenant), AGENT_VERSION_KNOWLEDGE_BASE.AGENT_ID.eq(agent))
                    .execute());
            long versions = run.query(() -> (long) dsl.fetchCount(AGENT_VERSION,
                    AGENT_VERSION.TENANT_ID.eq(tenant).and(AGENT_VERSION.AGENT_ID.eq(agent))));
            int deleted = run.delete(AGENT, () -> dsl.deleteFrom(AGENT)
                    .where(AGENT.TENANT_ID.eq(tenant), AGENT.AGENT_ID.eq(agent)).execute());
            if (deleted > 0) {
                run.add(AGENT_VERSION, versions);
            }
        }
    }

    /** Documents matching the condition, one transaction each, through the document capability (its dedup rules). */
    private void eraseDocuments(Run run, Condition which) {
        Documents documents = Facades.create(Documents.class, context, tenantId);
        run.touch(DOCUMENT);
        run.touch(DOCUMENT_CHUNK);
        run.touch("chunk");
        while (true) {
            List<UUID> ids = run.query(() -> dsl.select(DOCUMENT.ID).from(DOCUMENT)
                    .where(DOCUMENT.TENANT_ID.eq(tenant), which)
                    .limit(SESSIONS_PER_ROUND)
                    .fetch(DOCUMENT.ID));
            if (ids.isEmpty()) {
                return;
            }
            for (UUID id : ids) {
                long links = run.query(() -> (long) dsl.fetchCount(DOCUMENT_CHUNK,
                        DOCUMENT_CHUNK.TENANT_ID.eq(tenant).and(DOCUMENT_CHUNK.DOCUMENT_ID.eq(id))));
                run.timed(() -> {
                    try {
                        int chunks = documents.deleteDocument(DocumentId.of(id));
                        run.add(DOCUMENT, 1);
                        run.add(DOCUMENT_CHUNK, links);
                        run.add("chunk", chunks);
                    } catch (NotFoundException gone) {
                        // deleted concurrently: erased either way
                    }
                    return null;
                });
            }
        }
    }

    /** Every knowledge base of the tenant, with its documents and chunks, one at a time. */
    private void eraseKnowledgeBases(Run run) {
        Documents documents = Facades.create(Documents.class, context, tenantId);
        run.touch("knowledge_base");
        run.touch(DOCUMENT);
        run.touch(DOCUMENT_CHUNK);
        run.touch("chunk");
        for (KnowledgeBase kb : documents.listKnowledgeBases()) {
            long docs = run.query(() -> (long) dsl.fetchCount(DOCUMENT,
                    DOCUMENT.TENANT_ID.eq(tenant).and(DOCUMENT.KNOWLEDGE_BASE_ID.eq(kb.id().value()))));
            long links = run.query(() -> (long) dsl.fetchCount(DSL.selectOne().from(DOCUMENT_CHUNK).join(DOCUMENT)
                    .on(DOCUMENT.TENANT_ID.eq(DOCUMENT_CHUNK.TENANT_ID), DOCUMENT.ID.eq(DOCUMENT_CHUNK.DOCUMENT_ID))
                    .where(DOCUMENT_CHUNK.TENANT_ID.eq(tenant), DOCUMENT.KNOWLEDGE_BASE_ID.eq(kb.id().value()))));
            long chunks = documents.countChunks(kb.id());
            boolean deleted = run.timed(() -> documents.deleteKnowledgeBase(kb.id()));
            if (deleted) {
                run.add("knowledge_base", 1);
                run.add(DOCUMENT, docs);
                run.add(DOCUMENT_CHUNK, links);
                run.add("chunk", chunks);
            }
        }
    }

    /** The counters of one erasure. */
    private final class Run {
        private final long started = System.nanoTime();
        private final Map<String, Long> deleted = new LinkedHashMap<>();
        private int transactions;
        private long longestNanos;
        /** Rows per batch now: {@link #batchSize} at most, smaller while batches take too long. */
        private int current = batchSize;

        void adapt(long tookNanos) {
            long max = maxTransactionTime.toNanos();
            if (tookNanos > max) {
                current = Math.max(1, current / 2);
            } else if (tookNanos < max / 4) {
                current = (int) Math.min(batchSize, current * 2L);
            }
        }

        void touch(Table<?> table) {
            touch(table.getName());
        }

        void touch(String table) {
            deleted.putIfAbsent(table, 0L);
        }

        void add(Table<?> table, long rows) {
            add(table.getName(), rows);
        }

        void add(String table, long rows) {
            deleted.merge(table, rows, Long::sum);
        }

        /** Deletes matching rows of this tenant a batch per transaction until none is left. */
        void deleteInBatches(Table<?> table, Field<UUID> id, Field<String> tenantField, Condition which) {
            touch(table);
            while (true) {
                Select<Record1<UUID>> ids = DSL.select(id).from(table).where(tenantField.eq(tenant), which).limit(current);
                // id = ANY(ARRAY(...)): the batch is collected through the subject's index, then deleted by primary key
                long t0 = System.nanoTime();
                int n = delete(table, () -> dsl.deleteFrom(table)
                        .where(tenantField.eq(tenant), id.eq(DSL.any(DSL.array(ids))))
                        .execute());
                if (n == 0) {
                    return;
                }
                adapt(System.nanoTime() - t0);
            }
        }

        int delete(Table<?> table, Supplier<Integer> statement) {
            int n = timed(statement);
            add(table, n);
            return n;
        }

        <T> T timed(Supplier<T> statement) {
            long t0 = System.nanoTime();
            T result = query(statement);
            long took = System.nanoTime() - t0;
            transactions++;
            longestNanos = Math.max(longestNanos, took);
            return result;
        }

        <T> T query(Supplier<T> statement) {
            try {
                return statement.get();
            } catch (DataAccessException e) {
                throw SqlErrors.translate(e, "erase data of tenant '" + tenant + "'");
            }
        }

        ErasureResult result() {
            return new ErasureResult(deleted, transactions, Duration.ofNanos(longestNanos),
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
