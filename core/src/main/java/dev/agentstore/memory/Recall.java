package dev.agentstore.memory;

import static dev.agentstore.internal.NamedStatement.Params.param;

import dev.agentstore.internal.Columns;
import dev.agentstore.internal.Json;
import dev.agentstore.internal.NamedStatement;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.schema.Tables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Query;
import org.jooq.Select;
import org.jooq.Record1;
import org.jooq.Record4;
import org.jooq.Record5;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The statement of {@link Memory#recall}: the settings of the candidate scan and the scoring update, rendered
 * once per filter shape ({@link NamedStatement}) and sent in one round trip, so that with an auto-commit
 * connection a recall costs one network exchange and one (implicit) transaction, the settings ending with it.
 *
 * <p>Settings, all transaction-local:
 * <ul>
 *   <li>{@code hnsw.ef_search} = max({@value #MIN_EF_SEARCH}, candidates): the graph scan looks at that many
 *       entries, so that the candidates are the nearest ones (pgvector's default of 40 missed every exact
 *       neighbour of some queries over clustered memories, and 100 or 200 still missed all of one query's in 200
 *       over 50,000 memories of one agent among 100,000; see the README's memory figures);</li>
 *   <li>{@code hnsw.iterative_scan = relaxed_order}: the index spans every agent, so a scan for one agent
 *       continues until enough of its memories are found;</li>
 *   <li>{@code plan_cache_mode = force_custom_plan}: the plan is made for the agent asked for. A server-side
 *       prepared statement otherwise falls back to a generic plan made for an average agent, which sends a small
 *       agent's recall through the shared graph (slow, and bounded by {@code hnsw.max_scan_tuples}) instead of
 *       its own rows by the agent index and an exact sort.</li>
 * </ul>
 *
 * <p>Thread-safe; one per store.
 */
final class Recall {

    /** The least {@code hnsw.ef_search} of a recall's candidate scan. */
    static final int MIN_EF_SEARCH = 400;
    /** Agents with at most this many memories passing the filter are recalled exactly (no index). */
    static final int EXACT_MAX = 1000;

    private static final dev.agentstore.schema.tables.MemoryTable M = Tables.MEMORY;
    private static final List<Field<?>> MEMORY_FIELDS = List.of(M.ID, M.AGENT_ID, M.USER_ID, M.SESSION_ID, M.KIND, M.CONTENT,
            M.IMPORTANCE, M.METADATA, M.REINFORCEMENT_COUNT, M.LAST_SEEN_AT, M.ACCESS_COUNT, M.LAST_ACCESSED_AT, M.EXPIRES_AT,
            M.CREATED_AT);
    private static final Field<Double> SIMILARITY = DSL.field(DSL.name("ranked", "similarity"), SQLDataType.DOUBLE);
    private static final Field<Double> RECENCY = DSL.field(DSL.name("ranked", "recency"), SQLDataType.DOUBLE);
    private static final Field<Double> SCORE = DSL.field(DSL.name("ranked", "score"), SQLDataType.DOUBLE);

    private final DSLContext dsl;
    /** By filter shape: which of kind, user, session and metadata are set (at most 16). */
    private final Map<Integer, NamedStatement> statements = new ConcurrentHashMap<>();

    private Recall(DSLContext dsl) {
        this.dsl = dsl;
    }

    static Recall of(StoreContext context) {
        return context.shared(Recall.class, c -> new Recall(c.dsl()));
    }

    /** The recalled memories, best first (ties by id), their access recorded. */
    List<RecalledMemory> run(Connection connection, String tenant, RecallQuery query, float[] embedding, OffsetDateTime now)
            throws SQLException {
        MemoryFilter f = query.filter();
        int shape = (f.kind() != null ? 1 : 0) | (f.userId() != null ? 2 : 0) | (f.sessionId() != null ? 4 : 0)
                | (!f.metadata().isEmpty() ? 8 : 0);
        NamedStatement statement = statements.computeIfAbsent(shape, s -> render(f));
        RecallScoring scoring = query.scoring();
        Map<String, Object> v = new HashMap<>(32);
        v.put("ef", Integer.toString(Math.max(MIN_EF_SEARCH, query.candidates())));
        v.put("tenant", tenant);
        v.put("agent", f.agentId());
        v.put("kind", f.kind());
        v.put("user", f.userId());
        v.put("session", f.sessionId());
        if (!f.metadata().isEmpty()) {
            v.put("metadata", Json.object(f.metadata(), "metadata filter"));
        }
        v.put("now", now);
        v.put("q", embedding);
        v.put("candidates", query.candidates());
        v.put("half_life", scoring.halfLifeSeconds());
        v.put("w_similarity", scoring.similarityWeight());
        v.put("w_importance", scoring.importanceWeight());
        v.put("w_recency", scoring.recencyWeight());
        v.put("k", query.k());
        Columns columns = statement.columns();
        List<RecalledMemory> result = new ArrayList<>(query.k());
        try (PreparedStatement ps = statement.prepare(connection, v); ResultSet rs = NamedStatement.lastResult(ps)) {
            while (rs.next()) {
                result.add(new RecalledMemory(memory(columns, rs), columns.get(rs, SCORE), columns.get(rs, SIMILARITY),
                        columns.get(rs, RECENCY)));
            }
        }
        // RETURNING has no order; ties by id in PostgreSQL's uuid order, which is that of the text form
        result.sort(Comparator.comparingDouble(RecalledMemory::score).reversed()
                .thenComparing(h -> h.memory().id().value().toString()));
        return List.copyOf(result);
    }

    private NamedStatement render(MemoryFilter f) {
        Query settings = DSL.select(
                DSL.function("set_config", String.class, DSL.inline("hnsw.ef_search"), DSL.param("ef", SQLDataType.VARCHAR),
                        DSL.inline(true)),
                DSL.function("set_config", String.class, DSL.inline("hnsw.iterative_scan"), DSL.inline("relaxed_order"),
                        DSL.inline(true)),
                DSL.function("set_config", String.class, DSL.inline("plan_cache_mode"), DSL.inline("force_custom_plan"),
                        DSL.inline(true)));

        Field<OffsetDateTime> now = param("now", M.LAST_SEEN_AT);
        Condition where = M.TENANT_ID.eq(param("tenant", M.TENANT_ID)).and(M.AGENT_ID.eq(param("agent", M.AGENT_ID)));
        if (f.kind() != null) {
            where = where.and(M.KIND.eq(param("kind", M.KIND)));
        }
        if (f.userId() != null) {
            where = where.and(M.USER_ID.eq(param("user", M.USER_ID)));
        }
        if (f.sessionId() != null) {
            where = where.and(M.SESSION_ID.eq(param("session", M.SESSION_ID)));
        }
        if (!f.metadata().isEmpty()) {
            where = where.and(DSL.condition("{0} @> {1}", M.METADATA, param("metadata", M.METADATA)));
        }
        where = where.and(M.EXPIRES_AT.isNull().or(M.EXPIRES_AT.gt(now)));

        // An agent with at most EXACT_MAX memories passing the filter is scanned exactly (its rows by the agent
        // index, then a sort: recall 1.0, and no walk through a graph of everyone's memories to find its few);
        // a larger one through the HNSW index. The count stops at EXACT_MAX + 1 rows, and the arm not taken is
        // never run (its condition is a one-time filter).
        CommonTableExpression<Record1<Boolean>> small = DSL.name("small").fields("yes").as(
                DSL.select(DSL.count().le(DSL.inline(EXACT_MAX)))
                        .from(DSL.selectOne().from(M).where(where).limit(DSL.inline(EXACT_MAX + 1)).asTable("s")));
        Condition isSmall = DSL.condition(DSL.field(DSL.select(small.field("yes", Boolean.class)).from(small)));
        Field<Double> distance = DSL.field("{0} <=> {1}", SQLDataType.DOUBLE, M.EMBEDDING, param("q", M.EMBEDDING));
        // an expression the index cannot serve
        Field<Double> exactDistance = DSL.field("({0} <=> {1}) + 0", SQLDataType.DOUBLE, M.EMBEDDING, param("q", M.EMBEDDING));
        Select<?> exact = DSL.select(M.ID.as("id"), exactDistance.as("distance"), M.IMPORTANCE.as("importance"),
                        M.LAST_SEEN_AT.as("last_seen_at"), M.LAST_ACCESSED_AT.as("last_accessed_at"))
                .from(M)
                .where(where).and(isSmall)
                .orderBy(DSL.inline(2))
                .limit(DSL.param("candidates", SQLDataType.INTEGER));
        Select<?> indexed = DSL.select(M.ID.as("id"), distance.as("distance"), M.IMPORTANCE.as("importance"),
                        M.LAST_SEEN_AT.as("last_seen_at"), M.LAST_ACCESSED_AT.as("last_accessed_at"))
                .from(M)
                .where(where).and(DSL.not(isSmall))
                // by position: the index orders by the distance expression, bound only once
                .orderBy(DSL.inline(2))
                .limit(DSL.param("candidates", SQLDataType.INTEGER));
        CommonTableExpression<Record5<UUID, Double, Double, OffsetDateTime, OffsetDateTime>> candidates = DSL.name("candidates")
                .fields("id", "distance", "importance", "last_seen_at", "last_accessed_at")
                .as(castUnion(DSL.selectFrom(exact.asTable("e")), DSL.selectFrom(indexed.asTable("i"))));
        Field<UUID> cId = candidates.field("id", UUID.class);
        Field<Double> cDistance = candidates.field("distance", Double.class);
        Field<Double> cImportance = candidates.field("importance", Double.class);
        Field<OffsetDateTime> cSeen = candidates.field("last_seen_at", OffsetDateTime.class);
        Field<OffsetDateTime> cAccessed = candidates.field("last_accessed_at", OffsetDateTime.class);

        Field<Double> similarity = DSL.inline(1.0).minus(cDistance);
        // age in seconds since the later of last seen and last accessed (greatest() skips nulls), never negative
        Field<Double> recency = DSL.field("power(0.5, greatest(extract(epoch from ({0} - greatest({1}, {2}))), 0)::float8 / {3})",
                SQLDataType.DOUBLE, now, cSeen, cAccessed, DSL.param("half_life", SQLDataType.DOUBLE));
        Field<Double> score = DSL.param("w_similarity", SQLDataType.DOUBLE).times(similarity)
                .plus(DSL.param("w_importance", SQLDataType.DOUBLE).times(cImportance))
                .plus(DSL.param("w_recency", SQLDataType.DOUBLE).times(recency));
        CommonTableExpression<Record4<UUID, Double, Double, Double>> ranked = DSL.name("ranked")
                .fields("id", "similarity", "recency", "score")
                .as(DSL.select(cId, similarity, recency, score)
                        .from(candidates)
                        .orderBy(DSL.inline(4).desc(), DSL.inline(1))
                        .limit(DSL.param("k", SQLDataType.INTEGER)));
        Field<UUID> rId = ranked.field("id", UUID.class);
        List<Field<?>> returning = new ArrayList<>(MEMORY_FIELDS);
        returning.add(SIMILARITY);
        returning.add(RECENCY);
        returning.add(SCORE);
        Query update = dsl.with(small, candidates, ranked)
                .update(M)
                .set(M.ACCESS_COUNT, M.ACCESS_COUNT.plus(DSL.inline(1)))
                .set(M.LAST_ACCESSED_AT, now)
                .from(ranked)
                .where(M.TENANT_ID.eq(param("tenant", M.TENANT_ID)), M.ID.eq(rId))
                .returningResult(returning);
        return NamedStatement.render(dsl, settings, update);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Select<Record5<UUID, Double, Double, OffsetDateTime, OffsetDateTime>> castUnion(Select<?> a, Select<?> b) {
        return (Select) ((Select) a).unionAll((Select) b);
    }

    private static SemanticMemory memory(Columns c, ResultSet rs) throws SQLException {
        OffsetDateTime accessed = c.get(rs, M.LAST_ACCESSED_AT);
        OffsetDateTime expires = c.get(rs, M.EXPIRES_AT);
        JSONB metadata = c.get(rs, M.METADATA);
        return new SemanticMemory(new MemoryId(c.get(rs, M.ID)), c.get(rs, M.AGENT_ID), c.get(rs, M.USER_ID),
                c.get(rs, M.SESSION_ID), c.get(rs, M.KIND), c.get(rs, M.CONTENT), c.get(rs, M.IMPORTANCE),
                Json.toMap(metadata), c.get(rs, M.REINFORCEMENT_COUNT), c.get(rs, M.LAST_SEEN_AT).toInstant(),
                c.get(rs, M.ACCESS_COUNT), accessed == null ? null : accessed.toInstant(),
                expires == null ? null : expires.toInstant(), c.get(rs, M.CREATED_AT).toInstant());
    }
}
