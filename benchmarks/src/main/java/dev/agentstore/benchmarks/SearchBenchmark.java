package dev.agentstore.benchmarks;

import com.pgvector.PGvector;
import dev.agentstore.AgentStore;
import dev.agentstore.ContentHash;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.knowledge.Filter;
import dev.agentstore.knowledge.IterativeScan;
import dev.agentstore.knowledge.Knowledge;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchRequest;
import dev.agentstore.testkit.TestDatabase;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Knowledge search on N clustered 768-dimension vectors (deterministic): recall@10 against exact
 * brute-force results computed in Java, p50/p95 latency of a top-10 search through agentstore and of
 * the fastest hand-written query over plain JDBC (the knowledge base's partition, its HNSW index, the same
 * ef_search) in the same run, whether both return the same top 10, and a filtered search keeping 1% of the
 * rows with and without iterative index scans. The full size is 20,000 rows;
 * {@code AGENTSTORE_BENCH_SEARCH_N=100000} runs it on more.
 */
final class SearchBenchmark implements Benchmark {

    private static final int DIM = 768;
    private static final int K = 10;
    private static final String TENANT = "bench";

    /**
     * The fastest hand-written top-k query: the knowledge base's partition, its index range's segment condition
     * (so its partial HNSW index serves the order), the embedding cast to {@code vector(768)} as the index is,
     * hnsw.ef_search and iterative scan set once for the session, one statement per search.
     */
    private static String handWritten(int storageId, List<int[]> ranges) {
        List<String> arms = new java.util.ArrayList<>();
        for (int[] r : ranges) {
            arms.add("(select id, content, embedding::vector(" + DIM + ") <=> ?::vector(" + DIM + ") as distance "
                    + "from agentstore.chunk_p" + storageId + " where tenant_id = ? and segment between " + r[0] + " and " + r[1]
                    + " order by distance limit " + K + ")");
        }
        return arms.size() == 1 ? arms.get(0)
                : "select id, content, distance from (" + String.join(" union all ", arms) + ") u order by distance limit " + K;
    }

    @Override
    public String name() {
        return "search";
    }

    @Override
    public void run(BenchEnv env) throws Exception {
        PrintStream out = env.out();
        // AGENTSTORE_BENCH_SEARCH_N overrides the full size (e.g. 100000)
        String override = System.getenv("AGENTSTORE_BENCH_SEARCH_N");
        int n = env.small() || override == null ? env.size(2_000, 20_000) : Integer.parseInt(override.trim());
        int clusters = env.size(20, 100);
        int queries = env.size(30, 200);
        Random random = new Random(20261123);
        float[][] centers = new float[clusters][];
        for (int c = 0; c < clusters; c++) {
            centers[c] = gaussian(random, 1.0 / Math.sqrt(DIM), null, 0);
        }
        float[][] data = new float[n][];
        for (int i = 0; i < n; i++) {
            data[i] = gaussian(random, 0.6 / Math.sqrt(DIM), centers[random.nextInt(clusters)], 0);
        }
        float[][] query = new float[queries][];
        for (int q = 0; q < queries; q++) {
            query[q] = gaussian(random, 0.6 / Math.sqrt(DIM), centers[random.nextInt(clusters)], 0);
        }
        // 1% of the documents are "rare": the filtered search keeps them only
        boolean[] rare = new boolean[n];
        for (int i = 0; i < n; i += 100) {
            rare[i] = true;
        }

        TestDatabase db = env.database(DIM);
        try (AgentStore store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password())
                .poolSize(4).build(); Connection jdbc = db.connect()) {
            UUID[] ids = new UUID[n];
            KnowledgeBaseId kb = load(jdbc, data, rare, ids, out);
            Map<UUID, Integer> index = new HashMap<>();
            for (int i = 0; i < n; i++) {
                index.put(ids[i], i);
            }
            int[][] truth = new int[queries][];
            int[][] rareTruth = new int[queries][];
            long t0 = System.nanoTime();
            for (int q = 0; q < queries; q++) {
                truth[q] = bruteForce(data, query[q], null);
                rareTruth[q] = bruteForce(data, query[q], rare);
            }
            out.printf("exact brute-force top-%d of %d queries (Java): %.1f s%n", K, queries, (System.nanoTime() - t0) / 1e9);

            Knowledge knowledge = store.knowledge(TENANT);
            // recall at the default settings and with more effort
            for (Integer ef : new Integer[] {null, 40, 64, 100, 200}) {
                double recall = 0;
                for (int q = 0; q < queries; q++) {
                    SearchRequest.Builder b = SearchRequest.vector(query[q]).limit(K).knowledgeBases(kb);
                    if (ef != null) {
                        b.efSearch(ef);
                    }
                    recall += recall(knowledge.search(b.build()), index, truth[q]);
                }
                out.printf("recall@10 %s: %.3f%n", ef == null ? "at the default settings (ef_search="
                        + SearchRequest.DEFAULT_EF_SEARCH + ")" : "with efSearch(" + ef + ")", recall / queries);
            }

            // latency: agentstore and the fastest hand-written query over plain JDBC, interleaved
            int storageId = 0;
            List<int[]> ranges = new java.util.ArrayList<>();
            try (Statement s = jdbc.createStatement();
                    ResultSet rs = s.executeQuery("select kb.storage_id, seg.segment_from, seg.segment_to from agentstore.knowledge_base kb "
                            + "join agentstore.knowledge_base_segment seg on seg.tenant_id = kb.tenant_id and seg.knowledge_base_id = kb.id "
                            + "where kb.tenant_id = '" + TENANT + "' and kb.id = '" + kb + "' order by seg.segment_from")) {
                while (rs.next()) { // one arm per index range, as agentstore searches them
                    storageId = rs.getInt(1);
                    ranges.add(new int[] {rs.getInt(2), rs.getInt(3)});
                }
            }
            arms = ranges.size();
            try (Statement s = jdbc.createStatement()) {
                s.execute("set hnsw.ef_search = " + SearchRequest.DEFAULT_EF_SEARCH);
                s.execute("set hnsw.iterative_scan = relaxed_order");
            }
            PreparedStatement search = jdbc.prepareStatement(handWritten(storageId, ranges));
            // what agentstore's default hit carries: each chunk's documents, by join (rows read in full)
            PreparedStatement withDocuments = jdbc.prepareStatement("select h.id, h.content, h.distance, d.id, d.source_uri, "
                    + "d.title, d.doc_type, d.metadata, dc.chunk_index, d.created_at from (" + handWritten(storageId, ranges) + ") h "
                    + "join agentstore.document_chunk_p" + storageId + " dc on dc.tenant_id = '" + TENANT + "' and dc.chunk_id = h.id "
                    + "join agentstore.document d on d.tenant_id = dc.tenant_id and d.id = dc.document_id "
                    + "order by h.distance, d.created_at, d.id");
            int identical = 0;
            for (int q = 0; q < queries; q++) {
                List<UUID> mine = knowledge.search(SearchRequest.vector(query[q]).limit(K).knowledgeBases(kb).build()).stream()
                        .map(h -> h.chunkId().value()).toList();
                identical += mine.equals(plainSearch(search, query[q])) ? 1 : 0;
            }
            out.printf("identical top-%d (same ids, same order) agentstore vs hand-written: %d of %d queries%n", K, identical, queries);
            int rounds = env.size(2, 5);
            Stats agent = new Stats(queries * rounds);
            Stats lean = new Stats(queries * rounds);
            Stats plain = new Stats(queries * rounds);
            Stats plainDocs = new Stats(queries * rounds);
            for (int w = 0; w < env.size(30, 400); w++) { // warm-up (JIT, caches, prepared statements)
                knowledge.search(SearchRequest.vector(query[w % queries]).limit(K).knowledgeBases(kb).build());
                knowledge.search(SearchRequest.vector(query[w % queries]).limit(K).knowledgeBases(kb).includeDocuments(false).build());
                plainSearch(search, query[w % queries]);
                plainSearch(withDocuments, query[w % queries]);
            }
            for (int r = 0; r < rounds; r++) {
                for (int q = 0; q < queries; q++) {
                    for (int turn = 0; turn < 4; turn++) {
                        int which = (turn + q + r) % 4; // rotate who goes first
                        long s = System.nanoTime();
                        if (which == 0) {
                            knowledge.search(SearchRequest.vector(query[q]).limit(K).knowledgeBases(kb).build());
                            agent.add(System.nanoTime() - s);
                        } else if (which == 1) {
                            knowledge.search(SearchRequest.vector(query[q]).limit(K).knowledgeBases(kb).includeDocuments(false).build());
                            lean.add(System.nanoTime() - s);
                        } else if (which == 2) {
                            plainSearch(search, query[q]);
                            plain.add(System.nanoTime() - s);
                        } else {
                            plainSearch(withDocuments, query[q]);
                            plainDocs.add(System.nanoTime() - s);
                        }
                    }
                }
            }
            out.println("top-10 search, agentstore (defaults, with documents): " + agent.summary());
            out.println("top-10 search, agentstore includeDocuments(false):    " + lean.summary());
            out.println("top-10 search, hand-written SQL (partition, HNSW):    " + plain.summary());
            out.println("top-10 search, hand-written SQL + documents (join):   " + plainDocs.summary());
            out.printf("p50 ratio agentstore / hand-written: %.2fx (p95 %.2fx); includeDocuments(false): %.2fx (p95 %.2fx)%n",
                    agent.percentileMillis(50) / plain.percentileMillis(50), agent.percentileMillis(95) / plain.percentileMillis(95),
                    lean.percentileMillis(50) / plain.percentileMillis(50), lean.percentileMillis(95) / plain.percentileMillis(95));
            out.printf("p50 ratio agentstore (defaults) / hand-written SQL + documents: %.2fx (p95 %.2fx)%n",
                    agent.percentileMillis(50) / plainDocs.percentileMillis(50), agent.percentileMillis(95) / plainDocs.percentileMillis(95));
            explain(jdbc, handWritten(storageId, ranges), query[0], out);

            // 1% filtered search, with and without iterative scans
            int rareCount = 0;
            for (boolean b : rare) {
                rareCount += b ? 1 : 0;
            }
            filtered(knowledge, kb, query, index, rareTruth, rareCount, n, "planner's choice", out);
            // the same with the planner steered onto the HNSW index (as on a large table), for new connections
            try (Statement s = jdbc.createStatement()) {
                s.execute("alter database \"" + db.name() + "\" set enable_seqscan = off");
                s.execute("alter database \"" + db.name() + "\" set enable_bitmapscan = off");
                s.execute("alter database \"" + db.name() + "\" set enable_sort = off");
            }
            try (AgentStore forced = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password())
                    .poolSize(4).build()) {
                filtered(forced.knowledge(TENANT), kb, query, index, rareTruth, rareCount, n, "HNSW index path", out);
            }
        }
    }

    private static void filtered(Knowledge knowledge, KnowledgeBaseId kb, float[][] query, Map<UUID, Integer> index,
            int[][] rareTruth, int rareCount, int n, String path, PrintStream out) {
        int queries = query.length;
        for (Filter filter : List.of(Filter.docType("rare"), Filter.metadata("bucket").eq(0))) {
            out.printf("filtered search keeping 1%% of the rows (%d of %d, %s, %s), k=%d:%n", rareCount, n,
                    filter instanceof Filter.DocTypeIn ? "docType = rare" : "metadata bucket = 0", path, K);
            for (IterativeScan mode : IterativeScan.values()) {
                double recall = 0;
                long returned = 0;
                Stats latency = new Stats(queries);
                for (int q = 0; q < queries; q++) {
                    long s = System.nanoTime();
                    List<SearchHit> hits = knowledge.search(SearchRequest.vector(query[q]).limit(K).knowledgeBases(kb)
                            .filter(filter).iterativeScan(mode).build());
                    latency.add(System.nanoTime() - s);
                    returned += hits.size();
                    recall += recall(hits, index, rareTruth[q]);
                }
                out.printf("  iterative scan %-13s: %.1f of %d results on average, recall@10 %.3f, %s%n", mode,
                        (double) returned / queries, K, recall / queries, latency.summary());
            }
        }
    }

    private static int arms = 1;

    private static List<UUID> plainSearch(PreparedStatement search, float[] q) throws Exception {
        for (int a = 0; a < arms; a++) {
            search.setObject(2 * a + 1, new PGvector(q));
            search.setString(2 * a + 2, TENANT);
        }
        List<UUID> ids = new java.util.ArrayList<>(K);
        try (ResultSet rs = search.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                UUID id = rs.getObject(1, UUID.class);
                if (!ids.contains(id)) { // a chunk held by several documents comes once per document
                    ids.add(id);
                }
                rs.getString(2);
                rs.getDouble(3);
                for (int i = 4; i <= columns; i++) { // the documents baseline reads every value
                    rs.getObject(i);
                }
            }
        }
        return ids;
    }

    /** Prints the access path of the hand-written statement. */
    private static void explain(Connection c, String sql, float[] q, PrintStream out) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("explain " + sql)) {
            for (int a = 0; a < arms; a++) {
                ps.setObject(2 * a + 1, new PGvector(q));
                ps.setString(2 * a + 2, TENANT);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String line = rs.getString(1);
                    if (line.contains("Scan")) {
                        out.println("plan: " + line.trim());
                    }
                }
            }
        }
    }

    private static KnowledgeBaseId load(Connection c, float[][] data, boolean[] rare, UUID[] ids, PrintStream out) throws Exception {
        long start = System.nanoTime();
        UUID kb = UUID.randomUUID();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("insert into agentstore.knowledge_base (tenant_id, id, name, embedding_dimension, distance_metric, "
                    + "text_search_config) values ('" + TENANT + "', '" + kb + "', 'bench', " + DIM + ", 'cosine', 'simple')");
            s.execute("select agentstore.knowledge_storage_create('" + TENANT + "', '" + kb + "')");
        }
        // bulk load into a segment no index covers yet, then build its indexes once (maintaining HNSW row by row
        // is far slower): the knowledge base's bulk path, by hand
        int segment;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select agentstore.knowledge_storage_begin_bulk('" + TENANT + "', '" + kb + "')")) {
            rs.next();
            segment = rs.getInt(1);
        }
        try (PreparedStatement doc = c.prepareStatement("insert into agentstore.document (tenant_id, id, knowledge_base_id, "
                + "source_uri, doc_type, metadata, status, chunk_count) values (?, ?, ?, ?, ?, ?::jsonb, 'completed', 1)");
                PreparedStatement chunk = c.prepareStatement("insert into agentstore.chunk (tenant_id, id, knowledge_base_id, "
                        + "content_hash, content, embedding, distance_metric, text_search_config, segment) "
                        + "values (?, ?, ?, ?, ?, ?, 'cosine', 'simple', " + segment + ")");
                PreparedStatement link = c.prepareStatement("insert into agentstore.document_chunk (tenant_id, knowledge_base_id, "
                        + "document_id, chunk_index, chunk_id) values (?, '" + kb + "', ?, 0, ?)")) {
            for (int i = 0; i < data.length; i++) {
                UUID d = UUID.randomUUID();
                ids[i] = UUID.randomUUID();
                String text = "Synthetic chunk number " + i + " of the search benchmark.";
                doc.setString(1, TENANT);
                doc.setObject(2, d);
                doc.setObject(3, kb);
                doc.setString(4, "bench://doc/" + i);
                doc.setString(5, rare[i] ? "rare" : "common");
                doc.setString(6, "{\"bucket\": " + (rare[i] ? 0 : 1 + i % 99) + "}");
                doc.addBatch();
                chunk.setString(1, TENANT);
                chunk.setObject(2, ids[i]);
                chunk.setObject(3, kb);
                chunk.setBytes(4, ContentHash.of(text).bytes());
                chunk.setString(5, text);
                chunk.setObject(6, new PGvector(data[i]));
                chunk.addBatch();
                link.setString(1, TENANT);
                link.setObject(2, d);
                link.setObject(3, ids[i]);
                link.addBatch();
                if (i % 1000 == 999 || i == data.length - 1) {
                    doc.executeBatch();
                    chunk.executeBatch();
                    link.executeBatch();
                }
            }
        }
        long loaded = System.nanoTime();
        try (Statement s = c.createStatement()) {
            s.execute("select agentstore.knowledge_storage_index_range('" + TENANT + "', '" + kb + "', " + segment + ", "
                    + segment + ", '1GB')");
            c.commit();
            s.execute("analyze");
            s.execute("reset maintenance_work_mem");
        }
        c.commit();
        c.setAutoCommit(true);
        long indexed = System.nanoTime();
        out.printf("search: N=%,d %d-d clustered vectors; batched insert %.1f s, HNSW build (m=16, ef_construction=64) %.1f s%n",
                data.length, DIM, (loaded - start) / 1e9, (indexed - loaded) / 1e9);
        return KnowledgeBaseId.of(kb);
    }

    /** Indexes of the k nearest rows by cosine distance (only rows with keep[i] when keep is given). */
    private static int[] bruteForce(float[][] data, float[] q, boolean[] keep) {
        double qn = norm(q);
        double[] best = new double[K];
        int[] bestIdx = new int[K];
        Arrays.fill(best, Double.MAX_VALUE);
        Arrays.fill(bestIdx, -1);
        for (int i = 0; i < data.length; i++) {
            if (keep != null && !keep[i]) {
                continue;
            }
            double dot = 0;
            float[] v = data[i];
            for (int j = 0; j < v.length; j++) {
                dot += v[j] * q[j];
            }
            double d = 1 - dot / (norm(v) * qn);
            if (d < best[K - 1]) {
                int pos = K - 1;
                while (pos > 0 && best[pos - 1] > d) {
                    best[pos] = best[pos - 1];
                    bestIdx[pos] = bestIdx[pos - 1];
                    pos--;
                }
                best[pos] = d;
                bestIdx[pos] = i;
            }
        }
        return bestIdx;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static double recall(List<SearchHit> hits, Map<UUID, Integer> index, int[] truth) {
        int found = 0;
        for (SearchHit h : hits) {
            int i = index.get(h.chunkId().value());
            for (int t : truth) {
                if (t == i) {
                    found++;
                    break;
                }
            }
        }
        return (double) found / truth.length;
    }

    private static float[] gaussian(Random random, double sigma, float[] center, int unused) {
        float[] v = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            v[j] = (float) ((center == null ? 0 : center[j]) + random.nextGaussian() * sigma);
        }
        return v;
    }
}
