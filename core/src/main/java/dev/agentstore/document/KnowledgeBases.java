package dev.agentstore.document;

import static dev.agentstore.schema.Tables.KNOWLEDGE_BASE;

import dev.agentstore.AgentStoreException;
import dev.agentstore.NotFoundException;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.Json;
import dev.agentstore.internal.KnowledgeLayout;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.schema.tables.records.KnowledgeBaseRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Knowledge bases of one tenant and their physical storage: creating one creates its partitions and
 * live indexes (through the schema's {@code knowledge_storage_*} functions, so the application role
 * needs no DDL rights), deleting one drops them in constant time, compacting one merges its index ranges.
 */
final class KnowledgeBases {

    /** Attempts of a knowledge-base drop that waits too long for the parent tables' lock. */
    private static final int DROP_ATTEMPTS = 20;
    /** How long one drop attempt waits for the parents' lock before it gives way to the writers queued behind it. */
    private static final String DROP_LOCK_TIMEOUT = "2s";

    /**
     * Knowledge bases created per transaction by {@link #createAll}: each locks its two new tables, their
     * indexes and the parents, and one transaction must stay well inside the lock table
     * ({@code max_locks_per_transaction} × connections; 1,000 creations in one transaction ran out of it).
     */
    static final int CREATE_BATCH = 50;

    private final StoreContext context;
    private final String tenant;
    private final Ingestor ingestor;

    KnowledgeBases(StoreContext context, String tenant, Ingestor ingestor) {
        this.context = context;
        this.tenant = tenant;
        this.ingestor = ingestor;
    }

    private DSLContext dsl() {
        return context.dsl();
    }

    /** A call of one of the schema's storage functions (DDL runs as the schema owner). */
    private Field<Object> storageFunction(String name, Field<?>... arguments) {
        return DSL.function(DSL.name(context.schema(), name), SQLDataType.OTHER, arguments);
    }

    private Field<Boolean> storagePredicate(String name, Field<?>... arguments) {
        return DSL.function(DSL.name(context.schema(), name), SQLDataType.BOOLEAN, arguments);
    }

    /** The dimension a spec's knowledge base gets; refuses one its vector type cannot index. */
    private int dimension(KnowledgeBaseSpec spec, String what) {
        int dimension = spec.dimension() == KnowledgeBaseSpec.STORE_DIMENSION ? context.embeddingDimension() : spec.dimension();
        if (dimension > spec.vectorType().maxDimension()) {
            throw new dev.agentstore.InvalidInputException(what + " dimension must be at most "
                    + spec.vectorType().maxDimension() + " for vector type " + spec.vectorType() + ", but was " + dimension
                    + (spec.vectorType() == VectorType.VECTOR ? "; use withVectorType(VectorType.HALFVEC) for up to "
                            + VectorType.HALFVEC.maxDimension() + " dimensions" : ""));
        }
        return dimension;
    }

    /**
     * Creates many knowledge bases, {@value #CREATE_BATCH} per transaction: one multi-row insert and one
     * statement that creates all their storage, instead of a transaction and three round trips each. Every spec
     * is checked before any SQL runs.
     */
    List<KnowledgeBase> createAll(List<KnowledgeBaseSpec> specs) {
        Checks.notNull(specs, "specs");
        int[] dimensions = new int[specs.size()];
        Set<String> names = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            KnowledgeBaseSpec spec = specs.get(i);
            if (spec == null) {
                throw new dev.agentstore.InvalidInputException("specs[" + i + "] must not be null");
            }
            if (!names.add(spec.name())) {
                throw new dev.agentstore.InvalidInputException("specs[" + i + "] repeats the name '" + spec.name()
                        + "'; give each knowledge base a name of its own");
            }
            dimensions[i] = dimension(spec, "specs[" + i + "]: knowledge base");
        }
        List<KnowledgeBase> out = new ArrayList<>(specs.size());
        for (int from = 0; from < specs.size(); from += CREATE_BATCH) {
            int to = Math.min(specs.size(), from + CREATE_BATCH);
            int first = from;
            try {
                out.addAll(dsl().transactionResult(cfg -> {
                    DSLContext tx = DSL.using(cfg);
                    lockStorageDdl(tx);
                    var insert = tx.insertInto(KNOWLEDGE_BASE, KNOWLEDGE_BASE.TENANT_ID, KNOWLEDGE_BASE.NAME,
                            KNOWLEDGE_BASE.DESCRIPTION, KNOWLEDGE_BASE.EMBEDDING_MODEL, KNOWLEDGE_BASE.EMBEDDING_DIMENSION,
                            KNOWLEDGE_BASE.VECTOR_TYPE, KNOWLEDGE_BASE.DISTANCE_METRIC, KNOWLEDGE_BASE.TEXT_SEARCH_CONFIG,
                            KNOWLEDGE_BASE.METADATA);
                    for (int i = first; i < to; i++) {
                        KnowledgeBaseSpec spec = specs.get(i);
                        insert = insert.values(tenant, spec.name(), spec.description(), spec.embeddingModel(), dimensions[i],
                                spec.vectorType().sqlName(), spec.metric().sqlName(), spec.textSearchConfig().sqlName(),
                                context.limits().metadata(spec.metadata(), "specs[" + i + "] metadata"));
                    }
                    Map<String, KnowledgeBaseRecord> byName = new HashMap<>();
                    for (KnowledgeBaseRecord r : insert.returning().fetch()) {
                        byName.put(r.getName(), r);
                    }
                    List<KnowledgeBase> created = new ArrayList<>(to - first);
                    UUID[] ids = new UUID[to - first];
                    for (int i = first; i < to; i++) {
                        KnowledgeBaseRecord r = byName.get(specs.get(i).name());
                        ids[i - first] = r.getId();
                        created.add(toKnowledgeBase(r));
                    }
                    // one statement for all their partitions, in order (the storage-DDL lock is held)
                    tx.resultQuery("select {0}({1}, t.id) from unnest({2}) with ordinality t(id, n) order by t.n",
                            DSL.name(context.schema(), "knowledge_storage_create"), DSL.val(tenant),
                            DSL.val(ids, SQLDataType.UUID.array())).fetch();
                    return created;
                }));
            } catch (RuntimeException e) {
                throw SqlErrors.translate(e, "create knowledge bases " + from + " to " + (to - 1) + " of " + specs.size()
                        + (from > 0 ? " (the first " + from + " are created)" : ""));
            }
        }
        return out;
    }

    KnowledgeBase create(KnowledgeBaseSpec spec) {
        Checks.notNull(spec, "spec");
        int dimension = dimension(spec, "knowledge base");
        try {
            return dsl().transactionResult(cfg -> {
                DSLContext tx = DSL.using(cfg);
                lockStorageDdl(tx);
                KnowledgeBaseRecord r = tx.insertInto(KNOWLEDGE_BASE)
                        .set(KNOWLEDGE_BASE.TENANT_ID, tenant)
                        .set(KNOWLEDGE_BASE.NAME, spec.name())
                        .set(KNOWLEDGE_BASE.DESCRIPTION, spec.description())
                        .set(KNOWLEDGE_BASE.EMBEDDING_MODEL, spec.embeddingModel())
                        .set(KNOWLEDGE_BASE.EMBEDDING_DIMENSION, dimension)
                        .set(KNOWLEDGE_BASE.VECTOR_TYPE, spec.vectorType().sqlName())
                        .set(KNOWLEDGE_BASE.DISTANCE_METRIC, spec.metric().sqlName())
                        .set(KNOWLEDGE_BASE.TEXT_SEARCH_CONFIG, spec.textSearchConfig().sqlName())
                        .set(KNOWLEDGE_BASE.METADATA, context.limits().metadata(spec.metadata(), "knowledge base metadata"))
                        .returning()
                        .fetchSingle();
                tx.select(storageFunction("knowledge_storage_create", DSL.val(tenant), DSL.val(r.getId()))).fetch();
                return toKnowledgeBase(r);
            });
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "create knowledge base '" + spec.name() + "'");
        }
    }

    Optional<KnowledgeBase> find(KnowledgeBaseId id) {
        Checks.notNull(id, "knowledgeBaseId");
        try {
            return dsl().selectFrom(KNOWLEDGE_BASE)
                    .where(KNOWLEDGE_BASE.TENANT_ID.eq(tenant))
                    .and(KNOWLEDGE_BASE.ID.eq(id.value()))
                    .fetchOptional()
                    .map(KnowledgeBases::toKnowledgeBase);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "read knowledge base " + id);
        }
    }

    Optional<KnowledgeBase> find(String name) {
        Checks.notBlank(name, "name");
        try {
            return dsl().selectFrom(KNOWLEDGE_BASE)
                    .where(KNOWLEDGE_BASE.TENANT_ID.eq(tenant))
                    .and(KNOWLEDGE_BASE.NAME.eq(name))
                    .fetchOptional()
                    .map(KnowledgeBases::toKnowledgeBase);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "read knowledge base '" + name + "'");
        }
    }

    List<KnowledgeBase> list() {
        try {
            return dsl().selectFrom(KNOWLEDGE_BASE)
                    .where(KNOWLEDGE_BASE.TENANT_ID.eq(tenant))
                    .orderBy(KNOWLEDGE_BASE.NAME)
                    .fetch(KnowledgeBases::toKnowledgeBase);
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "list knowledge bases");
        }
    }

    KnowledgeBase rename(KnowledgeBaseId id, String newName) {
        Checks.notNull(id, "knowledgeBaseId");
        Checks.notBlank(newName, "name");
        if (newName.length() > KnowledgeBaseSpec.MAX_NAME_LENGTH) {
            throw new dev.agentstore.InvalidInputException("knowledge base name must be at most "
                    + KnowledgeBaseSpec.MAX_NAME_LENGTH + " characters, but has " + newName.length());
        }
        try {
            return dsl().update(KNOWLEDGE_BASE)
                    .set(KNOWLEDGE_BASE.NAME, newName)
                    .set(KNOWLEDGE_BASE.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(KNOWLEDGE_BASE.TENANT_ID.eq(tenant))
                    .and(KNOWLEDGE_BASE.ID.eq(id.value()))
                    .returning()
                    .fetchOptional()
                    .map(KnowledgeBases::toKnowledgeBase)
                    .orElseThrow(() -> new NotFoundException("knowledge base " + id + " not found"));
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "rename knowledge base " + id + " to '" + newName + "'");
        }
    }

    void swapNames(KnowledgeBaseId a, KnowledgeBaseId b) {
        Checks.notNull(a, "a");
        Checks.notNull(b, "b");
        if (a.equals(b)) {
            throw new dev.agentstore.InvalidInputException("swapKnowledgeBaseNames needs two different knowledge bases, "
                    + "but got " + a + " twice");
        }
        try {
            dsl().transaction(cfg -> {
                DSLContext tx = DSL.using(cfg);
                // both rows locked in id order, then names moved through a placeholder no tenant can hold
                Map<UUID, String> names = new java.util.HashMap<>();
                for (var r : tx.select(KNOWLEDGE_BASE.ID, KNOWLEDGE_BASE.NAME).from(KNOWLEDGE_BASE)
                        .where(KNOWLEDGE_BASE.TENANT_ID.eq(tenant))
                        .and(KNOWLEDGE_BASE.ID.in(a.value(), b.value()))
                        .orderBy(KNOWLEDGE_BASE.ID)
                        .forUpdate()
                        .fetch()) {
                    names.put(r.value1(), r.value2());
                }
                for (KnowledgeBaseId id : List.of(a, b)) {
                    if (!names.containsKey(id.value())) {
                        throw new NotFoundException("knowledge base " + id + " not found");
                    }
                }
                setName(tx, a.value(), "\u0001swap " + UUID.randomUUID());
                setName(tx, b.value(), names.get(a.value()));
                setName(tx, a.value(), names.get(b.value()));
            });
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "swap the names of knowledge bases " + a + " and " + b);
        }
    }

    private void setName(DSLContext tx, UUID id, String name) {
        tx.update(KNOWLEDGE_BASE)
                .set(KNOWLEDGE_BASE.NAME, name)
                .set(KNOWLEDGE_BASE.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(KNOWLEDGE_BASE.TENANT_ID.eq(tenant))
                .and(KNOWLEDGE_BASE.ID.eq(id))
                .execute();
    }

    /**
     * Serialises the creation and the drop of knowledge-base storage in the store: both lock the
     * partitioned parents and {@code document} (cloned foreign key) in an order two of them could
     * otherwise interleave into a deadlock. Taken before any other lock of the transaction except a
     * knowledge base's writer lock.
     */
    private static void lockStorageDdl(DSLContext tx) {
        tx.resultQuery("select pg_advisory_xact_lock(hashtextextended('agentstore.storage-ddl', 0))").fetch();
    }

    /** The layout of a knowledge base of this tenant, for writing to it. */
    KbStorage kb(KnowledgeBaseId id) {
        return kb(id.value(), "knowledge base " + id);
    }

    KbStorage kb(UUID id, String what) {
        Map<UUID, KnowledgeLayout> layouts;
        try {
            layouts = KnowledgeLayout.load(dsl(), context.schema(), tenant, List.of(id));
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "read " + what);
        }
        KnowledgeLayout layout = layouts.get(id);
        if (layout == null) {
            throw new NotFoundException("knowledge base " + id + " not found");
        }
        return new KbStorage(layout, context.schema());
    }

    /**
     * Drops the knowledge base's partitions (constant time, no dead rows), then its documents and row.
     * Waits for the writers of this knowledge base; retries when the parent tables' lock is contended.
     */
    boolean delete(KnowledgeBaseId id) {
        Checks.notNull(id, "knowledgeBaseId");
        for (int attempt = 1; ; attempt++) {
            try {
                return dsl().transactionResult(cfg -> {
                    DSLContext tx = DSL.using(cfg);
                    ingestor.locks().lockWriter(tx, id.value(), true);
                    lockStorageDdl(tx);
                    tx.select(DSL.function("set_config", String.class, DSL.inline("lock_timeout"),
                            DSL.inline(DROP_LOCK_TIMEOUT), DSL.inline(true))).fetch();
                    return Boolean.TRUE.equals(tx.select(storagePredicate("knowledge_storage_drop", DSL.val(tenant),
                            DSL.val(id.value()))).fetchSingle().value1());
                });
            } catch (RuntimeException e) {
                if ("55P03".equals(SqlErrors.sqlState(e)) && attempt < DROP_ATTEMPTS) {
                    pause(attempt);
                    continue;
                }
                throw SqlErrors.translate(e, "delete knowledge base " + id);
            }
        }
    }

    /**
     * Merges the index ranges of a knowledge base other than the live one into one (one index build
     * over their rows; no row rewritten). Writers of this knowledge base wait meanwhile, searches do not.
     *
     * @return how many ranges were merged (0 when there were fewer than two)
     */
    int compact(KnowledgeBaseId id) {
        Checks.notNull(id, "knowledgeBaseId");
        kb(id); // not found before any lock
        try {
            return dsl().transactionResult(cfg -> {
                DSLContext tx = DSL.using(cfg);
                ingestor.locks().lockWriter(tx, id.value(), true);
                return compactLocked(tx, kb(id.value(), "knowledge base " + id).layout(), 2);
            });
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e, "compact knowledge base " + id);
        }
    }

    /** Merges the non-live ranges when there are at least {@code minRanges}; the caller holds the writer lock. */
    int compactLocked(DSLContext tx, KnowledgeLayout layout, int minRanges) {
        List<KnowledgeLayout.IndexRange> closed = layout.ranges().stream().filter(r -> r.from() > 0).toList();
        if (closed.size() < minRanges) {
            return 0;
        }
        int from = closed.get(0).from();
        int to = closed.get(closed.size() - 1).to();
        buildRange(tx, layout.knowledgeBaseId(), from, to, graphNeeded(tx, layout, 0));
        return closed.size();
    }

    /**
     * Whether an index range built now needs an HNSW graph: only when the knowledge base holds at least
     * {@code exactSearchMaxChunks} chunks (a smaller one is searched by a scan of its partition, which never
     * uses a graph). Counts at most that many rows of the partition, and only when the planner's estimate
     * and the rows just added leave it open.
     *
     * @param added rows written by the caller's transaction (counted too, but known to be there)
     */
    boolean graphNeeded(DSLContext tx, KnowledgeLayout layout, long added) {
        int threshold = context.limits().exactSearchMaxChunks();
        if (layout.estimatedChunks() >= threshold || added >= threshold) {
            return true;
        }
        return tx.fetchCount(DSL.selectOne().from(layout.chunks(context.schema())).limit(threshold)) >= threshold;
    }

    /**
     * Builds (and registers) the indexes of one index range: GIN, and HNSW when {@code graph}; sized by
     * {@code indexBuildMemoryMb} and parallelised by {@code indexBuildWorkers}, for this transaction only.
     */
    void buildRange(DSLContext tx, UUID kb, int from, int to, boolean graph) {
        tx.select(storageFunction("knowledge_storage_index_range", DSL.val(tenant), DSL.val(kb), DSL.val(from), DSL.val(to),
                DSL.val(context.limits().indexBuildMemoryMb() + "MB"), DSL.val(context.limits().indexBuildWorkers()),
                DSL.val(graph))).fetch();
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(1000, 20L * attempt));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new AgentStoreException("interrupted while deleting a knowledge base", ie);
        }
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    static KnowledgeBase toKnowledgeBase(KnowledgeBaseRecord r) {
        return new KnowledgeBase(KnowledgeBaseId.of(r.getId()), r.getName(), r.getDescription(), r.getEmbeddingModel(),
                r.getEmbeddingDimension(), DistanceMetric.fromSqlName(r.getDistanceMetric()),
                TextSearchConfig.fromSqlName(r.getTextSearchConfig()), Json.toMap(r.getMetadata()),
                instant(r.getCreatedAt()), instant(r.getUpdatedAt()), VectorType.fromSqlName(r.getVectorType()));
    }
}
