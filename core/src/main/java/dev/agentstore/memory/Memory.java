package dev.agentstore.memory;

import dev.agentstore.AgentStoreException;
import dev.agentstore.ContentHash;
import dev.agentstore.DimensionMismatchException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.TenantId;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.Json;
import dev.agentstore.internal.Limits;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.internal.Timing;
import dev.agentstore.internal.Transactions;
import dev.agentstore.observe.Operation;
import dev.agentstore.schema.Tables;
import dev.agentstore.schema.tables.records.MemoryEntryRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.Record3;
import org.jooq.impl.DSL;

/**
 * Agent memory of one tenant: key/value state and semantic memories. Obtained from
 * {@link dev.agentstore.AgentStore#memory(TenantId)}; sees and changes only its tenant's rows.
 *
 * <pre>{@code
 * Memory memory = store.memory(TenantId.of("acme"));
 * MemoryKey plan = MemoryKey.of("planner", MemoryScope.session(sessionId), "plan");
 * MemoryEntry v1 = memory.put(plan, "{\"step\": 1}");
 * memory.put(plan, "{\"step\": 2}", PutOptions.ifVersion(v1.version()));   // or VersionConflictException
 *
 * memory.remember(NewMemory.of("planner", "fact", "The user prefers metric units", embedding).withImportance(0.8));
 * List<RecalledMemory> hits = memory.recall(RecallQuery.of(MemoryFilter.agent("planner"), queryEmbedding, 5));
 * }</pre>
 *
 * <h2>Key/value entries</h2>
 * An entry is addressed by a {@link MemoryKey} (agent, {@link MemoryScope}, key) and holds a JSON
 * value, validated by PostgreSQL's {@code jsonb}. Each entry has a version: 1 when created, one more
 * on every put (also across expiry; deleting and putting again starts at 1). An unconditional put is
 * an upsert; a conditional put ({@link PutOptions#ifVersion(long)}, {@link PutOptions#ifAbsent()})
 * throws {@link VersionConflictException} when another writer got there first, so no update is lost
 * silently. An entry may expire; expired entries are never returned, count as absent, and are deleted
 * by {@link #purgeExpired()}. Entries of a session scope are deleted with their conversation session.
 *
 * <h2>Semantic memories</h2>
 * {@link #remember(NewMemory)} stores a memory once per agent and content (by {@link ContentHash},
 * the normalisation chunks use); remembering the same content again reinforces the stored memory
 * (see {@link #remember(NewMemory)} for exactly what changes). {@link #recall(RecallQuery)} returns
 * the best memories by the score {@link RecallScoring} documents, computed in SQL over the nearest
 * candidates from the HNSW index, and records the access. {@link #forget(MemoryId)},
 * {@link #forget(MemoryFilter)}, expiry and {@link #listForConsolidation(String, Duration, int)}
 * keep the memory small.
 *
 * <p>"Now" is the store's clock ({@code AgentStore.Builder.clock}), so expiry and recency follow it.
 * Every method runs in its own transaction and writes nothing when it throws. Bad input throws
 * {@link InvalidInputException} (a wrong embedding dimension {@link DimensionMismatchException})
 * before any SQL; database failures throw {@link AgentStoreException} subclasses. Thread-safe.
 */
public final class Memory {

    private static final dev.agentstore.schema.tables.MemoryEntryTable E = Tables.MEMORY_ENTRY;
    private static final dev.agentstore.schema.tables.MemoryTable M = Tables.MEMORY;
    private static final String MAX_LENGTH_OPTION = "AgentStore.Builder.maxMemoryLength";
    /** The largest limit accepted by list calls. */
    public static final int MAX_LIST_LIMIT = 10_000;

    private final StoreContext context;
    private final TenantId tenant;
    private final String tenantId;

    private final Timing timing;

    /**
     * The memory of one tenant; obtained from {@link dev.agentstore.AgentStore#memory(TenantId)}.
     *
     * @throws NullPointerException when an argument is null
     */
    Memory(StoreContext context, TenantId tenant) {
        this.timing = Timing.of(context);
        this.context = java.util.Objects.requireNonNull(context, "context");
        this.tenant = java.util.Objects.requireNonNull(tenant, "tenant");
        this.tenantId = tenant.value();
    }

    /**
     * The tenant this facade works for.
     *
     * @return the tenant this facade works for
     */
    public TenantId tenant() {
        return tenant;
    }

    // ------------------------------------------------------------------------------------------
    // key/value entries

    /**
     * Puts a JSON value unconditionally (creating the entry at version 1 or raising its version by
     * one), without expiry. Same as {@code put(key, json, PutOptions.unconditional())}.
     *
     * @param json any JSON text (object, array, string, number, boolean or {@code null})
     * @param key the key
     * @return the memory entry
     * @throws InvalidInputException when json is null or not valid JSON (named by key), nothing written
     * @throws NotFoundException when the key has a session scope whose session does not exist in this tenant
     */
    public MemoryEntry put(MemoryKey key, String json) {
        return put(key, json, PutOptions.unconditional());
    }

    /**
     * Puts a JSON value as the options say: unconditionally, or only at an expected version, and
     * with or without expiry (a put without expiry removes an earlier one).
     *
     * @param json any JSON text (object, array, string, number, boolean or {@code null})
     * @param key the key
     * @param options the options
     * @return the entry as now stored
     * @throws VersionConflictException when a conditional put finds another version; nothing written
     * @throws InvalidInputException when json is null or not valid JSON, or the expiry is not in the future
     * @throws NotFoundException when the key has a session scope whose session does not exist in this tenant
     */
    public MemoryEntry put(MemoryKey key, String json, PutOptions options) {
        return timing.call(Operation.MEMORY_PUT, () -> putUntimed(key, json, options));
    }

    private MemoryEntry putUntimed(MemoryKey key, String json, PutOptions options) {
        Checks.notNull(key, "key");
        if (json == null) {
            throw new InvalidInputException("value of memory entry " + key
                    + " must not be null; pass the JSON text \"null\" to store a JSON null");
        }
        return write(key, context.limits().memoryValue(json, "value of memory entry " + key), Checks.notNull(options, "options"));
    }

    /**
     * Puts a Java value (map, list, record, string, number…) serialised as JSON by agentstore's
     * mapper (Jackson), unconditionally and without expiry.
     *
     * @param key the key
     * @param value the value
     * @return the memory entry
     * @throws InvalidInputException when the value cannot be written as JSON
     * @throws NotFoundException when the key has a session scope whose session does not exist in this tenant
     */
    public MemoryEntry putValue(MemoryKey key, Object value) {
        return putValue(key, value, PutOptions.unconditional());
    }

    /**
     * Puts a Java value serialised as JSON, as the options say (see {@link #put(MemoryKey, String, PutOptions)}).
     *
     * @param key the key
     * @param value the value
     * @param options the options
     * @return the memory entry
     * @throws VersionConflictException when a conditional put finds another version; nothing written
     * @throws InvalidInputException when the value cannot be written as JSON or the expiry is not in the future
     * @throws NotFoundException when the key has a session scope whose session does not exist in this tenant
     */
    public MemoryEntry putValue(MemoryKey key, Object value, PutOptions options) {
        return timing.call(Operation.MEMORY_PUT, () -> putValueUntimed(key, value, options));
    }

    private MemoryEntry putValueUntimed(MemoryKey key, Object value, PutOptions options) {
        Checks.notNull(key, "key");
        return write(key, Json.write(value, "value of memory entry " + key, context.limits().maxMemoryValueLength(),
                Limits.MAX_MEMORY_VALUE_OPTION), Checks.notNull(options, "options"));
    }

    private MemoryEntry write(MemoryKey key, JSONB value, PutOptions options) {
        OffsetDateTime now = now();
        OffsetDateTime expiresAt = expiry(options, now, "memory entry " + key);
        MemoryScope scope = key.scope();
        try {
            DSLContext dsl = context.dsl();
            MemoryEntryRecord written;
            if (options.expectedVersion() > 0) {
                written = dsl.update(E)
                        .set(E.VALUE, value)
                        .set(E.VERSION, E.VERSION.plus(1L))
                        .set(E.EXPIRES_AT, expiresAt)
                        .set(E.UPDATED_AT, now)
                        .where(keyCondition(key), E.VERSION.eq(options.expectedVersion()), live(E.EXPIRES_AT, now))
                        .returning()
                        .fetchOne();
            } else {
                var upsert = dsl.insertInto(E)
                        .set(E.TENANT_ID, tenantId)
                        .set(E.AGENT_ID, key.agentId())
                        .set(E.SCOPE, scope.type().label())
                        .set(E.SCOPE_ID, scope.id())
                        .set(E.SESSION_ID, scope.sessionId().orElse(null))
                        .set(E.KEY, key.key())
                        .set(E.VALUE, value)
                        .set(E.VERSION, 1L)
                        .set(E.EXPIRES_AT, expiresAt)
                        .set(E.CREATED_AT, now)
                        .set(E.UPDATED_AT, now)
                        .onConflict(E.TENANT_ID, E.AGENT_ID, E.SCOPE, E.SCOPE_ID, E.KEY)
                        .doUpdate()
                        .set(E.VALUE, DSL.excluded(E.VALUE))
                        .set(E.VERSION, E.VERSION.plus(1L))
                        .set(E.EXPIRES_AT, DSL.excluded(E.EXPIRES_AT))
                        .set(E.UPDATED_AT, DSL.excluded(E.UPDATED_AT))
                        // an expired entry was gone for readers: it comes back as newly created
                        .set(E.CREATED_AT, DSL.when(expired(E.EXPIRES_AT, now), DSL.excluded(E.CREATED_AT)).otherwise(E.CREATED_AT));
                written = options.expectedVersion() == 0
                        // if absent: the conflicting row may only be replaced when it has expired
                        ? upsert.where(expired(E.EXPIRES_AT, now)).returning().fetchOne()
                        : upsert.returning().fetchOne();
            }
            if (written == null) {
                // the value is parsed here too, so that invalid JSON is reported as such, not as a conflict
                long actual = dsl.select(DSL.field(dsl.select(E.VERSION).from(E).where(keyCondition(key), live(E.EXPIRES_AT, now))),
                                DSL.val(value, E.VALUE))
                        .fetchOne(0, Long.class) instanceof Long v ? v : 0L;
                throw new VersionConflictException(key, options.expectedVersion(), actual);
            }
            return toEntry(key, written);
        } catch (RuntimeException e) {
            throw translate(e, key, "put memory entry");
        }
    }

    /**
     * The live entry at a key.
     *
     * @param key the key
     * @return the live entry at a key
     * @throws NotFoundException when there is none (never put, deleted or expired)
     */
    public MemoryEntry get(MemoryKey key) {
        return timing.call(Operation.MEMORY_GET, () -> getUntimed(key));
    }

    private MemoryEntry getUntimed(MemoryKey key) {
        return find(key).orElseThrow(() -> new NotFoundException("memory entry " + key
                + " does not exist in tenant '" + tenantId + "' (never put, deleted or expired)"));
    }

    /**
     * The live entry at a key, or empty when there is none (never put, deleted or expired).
     *
     * @param key the key
     * @return the live entry at a key, or empty when there is none (never put, deleted or expired)
     */
    public Optional<MemoryEntry> find(MemoryKey key) {
        return timing.call(Operation.MEMORY_GET, () -> findUntimed(key));
    }

    private Optional<MemoryEntry> findUntimed(MemoryKey key) {
        Checks.notNull(key, "key");
        OffsetDateTime now = now();
        try {
            return context.dsl().selectFrom(E).where(keyCondition(key), live(E.EXPIRES_AT, now))
                    .fetchOptional().map(r -> toEntry(key, r));
        } catch (RuntimeException e) {
            throw translate(e, key, "read memory entry");
        }
    }

    /**
     * The live entries of an agent in a scope, ordered by key.
     *
     * @param agentId the agent id
     * @param scope the scope
     * @return the live entries of an agent in a scope, ordered by key
     * @throws InvalidInputException when agentId is blank or scope is null
     */
    public List<MemoryEntry> list(String agentId, MemoryScope scope) {
        return timing.call(Operation.MEMORY_LIST, () -> listUntimed(agentId, scope));
    }

    private List<MemoryEntry> listUntimed(String agentId, MemoryScope scope) {
        String agent = MemoryKey.agentId(agentId);
        Checks.notNull(scope, "scope");
        OffsetDateTime now = now();
        try {
            return context.dsl().selectFrom(E)
                    .where(E.TENANT_ID.eq(tenantId), E.AGENT_ID.eq(agent), E.SCOPE.eq(scope.type().label()),
                            E.SCOPE_ID.eq(scope.id()), live(E.EXPIRES_AT, now))
                    .orderBy(E.KEY)
                    .fetch(r -> toEntry(new MemoryKey(agent, scope, r.getKey()), r));
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "list memory entries of agent '" + agent + "', " + scope);
        }
    }

    /**
     * Deletes the entry at a key (also an expired one).
     *
     * @param key the key
     * @return whether a live entry was deleted
     */
    public boolean delete(MemoryKey key) {
        return timing.call(Operation.MEMORY_DELETE, () -> deleteUntimed(key));
    }

    private boolean deleteUntimed(MemoryKey key) {
        Checks.notNull(key, "key");
        OffsetDateTime now = now();
        try {
            return context.dsl().deleteFrom(E).where(keyCondition(key)).returningResult(E.EXPIRES_AT).fetch()
                    .stream().anyMatch(r -> r.value1() == null || r.value1().isAfter(now));
        } catch (RuntimeException e) {
            throw translate(e, key, "delete memory entry");
        }
    }

    /**
     * Deletes the expired key/value entries and semantic memories of this tenant, in one transaction.
     *
     * @return how many of each were deleted
     */
    public PurgeResult purgeExpired() {
        return timing.call(Operation.MEMORY_PURGE, () -> purgeExpiredUntimed());
    }

    private PurgeResult purgeExpiredUntimed() {
        OffsetDateTime now = now();
        try {
            return inTransaction(tx -> {
                int entries = tx.deleteFrom(E).where(E.TENANT_ID.eq(tenantId), expired(E.EXPIRES_AT, now)).execute();
                int memories = tx.deleteFrom(M).where(M.TENANT_ID.eq(tenantId), expired(M.EXPIRES_AT, now)).execute();
                return new PurgeResult(entries, memories);
            });
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "purge expired memory");
        }
    }

    private Condition keyCondition(MemoryKey key) {
        return E.TENANT_ID.eq(tenantId)
                .and(E.AGENT_ID.eq(key.agentId()))
                .and(E.SCOPE.eq(key.scope().type().label()))
                .and(E.SCOPE_ID.eq(key.scope().id()))
                .and(E.KEY.eq(key.key()));
    }

    private static MemoryEntry toEntry(MemoryKey key, MemoryEntryRecord r) {
        return new MemoryEntry(key, r.getValue().data(), r.getVersion(), r.getCreatedAt().toInstant(),
                r.getUpdatedAt().toInstant(), instant(r.getExpiresAt()));
    }

    private AgentStoreException translate(RuntimeException e, MemoryKey key, String what) {
        String state = SqlErrors.sqlState(e);
        String server = SqlErrors.serverMessage(e);
        if ("22P02".equals(state) && server != null && server.toLowerCase(Locale.ROOT).contains("json")) {
            return new InvalidInputException("value of memory entry " + key + " is not valid JSON (" + server
                    + "); nothing was written", e);
        }
        if ("23503".equals(state) && key.scope().type() == MemoryScope.Type.SESSION) {
            return new NotFoundException("session " + key.scope().id() + " does not exist in tenant '" + tenantId
                    + "': memory of a session scope needs its conversation session; nothing was written");
        }
        return SqlErrors.translate(e, what + " " + key);
    }

    // ------------------------------------------------------------------------------------------
    // semantic memories

    /**
     * Remembers a memory, or reinforces it when the agent already remembers the same content (same
     * {@link ContentHash}, i.e. equal after Unicode NFC, white-space folding and trimming; case
     * counts). Reinforcing an existing, unexpired memory changes exactly this:
     * <ul>
     * <li>{@code reinforcementCount} + 1 and {@code lastSeenAt} = now (so its recency is renewed);</li>
     * <li>{@code importance} = the higher of the stored and the given importance (never lowered);</li>
     * <li>{@code metadata} = stored metadata with the given entries added or replacing (JSON {@code ||});</li>
     * <li>{@code expiresAt} = the later of the two, where "never" (null) wins: reinforcement never
     * shortens a memory's life.</li>
     * </ul>
     * Content, kind, embedding, user, session and the access statistics stay as they are. An expired
     * memory with the same content is replaced by a new one.
     *
     * @param memory the memory
     * @return the memory's id, whether it was reinforced, its reinforcement count and importance
     * @throws DimensionMismatchException when the embedding does not have the store's dimension
     * @throws InvalidInputException when the embedding holds NaN or infinity, the content is longer than
     * {@code maxMemoryLength}, metadata cannot be written as JSON, or expiresAt is not in the future;
     * nothing written
     */
    public Remembered remember(NewMemory memory) {
        return timing.call(Operation.MEMORY_REMEMBER, () -> rememberUntimed(memory));
    }

    private Remembered rememberUntimed(NewMemory memory) {
        Checks.notNull(memory, "memory");
        float[] embedding = Checks.cosineEmbedding(memory.embeddingNoCopy(), context.embeddingDimension(), "embedding of the memory");
        Checks.text(memory.content(), "content", context.limits().maxMemoryLength(), MAX_LENGTH_OPTION);
        JSONB metadata = context.limits().metadata(memory.metadata(), "metadata");
        OffsetDateTime now = now();
        OffsetDateTime expiresAt = memory.expiresAt() == null ? null : future(memory.expiresAt(), now, "expiresAt of the memory");
        byte[] hash = ContentHash.of(memory.content()).bytes();
        try {
            return inTransaction(tx -> {
                tx.deleteFrom(M).where(M.TENANT_ID.eq(tenantId), M.AGENT_ID.eq(memory.agentId()), M.CONTENT_HASH.eq(hash),
                        expired(M.EXPIRES_AT, now)).execute();
                Record3<UUID, Integer, Double> r = tx.insertInto(M)
                        .set(M.TENANT_ID, tenantId)
                        .set(M.AGENT_ID, memory.agentId())
                        .set(M.USER_ID, memory.userId())
                        .set(M.SESSION_ID, memory.sessionId())
                        .set(M.KIND, memory.kind())
                        .set(M.CONTENT, memory.content())
                        .set(M.CONTENT_HASH, hash)
                        .set(M.EMBEDDING, embedding)
                        .set(M.IMPORTANCE, memory.importance())
                        .set(M.METADATA, metadata)
                        .set(M.REINFORCEMENT_COUNT, 1)
                        .set(M.LAST_SEEN_AT, now)
                        .set(M.EXPIRES_AT, expiresAt)
                        .set(M.CREATED_AT, now)
                        .set(M.UPDATED_AT, now)
                        .onConflict(M.TENANT_ID, M.AGENT_ID, M.CONTENT_HASH)
                        .doUpdate()
                        .set(M.REINFORCEMENT_COUNT, M.REINFORCEMENT_COUNT.plus(1))
                        .set(M.LAST_SEEN_AT, DSL.excluded(M.LAST_SEEN_AT))
                        .set(M.IMPORTANCE, DSL.greatest(M.IMPORTANCE, DSL.excluded(M.IMPORTANCE)))
                        .set(M.METADATA, DSL.field("{0} || {1}", M.METADATA.getDataType(), M.METADATA, DSL.excluded(M.METADATA)))
                        .set(M.EXPIRES_AT, DSL.when(M.EXPIRES_AT.isNull().or(DSL.excluded(M.EXPIRES_AT).isNull()),
                                DSL.castNull(M.EXPIRES_AT.getDataType())).otherwise(DSL.greatest(M.EXPIRES_AT, DSL.excluded(M.EXPIRES_AT))))
                        .set(M.UPDATED_AT, DSL.excluded(M.UPDATED_AT))
                        .returningResult(M.ID, M.REINFORCEMENT_COUNT, M.IMPORTANCE)
                        .fetchSingle();
                return new Remembered(new MemoryId(r.value1()), r.value2() > 1, r.value2(), r.value3());
            });
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "remember a memory of agent '" + memory.agentId() + "'");
        }
    }

    /**
     * The best memories for a query: among the {@code candidates} live memories passing the filter
     * that are nearest to the query embedding (cosine distance, HNSW index), the {@code k} with the
     * highest {@link RecallScoring} score, best first (ties by id). Returned memories get
     * {@code accessCount} + 1 and {@code lastAccessedAt} = now, in the same statement.
     *
     * <p>One round trip and one transaction: the settings of the candidate scan and the scoring update are
     * sent together. The index spans all agents and tenants, so the candidate scan runs with pgvector's
     * iterative index scan ({@code hnsw.iterative_scan = relaxed_order}) and {@code hnsw.ef_search} =
     * max(100, candidates), both transaction-local, and is planned for the agent asked for (an agent with
     * few memories is served exactly, by its index and a sort). Like any approximate search it may miss a
     * near memory of a large agent; a filter matching few of a large agent's memories is bounded by
     * pgvector's {@code hnsw.max_scan_tuples}.
     *
     * @param query the query
     * @return at most k memories, best first; empty when none passes the filter
     * @throws DimensionMismatchException when the query embedding does not have the store's dimension
     * @throws InvalidInputException when it holds NaN or infinity
     */
    public List<RecalledMemory> recall(RecallQuery query) {
        return timing.call(Operation.MEMORY_RECALL, () -> recallUntimed(query));
    }

    private List<RecalledMemory> recallUntimed(RecallQuery query) {
        Checks.notNull(query, "query");
        float[] embedding = Checks.cosineEmbedding(query.embeddingNoCopy(), context.embeddingDimension(), "query embedding");
        OffsetDateTime now = now();
        try {
            return context.dsl().connectionResult(c -> Recall.of(context).run(c, tenantId, query, embedding, now));
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "recall memories of agent '" + query.filter().agentId() + "'");
        }
    }

    /**
     * The live semantic memory with this id.
     *
     * @param id the id
     * @return the live semantic memory with this id
     * @throws NotFoundException when there is none in this tenant (never remembered, forgotten or expired)
     */
    public SemanticMemory getMemory(MemoryId id) {
        return findMemory(id).orElseThrow(() -> new NotFoundException("memory " + id + " does not exist in tenant '"
                + tenantId + "' (never remembered, forgotten or expired)"));
    }

    /**
     * The live semantic memory with this id, or empty (never remembered, forgotten or expired).
     *
     * @param id the id
     * @return the live semantic memory with this id, or empty (never remembered, forgotten or expired)
     */
    public Optional<SemanticMemory> findMemory(MemoryId id) {
        Checks.notNull(id, "memoryId");
        OffsetDateTime now = now();
        try {
            return context.dsl().select(memoryFields()).from(M)
                    .where(M.TENANT_ID.eq(tenantId), M.ID.eq(id.value()), live(M.EXPIRES_AT, now))
                    .fetchOptional(Memory::toMemory);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "read memory " + id);
        }
    }

    /**
     * Live semantic memories passing a filter, most recently used first (by the later of last seen
     * and last accessed, then id). Does not count as an access.
     *
     * @param limit 1 to {@value #MAX_LIST_LIMIT}
     * @param filter the filter
     * @return live semantic memories passing a filter, most recently used first
     */
    public List<SemanticMemory> listMemories(MemoryFilter filter, int limit) {
        Checks.notNull(filter, "filter");
        Checks.range(limit, 1, MAX_LIST_LIMIT, "limit");
        OffsetDateTime now = now();
        try {
            return context.dsl().select(memoryFields()).from(M)
                    .where(filterCondition(filter), live(M.EXPIRES_AT, now))
                    .orderBy(lastUsed().desc(), M.ID)
                    .limit(limit)
                    .fetch(Memory::toMemory);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "list memories of agent '" + filter.agentId() + "'");
        }
    }

    /**
     * Candidates for consolidation (summarise and replace, or forget): live memories of an agent not
     * used (remembered or recalled) for at least {@code unusedFor}, least important first, then least
     * accessed, then least recently used, then by id. Does not count as an access.
     *
     * @param unusedFor minimum time since last use, zero or more
     * @param limit 1 to {@value #MAX_LIST_LIMIT}
     * @param agentId the agent id
     * @return candidates for consolidation
     */
    public List<SemanticMemory> listForConsolidation(String agentId, Duration unusedFor, int limit) {
        String agent = MemoryKey.agentId(agentId);
        Checks.notNull(unusedFor, "unusedFor");
        Checks.nonNegative(unusedFor, "unusedFor");
        Checks.range(limit, 1, MAX_LIST_LIMIT, "limit");
        OffsetDateTime now = now();
        OffsetDateTime usedBefore = now.minus(unusedFor);
        try {
            return context.dsl().select(memoryFields()).from(M)
                    .where(M.TENANT_ID.eq(tenantId), M.AGENT_ID.eq(agent), live(M.EXPIRES_AT, now), lastUsed().le(usedBefore))
                    .orderBy(M.IMPORTANCE.asc(), M.ACCESS_COUNT.asc(), lastUsed().asc(), M.ID.asc())
                    .limit(limit)
                    .fetch(Memory::toMemory);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "list memories of agent '" + agent + "' for consolidation");
        }
    }

    /**
     * Forgets (deletes) one semantic memory.
     *
     * @param id the id
     * @return whether it existed in this tenant
     */
    public boolean forget(MemoryId id) {
        return timing.call(Operation.MEMORY_FORGET, () -> forgetUntimed(id));
    }

    private boolean forgetUntimed(MemoryId id) {
        Checks.notNull(id, "memoryId");
        try {
            return context.dsl().deleteFrom(M).where(M.TENANT_ID.eq(tenantId), M.ID.eq(id.value())).execute() > 0;
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "forget memory " + id);
        }
    }

    /**
     * Forgets every semantic memory passing a filter (expired ones included), in one statement.
     *
     * @param filter the filter
     * @return how many were deleted
     */
    public int forget(MemoryFilter filter) {
        return timing.callInt(Operation.MEMORY_FORGET, () -> forgetUntimed(filter));
    }

    private int forgetUntimed(MemoryFilter filter) {
        Checks.notNull(filter, "filter");
        try {
            return context.dsl().deleteFrom(M).where(filterCondition(filter)).execute();
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "forget memories of agent '" + filter.agentId() + "'");
        }
    }

    private Condition filterCondition(MemoryFilter f) {
        Condition c = M.TENANT_ID.eq(tenantId).and(M.AGENT_ID.eq(f.agentId()));
        if (f.kind() != null) {
            c = c.and(M.KIND.eq(f.kind()));
        }
        if (f.userId() != null) {
            c = c.and(M.USER_ID.eq(f.userId()));
        }
        if (f.sessionId() != null) {
            c = c.and(M.SESSION_ID.eq(f.sessionId()));
        }
        if (!f.metadata().isEmpty()) {
            c = c.and(DSL.condition("{0} @> {1}", M.METADATA, DSL.val(Json.object(f.metadata(), "metadata filter"), M.METADATA)));
        }
        return c;
    }

    private static Field<OffsetDateTime> lastUsed() {
        return DSL.greatest(M.LAST_SEEN_AT, M.LAST_ACCESSED_AT);
    }

    private static List<Field<?>> memoryFields() {
        return List.of(M.ID, M.AGENT_ID, M.USER_ID, M.SESSION_ID, M.KIND, M.CONTENT, M.IMPORTANCE, M.METADATA,
                M.REINFORCEMENT_COUNT, M.LAST_SEEN_AT, M.ACCESS_COUNT, M.LAST_ACCESSED_AT, M.EXPIRES_AT, M.CREATED_AT);
    }

    private static SemanticMemory toMemory(Record r) {
        return new SemanticMemory(new MemoryId(r.get(M.ID)), r.get(M.AGENT_ID), r.get(M.USER_ID), r.get(M.SESSION_ID),
                r.get(M.KIND), r.get(M.CONTENT), r.get(M.IMPORTANCE), Json.toMap(r.get(M.METADATA)),
                r.get(M.REINFORCEMENT_COUNT), r.get(M.LAST_SEEN_AT).toInstant(), r.get(M.ACCESS_COUNT),
                instant(r.get(M.LAST_ACCESSED_AT)), instant(r.get(M.EXPIRES_AT)), r.get(M.CREATED_AT).toInstant());
    }

    // ------------------------------------------------------------------------------------------

    private <T> T inTransaction(Function<DSLContext, T> work) {
        return Transactions.inTransaction(context, work);
    }

    /** The store clock's now, at PostgreSQL's precision so that what is written reads back equal. */
    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(context.clock().instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    private static OffsetDateTime expiry(PutOptions options, OffsetDateTime now, String what) {
        if (options.timeToLive() != null) {
            return now.plus(options.timeToLive());
        }
        return options.expiresAt() == null ? null : future(options.expiresAt(), now, "expiresAt of " + what);
    }

    private static OffsetDateTime future(Instant at, OffsetDateTime now, String name) {
        OffsetDateTime t = OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        if (!t.isAfter(now)) {
            throw new InvalidInputException(name + " must be in the future, but was " + at + " (now is " + now.toInstant() + ")");
        }
        return t;
    }

    private static Condition live(Field<OffsetDateTime> expiresAt, OffsetDateTime now) {
        return expiresAt.isNull().or(expiresAt.gt(now));
    }

    private static Condition expired(Field<OffsetDateTime> expiresAt, OffsetDateTime now) {
        return expiresAt.le(now);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
