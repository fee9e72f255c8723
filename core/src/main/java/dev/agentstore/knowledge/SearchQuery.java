package dev.agentstore.knowledge;

import dev.agentstore.DimensionMismatchException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.document.DistanceMetric;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.document.TextSearchConfig;
import dev.agentstore.internal.Columns;
import dev.agentstore.internal.FilterSql;
import dev.agentstore.internal.KnowledgeLayout;
import dev.agentstore.internal.NamedStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jooq.Query;

/**
 * One search. On a connection in auto-commit mode it is <b>one round trip</b>: the settings statement (pgvector
 * parameters set transaction-locally, and the layouts of the knowledge bases searched) and the search itself are
 * sent together ({@link NamedStatement}), so they run in one implicit transaction, the search built for the
 * layouts this store saw last for the tenant and knowledge bases ({@link SearchStatements}). When the layouts the
 * settings statement returns differ from those (a segment appended, a compaction, a knowledge base created or
 * deleted), the hits are dropped and the search is sent again for the new layouts; the first search of a tenant
 * and set of knowledge bases reads the layouts first. On a connection inside a transaction (a host's) the two
 * statements run one after the other ({@link #runTwoStatements}). Statements are rendered once per request
 * shape ({@link SearchSql}); every value is a bind parameter; rows are mapped by {@link SearchHits}. Not
 * thread-safe; one instance per call.
 */
final class SearchQuery {

    private static final int ATTEMPTS = 3;

    private final SearchStatements statements;
    private final String tenant;
    private final SearchRequest request;
    private final String schema;
    private final int exactSearchMaxChunks;
    /** The knowledge bases searched, by storage id (a stable order for the statement shape). */
    private final List<KnowledgeLayout> layouts = new ArrayList<>();
    /** {@link KnowledgeLayout#shape()} of each of {@link #layouts}. */
    private List<String> shapes = List.of();
    private DistanceMetric metric;
    private TextSearchConfig textConfig;

    SearchQuery(SearchStatements statements, String tenant, SearchRequest request, String schema, int exactSearchMaxChunks) {
        this.statements = statements;
        this.tenant = tenant;
        this.request = request;
        this.schema = schema;
        this.exactSearchMaxChunks = exactSearchMaxChunks;
    }

    /**
     * The search in one round trip on a connection in auto-commit mode (two when the layouts are not known yet
     * or changed).
     *
     * @return the hits, or null when the layouts kept changing (the caller then runs {@link #runTwoStatements}
     *         in a transaction)
     */
    List<SearchHit> run(Connection connection) throws SQLException {
        String key = layoutKey();
        SearchLayouts known = statements.layouts(key);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (known == null || !covers(known)) {
                known = readLayouts(connection, false);
                statements.layouts(key, known);
            }
            if (!apply(known)) {
                return List.of();
            }
            List<SearchHit> hits = new ArrayList<>(request.limit());
            String[] seen = new String[1];
            try {
                NamedStatement statement = statement(true);
                Columns columns = statement.columns(1);
                try (PreparedStatement ps = statement.prepare(connection, values(true))) {
                    NamedStatement.readResults(ps, (index, rs) -> {
                        if (index == 0) {
                            seen[0] = layoutsText(rs);
                        } else {
                            readHits(columns, rs, hits);
                        }
                    });
                }
            } catch (SQLException e) {
                if ("42P01".equals(e.getSQLState())) { // a partition of a deleted knowledge base: read the layouts again
                    known = null;
                    continue;
                }
                throw e;
            }
            if (known.text().equals(seen[0])) { // the common case: nothing changed, nothing to parse
                return hits;
            }
            SearchLayouts now = SearchLayouts.parse(seen[0]);
            statements.layouts(key, now);
            if (sameSearch(known, now)) { // e.g. only the row estimate moved, within the same plan
                return hits;
            }
            known = now;
        }
        return null;
    }

    /**
     * The search as two statements in the connection's transaction: the settings and layouts, then the search
     * for exactly those layouts. The settings last until the transaction ends.
     */
    List<SearchHit> runTwoStatements(Connection connection) throws SQLException {
        SearchLayouts found = readLayouts(connection, true);
        statements.layouts(layoutKey(), found);
        if (!apply(found)) {
            return List.of();
        }
        NamedStatement statement = statement(false);
        Columns columns = statement.columns(0);
        List<SearchHit> hits = new ArrayList<>(request.limit());
        try (PreparedStatement ps = statement.prepare(connection, values(false)); ResultSet rs = ps.executeQuery()) {
            readHits(columns, rs, hits);
        }
        return hits;
    }

    private void readHits(Columns columns, ResultSet rs, List<SearchHit> hits) throws SQLException {
        SearchHits.read(columns, rs, request, hits);
    }

    // ------------------------------------------------------------------------------------------
    // knowledge-base layouts

    /** Tenant and knowledge bases: whose layouts a search depends on. */
    private String layoutKey() {
        List<KnowledgeBaseId> kbs = request.knowledgeBases();
        if (kbs.isEmpty()) {
            return tenant + "\u0000*";
        }
        if (kbs.size() == 1) {
            return tenant + '\u0000' + kbs.get(0).value() + ',';
        }
        String[] ids = new String[kbs.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = kbs.get(i).value().toString();
        }
        Arrays.sort(ids);
        StringBuilder sb = new StringBuilder(tenant.length() + 1 + 37 * ids.length).append(tenant).append('\u0000');
        for (String id : ids) {
            sb.append(id).append(',');
        }
        return sb.toString();
    }

    /** Reads the layouts of the knowledge bases searched (with the settings of this request when asked). */
    private SearchLayouts readLayouts(Connection connection, boolean withSettings) throws SQLException {
        Map<String, Object> values = settingsValues(withSettings);
        SearchSql[] sql = new SearchSql[1];
        NamedStatement statement = statements.get(settingsShape(withSettings), () -> {
            sql[0] = sql();
            return List.of(sql[0].settings(withSettings));
        }, () -> sql[0].bound(), values);
        try (PreparedStatement ps = statement.prepare(connection, values); ResultSet rs = ps.executeQuery()) {
            return SearchLayouts.parse(layoutsText(rs));
        }
    }

    /** The layouts column of the settings statement's row ("" for none). */
    private static String layoutsText(ResultSet rs) throws SQLException {
        rs.next();
        String text = rs.getString(SearchSql.KBS.getName());
        return text == null ? "" : text;
    }

    /** Whether layouts remembered earlier can serve this request: some, and every knowledge base it names. */
    private boolean covers(SearchLayouts known) {
        if (known.isEmpty()) {
            return false; // the tenant had none: maybe it has now
        }
        for (KnowledgeBaseId id : request.knowledgeBases()) {
            if (!known.ids().contains(id.value())) {
                return false;
            }
        }
        return true;
    }

    /** Whether a search built for the layouts {@code built} is the search for the layouts {@code seen}. */
    private boolean sameSearch(SearchLayouts built, SearchLayouts seen) {
        return searchOf(built).equals(searchOf(seen));
    }

    private List<String> searchOf(SearchLayouts described) {
        List<String> keys = new ArrayList<>(described.layouts().size());
        for (KnowledgeLayout l : described.layouts()) {
            keys.add(l.knowledgeBaseId() + "/" + l.shape() + "/" + l.dimension() + "/" + l.textSearchConfig() + "/" + exact(l));
        }
        keys.sort(Comparator.naturalOrder());
        return keys;
    }

    private boolean exact(KnowledgeLayout l) {
        return request.exact() || (l.estimatedChunks() >= 0 && l.estimatedChunks() < exactSearchMaxChunks);
    }

    /**
     * Takes the layouts for this search and checks the request against them; false when there are none.
     *
     * @throws NotFoundException when a knowledge base named in the request is not among them
     */
    private boolean apply(SearchLayouts found) {
        layouts.clear();
        layouts.addAll(found.layouts());
        shapes = found.shapes();
        metric = null;
        textConfig = null;
        Set<UUID> foundIds = found.ids();
        Set<String> metrics = found.metrics();
        Set<String> configs = found.textConfigs();
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
            int dimension = request.embeddingNoCopy().length;
            for (KnowledgeLayout l : layouts) {
                if (l.dimension() != dimension) {
                    throw new DimensionMismatchException("query embedding", "knowledge base " + l.knowledgeBaseId()
                            + " is built for", l.dimension(), dimension, "embed the query with the knowledge base's model"
                            + (layouts.size() > 1 ? ", and search knowledge bases of one dimension together" : ""));
                }
            }
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

    // ------------------------------------------------------------------------------------------
    // statements and values

    private SearchSql sql() {
        return new SearchSql(tenant, request, schema, exactSearchMaxChunks, List.copyOf(layouts), metric, textConfig);
    }

    /** The search for the current layouts, after the settings statement when {@code batch}. */
    private NamedStatement statement(boolean batch) {
        SearchSql[] sql = new SearchSql[1];
        return statements.get((batch ? settingsShape(true) + "|" : "") + searchShape(), () -> {
            sql[0] = sql();
            List<Query> queries = new ArrayList<>(2);
            if (batch) {
                queries.add(sql[0].settings(true));
            }
            queries.add(sql[0].search());
            return queries;
        }, () -> sql[0].bound(), values(batch));
    }

    /** The values of the search, and of the settings statement before it when {@code batch}. */
    private Map<String, Object> values(boolean batch) {
        Map<String, Object> v = searchValues();
        if (batch) {
            v.putAll(settingsValues(true));
        }
        return v;
    }

    /** The values of the settings statement, by parameter name. */
    private Map<String, Object> settingsValues(boolean withSettings) {
        Map<String, Object> v = new HashMap<>();
        v.put("tenant", tenant);
        if (!request.knowledgeBases().isEmpty()) {
            v.put("kbs", SearchSql.kbIds(request));
        }
        if (withSettings && SearchSql.vectorSettings(request)) {
            v.put("ef", Integer.toString(request.effectiveEfSearch()));
            v.put("scan", request.iterativeScan().setting());
            if (request.maxScanTuples() != null) {
                v.put("maxscan", Integer.toString(request.maxScanTuples()));
            }
        }
        return v;
    }

    /** The values of the search statement, by parameter name. */
    private Map<String, Object> searchValues() {
        Map<String, Object> v = new HashMap<>(64);
        v.put("tenant", tenant);
        if (request.embeddingNoCopy() != null) {
            v.put("q", request.embeddingNoCopy());
        }
        if (request.text() != null) {
            v.put("text", request.text());
        }
        v.put("k", request.limit());
        v.put("depth", request.candidateDepth());
        if (request.mode() != SearchMode.VECTOR) {
            v.put("budget", SearchSql.TEXT_CANDIDATES);
        }
        Double min = SearchSql.minBound(request, metric);
        if (min != null) {
            v.put("min", min);
        }
        if (request.mode() == SearchMode.HYBRID) {
            v.put("vw", request.vectorWeight());
            v.put("tw", request.textWeight());
            v.put("rrfk", request.rrfK());
        }
        if (request.filter() != null) {
            List<Object> filterValues = new ArrayList<>();
            FilterSql.values(request.filter(), filterValues);
            for (int i = 0; i < filterValues.size(); i++) {
                v.put("f" + i, filterValues.get(i));
            }
        }
        return v;
    }

    /** What the settings statement's SQL depends on. */
    private String settingsShape(boolean withSettings) {
        boolean vector = withSettings && SearchSql.vectorSettings(request);
        return "settings:" + vector + ':' + (vector && request.maxScanTuples() != null) + ':' + request.knowledgeBases().isEmpty();
    }

    /** What the search statement's SQL depends on (never a value). */
    private String searchShape() {
        StringBuilder sb = new StringBuilder(64).append("search:").append(request.mode()).append(':').append(request.exact())
                .append(':').append(metric).append(':').append(textConfig).append(':')
                .append(SearchSql.minBound(request, metric) != null).append(':').append(request.includeEmbedding()).append(':')
                .append(request.includeDocuments()).append(':')
                .append(request.mode() == SearchMode.HYBRID ? request.fusion() : "").append(':');
        for (int i = 0; i < layouts.size(); i++) {
            sb.append(shapes.get(i)).append(exact(layouts.get(i)) ? "=exact" : "").append(';');
        }
        if (request.filter() != null) {
            FilterSql.shape(request.filter(), sb);
        }
        return sb.toString();
    }
}
