package dev.agentstore.knowledge;

import static dev.agentstore.schema.Tables.CHUNK;
import static dev.agentstore.schema.Tables.DOCUMENT;
import static dev.agentstore.schema.Tables.DOCUMENT_CHUNK;
import static dev.agentstore.schema.Tables.KNOWLEDGE_BASE;

import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.document.ChunkId;
import dev.agentstore.document.DistanceMetric;
import dev.agentstore.document.DocumentId;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.document.TextSearchConfig;
import dev.agentstore.internal.Json;
import dev.agentstore.schema.tables.Chunk;
import dev.agentstore.schema.tables.Document;
import dev.agentstore.schema.tables.DocumentChunk;
import dev.agentstore.schema.tables.KnowledgeBase;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Param;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * One search, run inside one transaction: a first statement sets the pgvector parameters
 * transaction-locally ({@code set_config(..., true)}) and resolves the knowledge bases (metric and
 * text-search configuration), the second is the search itself. Both are built with jOOQ, rendered once
 * per request shape ({@link SearchStatements}) and executed over the transaction's JDBC connection;
 * every value is a bind parameter. Not thread-safe; one instance per call.
 */
final class SearchQuery implements FilterSql.Binder {

    private static final Chunk C = CHUNK.as("c");
    private static final Document D = DOCUMENT.as("d");
    private static final DocumentChunk DC = DOCUMENT_CHUNK.as("dc");
    private static final KnowledgeBase KB = KNOWLEDGE_BASE.as("kb");

    private final SearchStatements statements;
    private final String tenant;
    private final SearchRequest request;
    private DistanceMetric metric;
    private TextSearchConfig textConfig;
    /** The values of the statement being built, in the order its builder asks for them. */
    private List<Object> values = new ArrayList<>();

    SearchQuery(SearchStatements statements, String tenant, SearchRequest request) {
        this.statements = statements;
        this.tenant = tenant;
        this.request = request;
    }

    List<SearchHit> run(Connection connection) throws SQLException {
        if (!resolve(connection)) {
            return List.of();
        }
        values = new ArrayList<>();
        Select<?> query = switch (request.mode()) {
            case VECTOR -> vectorQuery();
            case TEXT -> textQuery();
            case HYBRID -> hybridQuery();
        };
        SearchStatements.Statement statement = statements.get(searchShape(), () -> query);
        List<SearchHit> hits = new ArrayList<>(request.limit());
        try (PreparedStatement ps = connection.prepareStatement(statement.sql())) {
            statement.bind(connection, ps, values);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hits.add(hit(rs));
                }
            }
        }
        return hits;
    }

    /** A named parameter for a value of this request: {@code :vN}, N its position in {@link #values}. */
    @Override
    public <T> Param<T> bind(Object value, DataType<T> type) {
        String name = "v" + values.size();
        values.add(value);
        return DSL.param(name, type);
    }

    /** A key of the documents' JSON objects (a bind parameter, like jOOQ's own keys). */
    private Field<String> key(String name) {
        return bind(name, SQLDataType.VARCHAR);
    }

    /** What the settings statement's SQL depends on. */
    private String settingsShape() {
        return "settings:" + vectorSettings() + ':' + (request.maxScanTuples() != null) + ':' + request.knowledgeBases().isEmpty();
    }

    /** What the search statement's SQL depends on (never a value). */
    private String searchShape() {
        StringBuilder sb = new StringBuilder(64).append("search:").append(request.mode()).append(':').append(request.exact())
                .append(':').append(metric).append(':').append(textConfig).append(':')
                .append(request.knowledgeBases().isEmpty()).append(':').append(request.minScore() == null ? "-"
                        : metric == DistanceMetric.L2 && request.minScore() <= 0 ? "0" : "m").append(':');
        if (request.filter() != null) {
            FilterSql.shape(request.filter(), sb);
        }
        return sb.toString();
    }

    private boolean vectorSettings() {
        return request.mode() != SearchMode.TEXT && !request.exact();
    }

    // ------------------------------------------------------------------------------------------
    // statement 1: settings and knowledge bases

    /** Sets the pgvector parameters for this transaction and reads the knowledge bases; false when there are none. */
    private boolean resolve(Connection connection) throws SQLException {
        List<Field<?>> fields = new ArrayList<>();
        if (vectorSettings()) {
            fields.add(setLocal("hnsw.ef_search", Integer.toString(request.effectiveEfSearch())));
            fields.add(setLocal("hnsw.iterative_scan", request.iterativeScan().setting()));
            if (request.maxScanTuples() != null) {
                fields.add(setLocal("hnsw.max_scan_tuples", Integer.toString(request.maxScanTuples())));
            }
        }
        Field<String[]> kbs = DSL.field(DSL.select(DSL.field("array_agg(concat_ws(':', {0}, {1}, {2}))", String[].class,
                KB.ID, KB.DISTANCE_METRIC, KB.TEXT_SEARCH_CONFIG)).from(KB).where(KB.TENANT_ID.eq(bind(tenant, KB.TENANT_ID.getDataType()))).and(kbIn(KB.ID)));
        fields.add(kbs.as("kbs"));
        SearchStatements.Statement statement = statements.get(settingsShape(), () -> DSL.select(fields));
        String[] found;
        try (PreparedStatement ps = connection.prepareStatement(statement.sql())) {
            statement.bind(connection, ps, values);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Array array = rs.getArray(fields.size());
                found = array == null ? null : (String[]) array.getArray();
            }
        }

        Set<UUID> foundIds = new LinkedHashSet<>();
        Set<String> metrics = new TreeSet<>();
        Set<String> configs = new TreeSet<>();
        for (String s : found == null ? new String[0] : found) {
            String[] parts = s.split(":", 3);
            foundIds.add(UUID.fromString(parts[0]));
            metrics.add(parts[1]);
            configs.add(parts[2]);
        }
        List<String> missing = new ArrayList<>();
        for (KnowledgeBaseId id : request.knowledgeBases()) {
            if (!foundIds.contains(id.value())) {
                missing.add(id.toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new NotFoundException("knowledge base " + String.join(", ", missing) + " not found for tenant '" + tenant
                    + "'; nothing was searched");
        }
        if (foundIds.isEmpty()) {
            return false;
        }
        if (request.mode() != SearchMode.TEXT) {
            if (metrics.size() > 1) {
                throw new InvalidInputException("the knowledge bases searched use different distance metrics " + metrics
                        + ", whose scores cannot be compared; search the knowledge bases of each metric separately "
                        + "(SearchRequest.Builder.knowledgeBases)");
            }
            metric = DistanceMetric.fromSqlName(metrics.iterator().next());
        }
        if (request.mode() != SearchMode.VECTOR) {
            if (configs.size() > 1) {
                throw new InvalidInputException("the knowledge bases searched use different text search configurations "
                        + configs + "; search the knowledge bases of each configuration separately "
                        + "(SearchRequest.Builder.knowledgeBases)");
            }
            textConfig = TextSearchConfig.fromSqlName(configs.iterator().next());
        }
        return true;
    }

    private Field<String> setLocal(String name, String value) {
        return DSL.function("set_config", String.class, DSL.inline(name), bind(value, SQLDataType.VARCHAR), DSL.inline(true));
    }

    private Condition kbIn(Field<UUID> field) {
        if (request.knowledgeBases().isEmpty()) {
            return DSL.noCondition();
        }
        UUID[] ids = request.knowledgeBases().stream().map(KnowledgeBaseId::value).toArray(UUID[]::new);
        return field.eq(DSL.any(bind(ids, SQLDataType.UUID.array())));
    }

    // ------------------------------------------------------------------------------------------
    // statement 2: the search

    private Select<?> vectorQuery() {
        Table<?> n = vectorCandidates().asTable("n");
        Field<UUID> id = n.field("id", UUID.class);
        Field<Double> distance = n.field("distance", Double.class);
        Condition min = request.minScore() == null ? DSL.noCondition() : minScoreOnDistance(distance, request.minScore());
        return DSL.select(id, n.field("kb", UUID.class), n.field("content", String.class), distance.as("distance"),
                        scoreOf(distance).as("score"), documents(id))
                .from(n)
                .where(min)
                .orderBy(distance, id)
                .limit(bind(request.limit(), SQLDataType.INTEGER));
    }

    /** The nearest chunks that have a document passing the filter, as many as the candidate depth. */
    private Select<?> vectorCandidates() {
        Field<Double> distance = distance(C);
        Field<Double> order = request.exact()
                // an expression the HNSW index cannot serve: a sequential (or B-tree) scan, exact
                ? DSL.field("({0} + 0)", SQLDataType.DOUBLE, distance)
                // the output column: the index serves it, and the query vector is bound once
                : DSL.field(DSL.name("distance"), SQLDataType.DOUBLE);
        return DSL.select(C.ID.as("id"), C.KNOWLEDGE_BASE_ID.as("kb"), C.CONTENT.as("content"), distance.as("distance"))
                .from(C)
                .where(chunkScope())
                // inline literal from the enum: the predicate of the metric's partial HNSW index
                .and(C.DISTANCE_METRIC.eq(DSL.inline(metric.sqlName())))
                .and(documentFilter(C.ID))
                .orderBy(order)
                .limit(bind(request.candidateDepth(), SQLDataType.INTEGER));
    }

    private Select<?> textQuery() {
        Field<Double> rank = rank(C);
        Condition min = request.minScore() == null ? DSL.noCondition() : rank.ge(bind(request.minScore(), SQLDataType.DOUBLE));
        return DSL.select(C.ID.as("id"), C.KNOWLEDGE_BASE_ID.as("kb"), C.CONTENT.as("content"),
                        DSL.inline(null, SQLDataType.DOUBLE).as("distance"), rank.as("score"), documents(C.ID))
                .from(C)
                .where(chunkScope())
                .and(DSL.condition("{0} @@ {1}", tsv(C), tsQuery()))
                .and(documentFilter(C.ID))
                .and(min)
                .orderBy(rank.desc(), C.ID)
                .limit(bind(request.limit(), SQLDataType.INTEGER));
    }

    private Select<?> hybridQuery() {
        int depth = request.candidateDepth();
        Table<?> n = vectorCandidates().asTable("n");
        CommonTableExpression<?> v = DSL.name("v").fields("id", "r").as(
                DSL.select(n.field("id", UUID.class), DSL.rowNumber().over(DSL.orderBy(n.field("distance"), n.field("id"))))
                        .from(n));
        Chunk tc = CHUNK.as("tc");
        Field<Double> rank = rank(tc);
        Table<?> x = DSL.select(tc.ID.as("id"), rank.as("rank"))
                .from(tc)
                .where(tc.TENANT_ID.eq(bind(tenant, tc.TENANT_ID.getDataType()))).and(kbIn(tc.KNOWLEDGE_BASE_ID))
                .and(DSL.condition("{0} @@ {1}", tsv(tc), tsQuery()))
                .and(documentFilter(tc.ID))
                .orderBy(rank.desc(), tc.ID)
                .limit(bind(depth, SQLDataType.INTEGER))
                .asTable("x");
        CommonTableExpression<?> t = DSL.name("t").fields("id", "r").as(
                DSL.select(x.field("id", UUID.class), DSL.rowNumber().over(DSL.orderBy(x.field("rank").desc(), x.field("id"))))
                        .from(x));
        Field<UUID> vId = v.field("id", UUID.class);
        Field<UUID> tId = t.field("id", UUID.class);
        Field<Double> score = rrf(request.vectorWeight(), v.field("r", Long.class))
                .plus(rrf(request.textWeight(), t.field("r", Long.class)));
        CommonTableExpression<?> f = DSL.name("f").fields("id", "score").as(
                DSL.select(DSL.coalesce(vId, tId), score).from(v).fullOuterJoin(t).on(vId.eq(tId)));
        Field<UUID> fId = f.field("id", UUID.class);
        Field<Double> fScore = f.field("score", Double.class);
        Chunk hc = CHUNK.as("hc");
        Field<Double> distance = distance(hc);
        Condition min = request.minScore() == null ? DSL.noCondition() : fScore.ge(bind(request.minScore(), SQLDataType.DOUBLE));
        return DSL.with(v, t, f)
                .select(fId.as("id"), hc.KNOWLEDGE_BASE_ID.as("kb"), hc.CONTENT.as("content"), distance.as("distance"),
                        fScore.as("score"), documents(fId))
                .from(f)
                .join(hc).on(hc.TENANT_ID.eq(bind(tenant, hc.TENANT_ID.getDataType()))).and(hc.ID.eq(fId))
                .where(min)
                .orderBy(fScore.desc(), distance, fId)
                .limit(bind(request.limit(), SQLDataType.INTEGER));
    }

    /** weight / (rrfK + rank), 0 when the chunk is not in that ranking. */
    private Field<Double> rrf(double weight, Field<Long> rankField) {
        Field<Double> term = bind(weight, SQLDataType.DOUBLE).cast(SQLDataType.DOUBLE)
                .div(bind(request.rrfK(), SQLDataType.INTEGER).cast(SQLDataType.DOUBLE).plus(rankField));
        return DSL.coalesce(term, DSL.inline(0.0));
    }

    // ------------------------------------------------------------------------------------------
    // pieces

    private Condition chunkScope() {
        return C.TENANT_ID.eq(bind(tenant, C.TENANT_ID.getDataType())).and(kbIn(C.KNOWLEDGE_BASE_ID));
    }

    private Field<Double> distance(Chunk c) {
        return DSL.field("({0} " + metric.operator() + " {1})", SQLDataType.DOUBLE, c.EMBEDDING,
                bind(request.embeddingNoCopy(), c.EMBEDDING.getDataType()));
    }

    private static Field<Object> tsv(Chunk c) {
        return DSL.field(DSL.name(c.getName(), "content_tsv"));
    }

    private Field<Double> rank(Chunk c) {
        return DSL.field("ts_rank_cd({0}, {1})", SQLDataType.DOUBLE, tsv(c), tsQuery());
    }

    /**
     * The query text as a tsquery with OR semantics: the lexemes the knowledge base's configuration
     * makes of the text (stemmed, stop words dropped), each quoted, joined by '|'.
     */
    private Field<Object> tsQuery() {
        return DSL.field("(select string_agg(chr(39) || replace(replace(l, chr(92), chr(92) || chr(92)), chr(39), "
                        + "chr(39) || chr(39)) || chr(39), ' | ')::tsquery "
                        + "from unnest(tsvector_to_array(to_tsvector({0}::regconfig, {1}))) as l)",
                DSL.inline(textConfig.sqlName()), bind(request.text(), SQLDataType.CLOB));
    }

    /** Some document containing the chunk passes the filter (a chunk without documents is never a hit). */
    private Condition documentFilter(Field<UUID> chunkId) {
        return DSL.exists(DSL.selectOne()
                .from(DC)
                .join(D).on(D.TENANT_ID.eq(DC.TENANT_ID)).and(D.ID.eq(DC.DOCUMENT_ID))
                .where(DC.TENANT_ID.eq(bind(tenant, DC.TENANT_ID.getDataType())))
                .and(DC.CHUNK_ID.eq(chunkId))
                .and(request.filter() == null ? DSL.noCondition() : FilterSql.condition(request.filter(), D, this)));
    }

    /** Every document containing the chunk, as a JSON array, those passing the filter first. */
    private Field<JSONB> documents(Field<UUID> chunkId) {
        Field<Boolean> matches = request.filter() == null ? DSL.inline(true)
                : DSL.field(FilterSql.condition(request.filter(), D, this));
        return DSL.field(DSL.select(DSL.jsonbArrayAgg(DSL.jsonbObject(
                                DSL.key(key("id")).value(D.ID),
                                DSL.key(key("sourceUri")).value(D.SOURCE_URI),
                                DSL.key(key("title")).value(D.TITLE),
                                DSL.key(key("docType")).value(D.DOC_TYPE),
                                DSL.key(key("metadata")).value(D.METADATA),
                                DSL.key(key("chunkIndex")).value(DC.CHUNK_INDEX),
                                DSL.key(key("createdAt")).value(D.CREATED_AT),
                                DSL.key(key("matches")).value(matches)))
                        .orderBy(matches.desc(), D.CREATED_AT, D.ID, DC.CHUNK_INDEX))
                .from(DC)
                .join(D).on(D.TENANT_ID.eq(DC.TENANT_ID)).and(D.ID.eq(DC.DOCUMENT_ID))
                .where(DC.TENANT_ID.eq(bind(tenant, DC.TENANT_ID.getDataType())))
                .and(DC.CHUNK_ID.eq(chunkId))).as("documents");
    }

    private Field<Double> scoreOf(Field<Double> distance) {
        return switch (metric) {
            case COSINE -> DSL.inline(1.0).minus(distance);
            case L2 -> DSL.inline(1.0).div(DSL.inline(1.0).plus(distance));
            case INNER_PRODUCT -> distance.neg();
        };
    }

    /** score(distance) >= min, as a bound on the distance. */
    private Condition minScoreOnDistance(Field<Double> distance, double min) {
        return switch (metric) {
            case COSINE -> distance.le(bind(1.0 - min, SQLDataType.DOUBLE));
            case L2 -> min <= 0 ? DSL.noCondition() : distance.le(bind(1.0 / min - 1.0, SQLDataType.DOUBLE));
            case INNER_PRODUCT -> distance.le(bind(-min, SQLDataType.DOUBLE));
        };
    }

    // ------------------------------------------------------------------------------------------
    // mapping

    /** A hit from a row: id, kb, content, distance, score, documents (the select list of every mode). */
    private static SearchHit hit(ResultSet rs) throws SQLException {
        String json = rs.getString(6);
        List<DocumentRef> docs = documents(json == null ? null : JSONB.valueOf(json));
        if (docs.isEmpty()) {
            throw new IllegalStateException("a search hit without a document: the chunk lost its last document meanwhile");
        }
        DocumentRef primary = docs.get(0);
        return new SearchHit(ChunkId.of(rs.getObject(1, UUID.class)), KnowledgeBaseId.of(rs.getObject(2, UUID.class)),
                rs.getString(3), nullableDouble(rs, 5), nullableDouble(rs, 4), primary.chunkIndex(), primary, docs);
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double d = rs.getDouble(column);
        return rs.wasNull() ? null : d;
    }

    @SuppressWarnings("unchecked")
    private static List<DocumentRef> documents(JSONB json) {
        if (json == null) {
            return List.of();
        }
        Map<UUID, DocumentRef> byId = new LinkedHashMap<>();
        for (Map<String, Object> m : Json.toList(json, Map.class).stream().map(o -> (Map<String, Object>) o).toList()) {
            UUID id = UUID.fromString((String) m.get("id"));
            if (byId.containsKey(id)) {
                continue; // the same document holds the chunk more than once: keep its first position
            }
            Object metadata = m.get("metadata");
            byId.put(id, new DocumentRef(DocumentId.of(id), (String) m.get("sourceUri"), (String) m.get("title"),
                    (String) m.get("docType"), metadata instanceof Map<?, ?> md ? (Map<String, Object>) md : Map.of(),
                    ((Number) m.get("chunkIndex")).intValue(), OffsetDateTime.parse((String) m.get("createdAt")).toInstant(),
                    Boolean.TRUE.equals(m.get("matches"))));
        }
        return List.copyOf(byId.values());
    }

}
