package dev.agentstore.knowledge;

import static dev.agentstore.schema.Tables.DOCUMENT;
import static dev.agentstore.schema.Tables.KNOWLEDGE_BASE;

import dev.agentstore.document.DistanceMetric;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.document.TextSearchConfig;
import dev.agentstore.internal.FilterSql;
import dev.agentstore.internal.KnowledgeLayout;
import dev.agentstore.schema.tables.ChunkTable;
import dev.agentstore.schema.tables.DocumentChunkTable;
import dev.agentstore.schema.tables.DocumentTable;
import dev.agentstore.schema.tables.KnowledgeBaseTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.OrderField;
import org.jooq.Param;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The SQL of one search request, built with jOOQ from the generated tables over the layouts of the knowledge
 * bases searched (their partitions and index ranges): the settings statement ({@link #settings()}) and the
 * search of the request's mode ({@link #search()}). Every value is a named parameter ({@link #bound()} records
 * the values it was built with). Not thread-safe; one instance per rendering.
 */
final class SearchSql {

    private static final DocumentTable D = DOCUMENT.as("d");
    private static final KnowledgeBaseTable KB = KNOWLEDGE_BASE.as("kb");
    /**
     * The settings statement's column of knowledge-base layouts: one line per knowledge base
     * ({@link KnowledgeLayout#describe}), by storage id, as one text (cheaper to read and compare than an array).
     */
    static final Field<String> KBS = DSL.field(DSL.name("kbs"), SQLDataType.CLOB);

    /** Most rows the full-text arm reads and scores per index range (see {@link #textArm}). */
    static final int TEXT_CANDIDATES = 300;

    private final String tenant;
    private final SearchRequest request;
    private final String schema;
    private final int exactSearchMaxChunks;
    private final List<KnowledgeLayout> layouts;
    private final DistanceMetric metric;
    private final TextSearchConfig textConfig;
    private final Map<String, Object> bound = new HashMap<>();

    SearchSql(String tenant, SearchRequest request, String schema, int exactSearchMaxChunks, List<KnowledgeLayout> layouts,
            DistanceMetric metric, TextSearchConfig textConfig) {
        this.tenant = tenant;
        this.request = request;
        this.schema = schema;
        this.exactSearchMaxChunks = exactSearchMaxChunks;
        this.layouts = layouts;
        this.metric = metric;
        this.textConfig = textConfig;
    }

    /** The values the statements built so far bound, by parameter name. */
    Map<String, Object> bound() {
        return bound;
    }

    /** Whether the request sets pgvector parameters (an index scan: vector or hybrid, not exact). */
    static boolean vectorSettings(SearchRequest request) {
        return request.mode() != SearchMode.TEXT && !request.exact();
    }

    private boolean vectorSettings() {
        return vectorSettings(request);
    }

    /** The knowledge bases of the request as a {@code uuid[]} literal (bound as text: cheaper than a JDBC array). */
    static String kbIds(SearchRequest request) {
        StringBuilder sb = new StringBuilder(2 + 37 * request.knowledgeBases().size()).append('{');
        for (KnowledgeBaseId id : request.knowledgeBases()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(id.value());
        }
        return sb.append('}').toString();
    }

    private String kbIds() {
        return kbIds(request);
    }

    /**
     * The bound of the min-score condition: for a vector search a bound on the distance (score(distance)
     * >= min as distance <= bound), else the score itself; null when there is no condition.
     */
    static Double minBound(SearchRequest request, DistanceMetric metric) {
        Double min = request.minScore();
        if (min == null || request.mode() != SearchMode.VECTOR) {
            return min;
        }
        return switch (metric) {
            case COSINE -> 1.0 - min;
            case L2 -> min <= 0 ? null : 1.0 / min - 1.0;
            case INNER_PRODUCT -> -min;
        };
    }

    private Double minBound() {
        return minBound(request, metric);
    }

    /**
     * A named parameter for a value of this request. The value is only recorded: the statement is
     * rendered once per shape, and each call binds the values {@link SearchQuery} computes by these names
     * (checked against the recorded values when rendering).
     */
    private <T> Param<T> bind(String name, Object value, DataType<T> type) {
        bound.put(name, value);
        return DSL.param(name, type);
    }

    /** The filter as a condition on a document alias; its values are parameters f0, f1, ... in the filter's order. */
    private Condition filterCondition(DocumentTable d) {
        int[] next = {0};
        return FilterSql.condition(request.filter(), d, new FilterSql.Binder() {
            @Override
            public <T> Field<T> bind(Object value, DataType<T> type) {
                return SearchSql.this.bind("f" + next[0]++, value, type);
            }
        });
    }


    /**
     * The first statement: sets the pgvector parameters of this request transaction-locally when asked (none for a
     * text or an exact search) and returns the layouts of the knowledge bases searched (column {@code kbs}).
     */
    Select<?> settings(boolean withSettings) {
        List<Field<?>> fields = new ArrayList<>();
        if (withSettings && vectorSettings()) {
            fields.add(setLocal("hnsw.ef_search", "ef", Integer.toString(request.effectiveEfSearch())));
            fields.add(setLocal("hnsw.iterative_scan", "scan", request.iterativeScan().setting()));
            if (request.maxScanTuples() != null) {
                fields.add(setLocal("hnsw.max_scan_tuples", "maxscan", Integer.toString(request.maxScanTuples())));
            }
        }
        Field<String> kbs = DSL.field(DSL.select(DSL.field("string_agg({0}, chr(10) order by {1})", SQLDataType.CLOB,
                        KnowledgeLayout.describe(KB, schema), KB.STORAGE_ID))
                .from(KB).where(KB.TENANT_ID.eq(tenantParam())).and(kbIn(KB.ID)));
        fields.add(kbs.as(KBS.getName()));
        return DSL.select(fields);
    }

    private Param<String> tenantParam() {
        return bind("tenant", tenant, D.TENANT_ID.getDataType());
    }

    private Field<String> setLocal(String setting, String param, String value) {
        return DSL.function("set_config", String.class, DSL.inline(setting), bind(param, value, SQLDataType.VARCHAR),
                DSL.inline(true));
    }

    private Condition kbIn(Field<UUID> field) {
        if (request.knowledgeBases().isEmpty()) {
            return DSL.noCondition();
        }
        return field.eq(DSL.any(DSL.cast(bind("kbs", kbIds(), SQLDataType.VARCHAR), SQLDataType.UUID.array())));
    }


    /**
     * Whether a knowledge base is searched exactly: asked for, or known to be small enough that a scan of
     * its partition is cheap (a partition never analyzed yet is searched through its indexes).
     */
    boolean exact(KnowledgeLayout l) {
        return request.exact() || (l.estimatedChunks() >= 0 && l.estimatedChunks() < exactSearchMaxChunks);
    }

    /**
     * The arms of a knowledge base: one per index range (its segment condition, with literal bounds, lets
     * the planner use that range's partial indexes), or a single one over the whole partition when it is
     * searched exactly.
     */
    private List<Condition> arms(KnowledgeLayout l) {
        if (exact(l)) {
            return List.of(DSL.noCondition());
        }
        List<Condition> arms = new ArrayList<>();
        for (KnowledgeLayout.IndexRange r : l.ranges()) {
            arms.add(r.condition(chunks(l)));
        }
        return arms;
    }

    private ChunkTable chunks(KnowledgeLayout l) {
        return l.chunks(schema).as("c");
    }

    /** The selects of several arms as one table; each arm is a derived table of its own (ORDER BY and LIMIT inside). */
    private static Table<?> unionAll(List<Select<?>> arms, String alias) {
        Select<?> union = null;
        for (int i = 0; i < arms.size(); i++) {
            Select<?> arm = arms.size() == 1 ? arms.get(i) : DSL.selectFrom(arms.get(i).asTable("a" + i));
            union = union == null ? arm : unionOf(union, arm);
        }
        return union.asTable(alias);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Select<?> unionOf(Select<?> a, Select<?> b) {
        return ((Select) a).unionAll((Select) b);
    }

    /** The columns every arm carries, in order (hybrid and embeddings add some). */
    private List<String> carried(boolean textArm) {
        List<String> names = new ArrayList<>(List.of("id", "kb", "content", "hash"));
        if (textArm) {
            names.add("rank");
        }
        if (!textArm || request.mode() == SearchMode.HYBRID) {
            names.add("distance");
        }
        if (!textArm && request.mode() == SearchMode.HYBRID) {
            names.add("s");
        }
        if (request.includeEmbedding()) {
            names.add("embedding");
        }
        return names;
    }

    private static List<Field<?>> fieldsOf(Table<?> t, List<String> names) {
        List<Field<?>> fields = new ArrayList<>(names.size());
        for (String name : names) {
            fields.add(t.field(name).as(name));
        }
        return fields;
    }

    /** The search statement of the request's mode, selecting the columns of {@link SearchHits}. */
    Select<?> search() {
        return switch (request.mode()) {
            case VECTOR -> vectorQuery();
            case TEXT -> textQuery();
            case HYBRID -> hybridQuery();
        };
    }

    private Select<?> vectorQuery() {
        Table<?> n = vectorCandidates().asTable("n");
        Field<UUID> id = n.field("id", UUID.class);
        Field<UUID> kb = n.field("kb", UUID.class);
        Field<Double> distance = n.field("distance", Double.class);
        Condition min = minBound() == null ? DSL.noCondition() : distance.le(bind("min", minBound(), SQLDataType.DOUBLE));
        List<Field<?>> select = new ArrayList<>(List.of(id, kb, n.field("content", String.class), distance.as("distance"),
                scoreOf(distance).as("score")));
        if (request.includeEmbedding()) {
            select.add(n.field("embedding").as("embedding"));
        }
        // ties by content hash: the same data gives the same order after any re-ingest (ids are random)
        return hits(List.of(), select, n, min, List.of(distance, n.field("hash")));
    }

    /** The nearest chunks that have a document passing the filter, as many as the candidate depth, over every arm. */
    private Select<?> vectorCandidates() {
        List<Select<?>> arms = new ArrayList<>();
        for (KnowledgeLayout l : layouts) {
            for (Condition segment : arms(l)) {
                arms.add(vectorArm(l, segment));
            }
        }
        if (arms.size() == 1) {
            return arms.get(0);
        }
        Table<?> u = unionAll(arms, "u");
        Field<Double> distance = u.field("distance", Double.class);
        return DSL.select(fieldsOf(u, carried(false)))
                .from(u)
                .orderBy(distance, u.field("hash"))
                .limit(bind("depth", request.candidateDepth(), SQLDataType.INTEGER));
    }

    private Select<?> vectorArm(KnowledgeLayout l, Condition segment) {
        ChunkTable c = chunks(l);
        boolean exact = exact(l);
        Field<Double> distance = exact ? l.exactDistance(c, query(c)) : l.indexedDistance(c, query(c));
        // the output column: the index serves it (same expression), and the query vector is bound once
        Field<Double> order = DSL.field(DSL.name("distance"), SQLDataType.DOUBLE);
        List<Field<?>> fields = new ArrayList<>(List.of(c.ID.as("id"), c.KNOWLEDGE_BASE_ID.as("kb"), c.CONTENT.as("content"),
                c.CONTENT_HASH.as("hash"), distance.as("distance")));
        if (request.mode() == SearchMode.HYBRID) {
            fields.add(strippedTsv(c).as("tsv")); // read once per candidate; scored below
        }
        if (request.includeEmbedding()) {
            fields.add(c.EMBEDDING.as("embedding"));
        }
        Select<?> nearest = DSL.select(fields)
                .from(c)
                .where(c.TENANT_ID.eq(tenantParam()))
                .and(segment)
                .and(documentFilter(l, c))
                .orderBy(order)
                .limit(bind("depth", request.candidateDepth(), SQLDataType.INTEGER));
        if (request.mode() != SearchMode.HYBRID) {
            return nearest;
        }
        // the lexical score of the nearest chunks (the limit lets depth rows through), for score fusion
        Table<?> x = nearest.asTable("x");
        List<Field<?>> scored = new ArrayList<>();
        for (String name : carried(false)) {
            scored.add(name.equals("s") ? lexicalScore(l, x.field("tsv")).as("s") : x.field(name).as(name));
        }
        return DSL.select(scored).from(x);
    }

    private Select<?> textQuery() {
        Table<?> x = textCandidates("k", request.limit(), minBound()).asTable("x");
        Field<UUID> id = x.field("id", UUID.class);
        Field<UUID> kb = x.field("kb", UUID.class);
        Field<Double> rank = x.field("rank", Double.class);
        List<Field<?>> select = new ArrayList<>(List.of(id, kb, x.field("content", String.class),
                DSL.inline(null, SQLDataType.DOUBLE).as("distance"), rank.as("score")));
        if (request.includeEmbedding()) {
            select.add(x.field("embedding").as("embedding"));
        }
        return hits(lexemeTables(), select, x, DSL.noCondition(), List.of(rank.desc(), x.field("hash")));
    }

    /**
     * The best full-text matches over every arm (id, kb, content, hash, rank and, for hybrid, distance),
     * as many as the value of parameter {@code limitParam}.
     */
    private Select<?> textCandidates(String limitParam, int limit, Double min) {
        List<Select<?>> arms = new ArrayList<>();
        for (KnowledgeLayout l : layouts) {
            for (Condition segment : arms(l)) {
                arms.add(textArm(l, segment, limitParam, limit, min));
            }
        }
        if (arms.size() == 1) {
            return arms.get(0);
        }
        Table<?> u = unionAll(arms, "u");
        return DSL.select(fieldsOf(u, carried(true)))
                .from(u)
                .orderBy(u.field("rank").desc(), u.field("hash"))
                .limit(bind(limitParam, limit, SQLDataType.INTEGER));
    }

    /**
     * The bounded full-text arm of one index range. Candidates are the chunks containing one of the query's
     * rarest lexemes, chosen so that their estimated matches add up to at most
     * {@value #TEXT_CANDIDATES} rows (at least the rarest lexeme); at most that many rows are read and
     * scored, however many chunks contain a common word of the question. Each candidate is ranked by the
     * summed idf of every query lexeme it contains ({@link #lexicalScore}), so that chunks containing more
     * and rarer words of the question come first (AND-first, relaxed to OR); ties by content hash.
     */
    private Select<?> textArm(KnowledgeLayout l, Condition segment, String limitParam, int limit, Double min) {
        ChunkTable c = chunks(l);
        List<Field<?>> fields = new ArrayList<>(List.of(c.ID.as("id"), c.KNOWLEDGE_BASE_ID.as("kb"),
                c.CONTENT.as("content"), c.CONTENT_HASH.as("hash"), strippedTsv(c).as("tsv")));
        if (request.mode() == SearchMode.HYBRID) {
            fields.add(l.exactDistance(c, query(c)).as("distance"));
        }
        if (request.includeEmbedding()) {
            fields.add(c.EMBEDDING.as("embedding"));
        }
        Table<?> x = DSL.select(fields)
                .from(c)
                .where(c.TENANT_ID.eq(tenantParam()))
                .and(segment)
                .and(DSL.condition("{0} @@ (select {1} from {2})", tsv(c), DSL.name("q"), DSL.name("t" + l.storageId())))
                .and(documentFilter(l, c))
                .limit(bind("budget", TEXT_CANDIDATES, SQLDataType.INTEGER))
                .asTable("x");
        // ranked once per candidate, on the tsvector read once (a chunk's tsvector is often stored out of line:
        // testing each query lexeme against the column itself fetched it from TOAST once per lexeme)
        List<Field<?>> ranked = new ArrayList<>();
        for (Field<?> f : fields) {
            ranked.add(x.field(f.getName()));
        }
        ranked.add(lexicalScore(l, x.field("tsv")).as("rank"));
        Table<?> r = DSL.select(ranked).from(x).asTable("r");
        Field<Double> rank = r.field("rank", Double.class);
        Condition minCondition = min == null ? DSL.noCondition() : rank.ge(bind("min", min, SQLDataType.DOUBLE));
        return DSL.select(fieldsOf(r, carried(true)))
                .from(r)
                .where(minCondition)
                .orderBy(rank.desc(), r.field("hash"))
                .limit(bind(limitParam, limit, SQLDataType.INTEGER));
    }

    private Select<?> hybridQuery() {
        int depth = request.candidateDepth();
        boolean embedding = request.includeEmbedding();
        Table<?> n = vectorCandidates().asTable("n");
        List<Field<?>> vFields = new ArrayList<>(fieldsOf(n, List.of("id", "kb", "content", "hash", "distance", "s")));
        List<String> names = new ArrayList<>(List.of("id", "kb", "content", "hash", "distance", "s"));
        if (embedding) {
            vFields.add(n.field("embedding"));
            names.add("embedding");
        }
        vFields.add(DSL.rowNumber().over(DSL.orderBy(n.field("distance"), n.field("hash"))));
        names.add("r");
        CommonTableExpression<?> v = DSL.name("v").fields(names.toArray(String[]::new)).as(DSL.select(vFields).from(n));
        Table<?> x = textCandidates("depth", depth, null).asTable("x");
        List<Field<?>> tFields = new ArrayList<>(fieldsOf(x, List.of("id", "kb", "content", "hash", "distance")));
        tFields.add(x.field("rank"));
        if (embedding) {
            tFields.add(x.field("embedding"));
        }
        tFields.add(DSL.rowNumber().over(DSL.orderBy(x.field("rank").desc(), x.field("hash"))));
        CommonTableExpression<?> t = DSL.name("t").fields(names.toArray(String[]::new)).as(DSL.select(tFields).from(x));

        Field<UUID> vId = v.field("id", UUID.class);
        Field<UUID> tId = t.field("id", UUID.class);
        List<Field<?>> fFields = new ArrayList<>();
        for (String name : names) {
            if (!name.equals("r")) {
                fFields.add(DSL.coalesce(v.field(name), t.field(name)).as(name));
            }
        }
        fFields.add(v.field("r").as("vr"));
        fFields.add(t.field("r").as("tr"));
        CommonTableExpression<?> f = DSL.name("f").as(DSL.select(fFields).from(v).fullOuterJoin(t).on(vId.eq(tId)));
        Field<Double> fDistance = f.field("distance", Double.class);
        Field<Double> fS = f.field("s", Double.class);
        Field<Double> score = request.fusion() == Fusion.RRF
                ? rrf("vw", request.vectorWeight(), f.field("vr", Long.class)).plus(rrf("tw", request.textWeight(), f.field("tr", Long.class)))
                // vectorWeight · similarity + textWeight · TEXT_SCALE · s / max s (the lexical score relative to the best candidate)
                : bind("vw", request.vectorWeight(), SQLDataType.DOUBLE).times(scoreOf(fDistance))
                        .plus(bind("tw", request.textWeight(), SQLDataType.DOUBLE).times(DSL.inline(Fusion.TEXT_SCALE))
                                .times(DSL.coalesce(fS.div(DSL.nullif(DSL.max(fS).over(), DSL.inline(0.0))), DSL.inline(0.0))));
        List<Field<?>> gFields = new ArrayList<>();
        for (String name : names) {
            if (!name.equals("r")) {
                gFields.add(f.field(name));
            }
        }
        gFields.add(score.as("score"));
        CommonTableExpression<?> g = DSL.name("g").as(DSL.select(gFields).from(f));
        Field<UUID> gId = g.field("id", UUID.class);
        Field<UUID> gKb = g.field("kb", UUID.class);
        Field<Double> gScore = g.field("score", Double.class);
        Field<Double> gDistance = g.field("distance", Double.class);
        Condition min = minBound() == null ? DSL.noCondition() : gScore.ge(bind("min", minBound(), SQLDataType.DOUBLE));
        List<Field<?>> select = new ArrayList<>(List.of(gId.as("id"), gKb.as("kb"), g.field("content", String.class).as("content"),
                gDistance.as("distance"), gScore.as("score")));
        if (embedding) {
            select.add(g.field("embedding").as("embedding"));
        }
        List<CommonTableExpression<?>> ctes = new ArrayList<>(lexemeTables());
        ctes.addAll(List.of(v, t, f, g));
        return hits(ctes, select, g, min, List.of(gScore.desc(), gDistance, g.field("hash")));
    }

    /**
     * The top k rows of {@code from} in this order, with the columns of {@code select}; when the request wants
     * documents, one row per hit and document containing it ({@link #withDocuments}), hit by hit in this order.
     */
    private Select<?> hits(List<CommonTableExpression<?>> ctes, List<Field<?>> select, Table<?> from, Condition where,
            List<OrderField<?>> order) {
        Param<Integer> k = bind("k", request.limit(), SQLDataType.INTEGER);
        if (!request.includeDocuments()) {
            return (ctes.isEmpty() ? DSL.select(select) : DSL.with(ctes).select(select)).from(from).where(where).orderBy(order).limit(k);
        }
        List<Field<?>> ranked = new ArrayList<>(select);
        ranked.add(DSL.rowNumber().over(DSL.orderBy(order)).as("pos"));
        Table<?> h = DSL.select(ranked).from(from).where(where).orderBy(order).limit(k).asTable("h");
        return withDocuments(ctes, select, h);
    }

    /**
     * The hits of {@code h} (its columns {@code select} and {@code pos}, the rank), each joined to every document
     * containing it: one row per hit and document, hit by hit, those documents passing the filter first, then by
     * creation, id and position ({@link SearchHits#read} groups them). A hit without a document comes as one row
     * without document columns. Plain columns, read by field: a join costs about what the hand-written one does,
     * a third of building and parsing a JSON array per hit.
     */
    private Select<?> withDocuments(List<CommonTableExpression<?>> ctes, List<Field<?>> select, Table<?> h) {
        Table<?> dc = links();
        Field<UUID> dcDocument = dc.field("document_id", UUID.class);
        Field<Integer> dcIndex = dc.field("chunk_index", Integer.class);
        Field<Boolean> matches = request.filter() == null ? DSL.inline(true) : DSL.field(filterCondition(D));
        Table<?> docs = DSL.lateral(DSL.select(D.ID.as(SearchHits.DOC_ID.getName()), D.SOURCE_URI.as(SearchHits.DOC_SOURCE_URI.getName()),
                        D.TITLE.as(SearchHits.DOC_TITLE.getName()), D.DOC_TYPE.as(SearchHits.DOC_TYPE.getName()),
                        D.METADATA.as(SearchHits.DOC_METADATA.getName()), dcIndex.as(SearchHits.DOC_CHUNK_INDEX.getName()),
                        D.CREATED_AT.as(SearchHits.DOC_CREATED_AT.getName()), matches.as(SearchHits.DOC_MATCHES.getName()))
                .from(dc)
                .join(D).on(D.TENANT_ID.eq(dc.field("tenant_id", String.class))).and(D.ID.eq(dcDocument))
                .where(dc.field("tenant_id", String.class).eq(tenantParam()))
                .and(dc.field("knowledge_base_id", UUID.class).eq(h.field("kb", UUID.class)))
                .and(dc.field("chunk_id", UUID.class).eq(h.field("id", UUID.class)))
                .asTable("docs"));
        List<Field<?>> outer = new ArrayList<>();
        for (Field<?> f : select) {
            outer.add(h.field(f.getName()));
        }
        for (Field<?> f : List.of(SearchHits.DOC_ID, SearchHits.DOC_SOURCE_URI, SearchHits.DOC_TITLE, SearchHits.DOC_TYPE,
                SearchHits.DOC_METADATA, SearchHits.DOC_CHUNK_INDEX, SearchHits.DOC_CREATED_AT, SearchHits.DOC_MATCHES)) {
            outer.add(docs.field(f.getName()));
        }
        return (ctes.isEmpty() ? DSL.select(outer) : DSL.with(ctes).select(outer))
                .from(h.leftJoin(docs).on(DSL.trueCondition()))
                .orderBy(h.field("pos"), docs.field(SearchHits.DOC_MATCHES.getName()).desc(), docs.field(SearchHits.DOC_CREATED_AT.getName()),
                        docs.field(SearchHits.DOC_ID.getName()), docs.field(SearchHits.DOC_CHUNK_INDEX.getName()));
    }

    /** weight / (rrfK + rank), 0 when the chunk is not in that ranking. */
    private Field<Double> rrf(String param, double weight, Field<Long> rankField) {
        Field<Double> term = bind(param, weight, SQLDataType.DOUBLE).cast(SQLDataType.DOUBLE)
                .div(bind("rrfk", request.rrfK(), SQLDataType.INTEGER).cast(SQLDataType.DOUBLE).plus(rankField));
        return DSL.coalesce(term, DSL.inline(0.0));
    }

    // ------------------------------------------------------------------------------------------
    // pieces

    /** The query vector (parameter q). */
    private Field<float[]> query(ChunkTable c) {
        return bind("q", request.embeddingNoCopy(), c.EMBEDDING.getDataType());
    }

    private static Field<Object> tsv(ChunkTable c) {
        return DSL.field(DSL.name(c.getName(), "content_tsv"));
    }

    /**
     * Per knowledge base searched, the query's lexemes with their rarity in it ({@code w<storage id>}: word,
     * idf, estimated matching rows, the lexeme as a tsquery) and the OR of its rarest lexemes within the
     * candidate budget ({@code t<storage id>}). The rarity is the lexeme's share of the knowledge base's chunks
     * in the planner's element statistics of its partition's tsvector column (kept by ANALYZE and autovacuum:
     * nothing is written on ingest), read through {@code knowledge_lexeme_stats} (V16: SECURITY DEFINER, so a
     * role bound by row-level security, from which {@code pg_stats} hides them, reads them too); a lexeme
     * missing there is rarer than the least frequent listed and gets half of its share; a partition without
     * statistics (never analyzed) gives every lexeme a share of 0.5, so the arm ORs them, still within its
     * budget.
     */
    private List<CommonTableExpression<?>> lexemeTables() {
        List<CommonTableExpression<?>> ctes = new ArrayList<>();
        for (KnowledgeLayout l : layouts) {
            Table<?> lexemes = DSL.table("(select u.word, ln(1 / coalesce(u.f, st.min_share / 2, 0.5)) as idf, "
                            + "coalesce(u.f, st.min_share / 2, 0.5) * coalesce(st.est_rows, 1) as est, "
                            + "(chr(39) || replace(replace(u.word, chr(92), chr(92) || chr(92)), chr(39), chr(39) || chr(39)) "
                            + "|| chr(39))::tsquery as tq "
                            + "from (select tsvector_to_array(to_tsvector({0}::regconfig, {1})) as words) q "
                            + "cross join lateral {2}({3}, {4}, q.words) st "
                            + "cross join lateral unnest(q.words, st.freqs) as u(word, f)) as lx",
                    DSL.inline(textConfig.sqlName()), bind("text", request.text(), SQLDataType.CLOB),
                    DSL.name(schema, "knowledge_lexeme_stats"), tenantParam(), DSL.inline(l.storageId()));
            ctes.add(DSL.name("w" + l.storageId()).fields("word", "idf", "est", "tq")
                    .as(DSL.select(DSL.field(DSL.name("lx", "word")), DSL.field(DSL.name("lx", "idf")),
                            DSL.field(DSL.name("lx", "est")), DSL.field(DSL.name("lx", "tq"))).from(lexemes)));
            Table<?> ranked = DSL.table("(select w.tq, w.est, sum(w.est) over (order by w.est, w.word) as cum, "
                    + "min(w.est) over () as least from {0} as w) as s", DSL.name("w" + l.storageId()));
            ctes.add(DSL.name("t" + l.storageId()).fields("q")
                    .as(DSL.select(DSL.field("string_agg(cast(s.tq as text), ' | ')::tsquery"))
                            .from(ranked)
                            .where(DSL.condition("s.cum <= {0} or s.est = s.least", bind("budget", TEXT_CANDIDATES, SQLDataType.INTEGER)))));
        }
        return ctes;
    }

    /** The summed idf of the query lexemes the chunk's tsvector contains (0 for none). */
    private static Field<Double> lexicalScore(KnowledgeLayout l, Field<?> tsv) {
        return DSL.field("(select coalesce(sum(w.idf), 0) from {0} as w where {1} @@ w.tq)", SQLDataType.DOUBLE,
                DSL.name("w" + l.storageId()), tsv);
    }

    /**
     * The chunk's tsvector without positions: a value of its own (read from TOAST once, however many lexemes are
     * tested against it), and all that the single-lexeme tests of {@link #lexicalScore} need.
     */
    private static Field<Object> strippedTsv(ChunkTable c) {
        return DSL.field("strip({0})", Object.class, tsv(c));
    }

    /**
     * Some document containing the chunk passes the filter; no condition without a filter (ingestion and deletion
     * never leave a chunk without documents, so a per-candidate probe of the links would only cost time).
     */
    private Condition documentFilter(KnowledgeLayout l, ChunkTable c) {
        if (request.filter() == null) {
            return DSL.noCondition();
        }
        DocumentChunkTable dc = l.links(schema).as("dc");
        return DSL.exists(DSL.selectOne()
                .from(dc)
                .join(D).on(D.TENANT_ID.eq(dc.TENANT_ID)).and(D.ID.eq(dc.DOCUMENT_ID))
                .where(dc.TENANT_ID.eq(tenantParam()))
                .and(dc.KNOWLEDGE_BASE_ID.eq(c.KNOWLEDGE_BASE_ID))
                .and(dc.CHUNK_ID.eq(c.ID))
                .and(filterCondition(D)));
    }

    /**
     * The links of every knowledge base searched, as one table (one arm per link partition; the
     * correlated conditions on chunk and knowledge base reach each arm's index).
     */
    private Table<?> links() {
        List<Select<?>> arms = new ArrayList<>();
        for (KnowledgeLayout l : layouts) {
            DocumentChunkTable p = l.links(schema);
            arms.add(DSL.select(p.TENANT_ID, p.KNOWLEDGE_BASE_ID, p.DOCUMENT_ID, p.CHUNK_INDEX, p.CHUNK_ID).from(p));
        }
        Select<?> union = arms.get(0);
        for (int i = 1; i < arms.size(); i++) {
            union = unionOf(union, arms.get(i));
        }
        return union.asTable("dc");
    }

    private Field<Double> scoreOf(Field<Double> distance) {
        return switch (metric) {
            case COSINE -> DSL.inline(1.0).minus(distance);
            case L2 -> DSL.inline(1.0).div(DSL.inline(1.0).plus(distance));
            case INNER_PRODUCT -> distance.neg();
        };
    }

}
