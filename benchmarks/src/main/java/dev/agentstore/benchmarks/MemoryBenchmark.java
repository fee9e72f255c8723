package dev.agentstore.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentstore.AgentStore;
import dev.agentstore.ContentHash;
import dev.agentstore.memory.Memory;
import dev.agentstore.memory.MemoryFilter;
import dev.agentstore.memory.RecallQuery;
import dev.agentstore.memory.RecallScoring;
import dev.agentstore.memory.RecalledMemory;
import dev.agentstore.testkit.TestDatabase;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Recall latency over the semantic memories of one agent among 20: agentstore's {@link Memory#recall}
 * next to the same SQL (candidate CTE from the HNSW index, score in SQL, access update) written by
 * hand over plain JDBC, interleaved query by query on the same database.
 *
 * <p>Data: {@code full}: 50,000 memories of the target agent plus 50,000 spread over 19 other agents
 * (100,000 rows, the shared HNSW index holds them all); {@code small}: 1,000 + 1,000. 384-dimension
 * vectors from 100 seeded Gaussian clusters; importance and last-seen times seeded random (last 30 days).
 */
final class MemoryBenchmark implements Benchmark {

    static final int DIMENSION = 384;
    private static final int CLUSTERS = 100;
    private static final int OTHER_AGENTS = 19;
    private static final int K = 10;
    private static final String TENANT = "bench";
    private static final String TARGET = "agent-00";
    /** An agent with few memories among the others: recall here is served exactly, and must be fast. */
    private static final String SMALL_AGENT = "agent-small";
    private static final int SMALL_AGENT_MEMORIES = 100;

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void run(BenchEnv env) throws Exception {
        int target = env.size(1_000, 50_000);
        int others = env.size(1_000, 50_000);
        // AGENTSTORE_BENCH_MEMORY_QUERIES overrides the full run's latency queries (warm-up: 60% of them), so that a
        // full-size run (100,000 memories) fits a 10-minute benchmark slot on a shared machine
        String override = System.getenv("AGENTSTORE_BENCH_MEMORY_QUERIES");
        int queries = env.small() || override == null ? env.size(40, 500) : Integer.parseInt(override.trim());
        int warmup = env.small() || override == null ? env.size(10, 300) : queries * 3 / 5;
        TestDatabase db = env.database(DIMENSION);
        Random random = new Random(42);
        float[][] centres = new float[CLUSTERS][];
        for (int c = 0; c < CLUSTERS; c++) {
            centres[c] = gaussian(random, 1.0f);
        }

        long loadStart = System.nanoTime();
        Loaded loaded = load(db, random, centres, target, others);
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        env.out().printf("loaded %,d memories of %s + %,d of %d other agents (%,d rows, %d-d, %d clusters) in %.1f s"
                + " (COPY, then the HNSW index as the migrations define it)%n", target, TARGET, others, OTHER_AGENTS, target + others,
                DIMENSION, CLUSTERS, loadSeconds);

        float[][] queryVectors = new float[queries + warmup][];
        for (int i = 0; i < queryVectors.length; i++) {
            queryVectors[i] = near(random, centres[random.nextInt(CLUSTERS)]);
        }

        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(2);
        try (AgentStore store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password())
                .embeddingDimension(DIMENSION).poolSize(2).build();
                HikariDataSource plain = new HikariDataSource(config)) {
            Memory memory = store.memory(TENANT);
            MemoryFilter filter = MemoryFilter.agent(TARGET);
            env.out().println("plan of the recall: " + planSummary(plain, queryVectors[0], TARGET));

            Stats lib = new Stats(queries);
            Stats jdbc = new Stats(queries);
            int libRows = 0;
            int jdbcRows = 0;
            for (int i = 0; i < queryVectors.length; i++) {
                RecallQuery q = RecallQuery.of(filter, queryVectors[i], K);
                // alternate which runs first, so that neither always finds the other's pages cached
                long libNanos = 0;
                long jdbcNanos = 0;
                List<RecalledMemory> a = null;
                List<JdbcHit> b = null;
                for (int turn = 0; turn < 2; turn++) {
                    long t0 = System.nanoTime();
                    if ((turn + i) % 2 == 0) {
                        a = memory.recall(q);
                        libNanos = System.nanoTime() - t0;
                    } else {
                        b = recallJdbc(plain, queryVectors[i], K, q.candidates(), RecallScoring.DEFAULT);
                        jdbcNanos = System.nanoTime() - t0;
                    }
                }
                if (i >= warmup) {
                    lib.add(libNanos);
                    jdbc.add(jdbcNanos);
                    libRows += a.size();
                    jdbcRows += b.size();
                }
            }
            env.out().printf("recall k=%d, candidates=%d, default scoring, %d queries (after %d warm-up), one at a time, alternating which runs first:%n",
                    K, RecallQuery.defaultCandidates(K), queries, warmup);
            env.out().printf("  agentstore recall   : %s, %.1f rows/query%n", lib.summary(), libRows / (double) queries);
            env.out().printf("  plain JDBC recall   : %s, %.1f rows/query%n", jdbc.summary(), jdbcRows / (double) queries);
            env.out().printf("  ratio agentstore/JDBC: p50 %.2f, p95 %.2f%n",
                    lib.percentileMillis(50) / jdbc.percentileMillis(50), lib.percentileMillis(95) / jdbc.percentileMillis(95));

            quality(env, memory, plain, loaded, queryVectors, warmup, queries);
            String rebuild = System.getenv("AGENTSTORE_BENCH_MEMORY_INDEX"); // e.g. "m = 32, ef_construction = 128"
            if (rebuild != null && !rebuild.isBlank()) {
                long t0 = System.nanoTime();
                try (Connection c = db.connect(); Statement st = c.createStatement()) {
                    st.execute("DROP INDEX agentstore.memory_embedding_idx");
                    st.execute("SET maintenance_work_mem = '1GB'");
                    st.execute("CREATE INDEX memory_embedding_idx ON agentstore.memory USING hnsw (embedding vector_cosine_ops) WITH ("
                            + rebuild.replaceAll("[^a-z_=, 0-9]", "") + ")");
                }
                env.out().printf("rebuilt memory_embedding_idx WITH (%s) in %.1f s%n", rebuild, (System.nanoTime() - t0) / 1e9);
                quality(env, memory, plain, loaded, queryVectors, warmup, queries);
            }
            smallAgent(env, memory, plain, random, centres, queries, warmup);
        }
    }

    /**
     * Recall@10 against the exact top 10 (computed in Java) with similarity-only scoring, so that the exact
     * answer does not depend on time: mean and minimum over the queries, for agentstore and for the
     * hand-written statement at pgvector's defaults and with more effort.
     */
    private static void quality(BenchEnv env, Memory memory, javax.sql.DataSource plain, Loaded loaded, float[][] queryVectors,
            int warmup, int queries) throws Exception {
        RecallScoring similarity = RecallScoring.similarityOnly();
        MemoryFilter filter = MemoryFilter.agent(TARGET);
        int n = Math.min(queries, env.size(40, 200));
        List<java.util.Set<String>> truth = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            truth.add(exactTop(loaded, queryVectors[warmup + i], K));
        }
        env.out().printf("recall@%d against the exact top %d, similarity-only scoring, %s (%,d memories), %d queries:%n",
                K, K, TARGET, loaded.contents().length, n);
        double[] lib = new double[n];
        for (int i = 0; i < n; i++) {
            List<RecalledMemory> hits = memory.recall(RecallQuery.of(filter, queryVectors[warmup + i], K).withScoring(similarity));
            lib[i] = overlap(hits.stream().map(h -> h.memory().content()).toList(), truth.get(i));
        }
        env.out().printf("  agentstore recall (defaults)                  : mean %.3f, min %.3f, %d below 0.98%n", mean(lib), min(lib),
                below(lib, 0.98));
        for (int i = 0; i < n; i++) {
            if (lib[i] < 0.5) {
                List<RecalledMemory> hits = memory.recall(RecallQuery.of(filter, queryVectors[warmup + i], K).withScoring(similarity));
                env.out().printf("    query %d: recall %.1f, best similarity returned %.3f, exact best %.3f%n", i, lib[i],
                        hits.isEmpty() ? Double.NaN : hits.get(0).similarity(), exactBest(loaded, queryVectors[warmup + i]));
            }
        }
        int candidates = RecallQuery.defaultCandidates(K);
        for (Object[] variant : new Object[][] {{40, "relaxed_order"}, {40, "off"}, {100, "relaxed_order"}, {200, "relaxed_order"},
                {400, "relaxed_order"}}) {
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                List<JdbcHit> hits = recallJdbc(plain, TARGET, queryVectors[warmup + i], K, candidates, similarity,
                        (Integer) variant[0], (String) variant[1]);
                r[i] = overlap(hits.stream().map(JdbcHit::content).toList(), truth.get(i));
            }
            env.out().printf("  SQL, %d candidates, ef_search %3d, %-13s: mean %.3f, min %.3f, %d below 0.98%n", candidates, variant[0],
                    variant[1], mean(r), min(r), below(r, 0.98));
        }
    }

    /** Latency of a recall in an agent with {@value #SMALL_AGENT_MEMORIES} memories among the 100,000. */
    private static void smallAgent(BenchEnv env, Memory memory, javax.sql.DataSource plain, Random random, float[][] centres,
            int queries, int warmup) throws Exception {
        MemoryFilter filter = MemoryFilter.agent(SMALL_AGENT);
        Stats lib = new Stats(queries);
        Stats jdbc = new Stats(queries);
        int candidates = RecallQuery.defaultCandidates(K);
        for (int i = 0; i < queries + warmup; i++) {
            float[] q = near(random, centres[random.nextInt(CLUSTERS)]);
            for (int turn = 0; turn < 2; turn++) {
                long t0 = System.nanoTime();
                if ((turn + i) % 2 == 0) {
                    memory.recall(RecallQuery.of(filter, q, K));
                    if (i >= warmup) {
                        lib.add(System.nanoTime() - t0);
                    }
                } else {
                    recallJdbc(plain, SMALL_AGENT, q, K, candidates, RecallScoring.DEFAULT, 40, "relaxed_order");
                    if (i >= warmup) {
                        jdbc.add(System.nanoTime() - t0);
                    }
                }
            }
        }
        env.out().printf("recall k=%d in %s (%d memories among %s), default scoring:%n", K, SMALL_AGENT, SMALL_AGENT_MEMORIES,
                "all the others");
        env.out().printf("  agentstore recall   : %s%n", lib.summary());
        env.out().printf("  plain JDBC recall   : %s%n", jdbc.summary());
        env.out().println("  plan of the recall: " + planSummary(plain, near(random, centres[0]), SMALL_AGENT));
    }

    private static java.util.Set<String> exactTop(Loaded loaded, float[] query, int k) {
        float[][] vs = loaded.vectors();
        double qn = 0;
        for (float x : query) {
            qn += x * x;
        }
        qn = Math.sqrt(qn);
        Integer[] order = new Integer[vs.length];
        double[] d = new double[vs.length];
        for (int i = 0; i < vs.length; i++) {
            double dot = 0;
            double vn = 0;
            for (int j = 0; j < query.length; j++) {
                dot += vs[i][j] * query[j];
                vn += vs[i][j] * vs[i][j];
            }
            d[i] = 1 - dot / (Math.sqrt(vn) * qn);
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble(i -> d[i]));
        java.util.Set<String> top = new java.util.HashSet<>();
        for (int i = 0; i < k; i++) {
            top.add(loaded.contents()[order[i]]);
        }
        return top;
    }

    private static double overlap(List<String> found, java.util.Set<String> truth) {
        return found.stream().filter(truth::contains).count() / (double) truth.size();
    }

    private static double exactBest(Loaded loaded, float[] q) {
        double best = -2;
        for (float[] v : loaded.vectors()) {
            double dot = 0;
            double vn = 0;
            double qn = 0;
            for (int j = 0; j < q.length; j++) {
                dot += v[j] * q[j];
                vn += v[j] * v[j];
                qn += q[j] * q[j];
            }
            best = Math.max(best, dot / Math.sqrt(vn * qn));
        }
        return best;
    }

    private static long below(double[] v, double bound) {
        return java.util.Arrays.stream(v).filter(x -> x < bound).count();
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(Double.NaN);
    }

    // ------------------------------------------------------------------------------------------
    // the hand-written baseline: the statement agentstore runs, over plain JDBC

    record JdbcHit(UUID id, String content, double importance, int accessCount, double similarity, double recency, double score) {
    }

    private static final String RECALL_SQL = """
            WITH candidates AS (
              SELECT id, embedding <=> ?::vector AS distance, importance, last_seen_at, last_accessed_at
              FROM agentstore.memory
              WHERE tenant_id = ? AND agent_id = ? AND (expires_at IS NULL OR expires_at > ?)
              ORDER BY 2
              LIMIT ?
            ), ranked AS (
              SELECT id, 1 - distance AS similarity,
                     power(0.5, greatest(extract(epoch from (?::timestamptz - greatest(last_seen_at, last_accessed_at))), 0)::float8 / ?) AS recency,
                     ? * (1 - distance) + ? * importance
                       + ? * power(0.5, greatest(extract(epoch from (?::timestamptz - greatest(last_seen_at, last_accessed_at))), 0)::float8 / ?) AS score
              FROM candidates
              ORDER BY 4 DESC, 1
              LIMIT ?
            )
            UPDATE agentstore.memory m
            SET access_count = m.access_count + 1, last_accessed_at = ?
            FROM ranked
            WHERE m.tenant_id = ? AND m.id = ranked.id
            RETURNING m.id, m.agent_id, m.user_id, m.session_id, m.kind, m.content, m.importance, m.metadata,
                      m.reinforcement_count, m.last_seen_at, m.access_count, m.last_accessed_at, m.expires_at, m.created_at,
                      ranked.similarity, ranked.recency, ranked.score
            """;

    static List<JdbcHit> recallJdbc(javax.sql.DataSource ds, float[] query, int k, int candidates, RecallScoring s) throws Exception {
        // the ef_search agentstore's recall sets (Recall.MIN_EF_SEARCH = 400, or the candidates when more)
        return recallJdbc(ds, TARGET, query, k, candidates, s, Math.max(400, candidates), "relaxed_order");
    }

    /** The baseline with the agent, hnsw.ef_search and hnsw.iterative_scan given. */
    static List<JdbcHit> recallJdbc(javax.sql.DataSource ds, String agent, float[] query, int k, int candidates, RecallScoring s,
            int ef, String scan) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT set_config('hnsw.iterative_scan', ?, true), set_config('hnsw.ef_search', ?, true)")) {
                    ps.setString(1, scan);
                    ps.setString(2, String.valueOf(ef));
                    ps.executeQuery().close();
                }
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                double halfLife = s.halfLife().toNanos() / 1e9;
                List<JdbcHit> hits = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(RECALL_SQL)) {
                    int i = 1;
                    ps.setString(i++, vectorText(query));
                    ps.setString(i++, TENANT);
                    ps.setString(i++, agent);
                    ps.setObject(i++, now);
                    ps.setInt(i++, candidates);
                    ps.setObject(i++, now);
                    ps.setDouble(i++, halfLife);
                    ps.setDouble(i++, s.similarityWeight());
                    ps.setDouble(i++, s.importanceWeight());
                    ps.setDouble(i++, s.recencyWeight());
                    ps.setObject(i++, now);
                    ps.setDouble(i++, halfLife);
                    ps.setInt(i++, k);
                    ps.setObject(i++, now);
                    ps.setString(i++, TENANT);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            // read every column, as the library does
                            rs.getString(2);
                            rs.getString(3);
                            rs.getObject(4);
                            rs.getString(5);
                            rs.getString(8);
                            rs.getInt(9);
                            rs.getObject(10, OffsetDateTime.class);
                            rs.getObject(12, OffsetDateTime.class);
                            rs.getObject(13, OffsetDateTime.class);
                            rs.getObject(14, OffsetDateTime.class);
                            hits.add(new JdbcHit(rs.getObject(1, UUID.class), rs.getString(6), rs.getDouble(7), rs.getInt(11),
                                    rs.getDouble(15), rs.getDouble(16), rs.getDouble(17)));
                        }
                    }
                }
                c.commit();
                hits.sort(Comparator.comparingDouble(JdbcHit::score).reversed().thenComparing(h -> h.id().toString()));
                return hits;
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Whether the candidate scan uses the HNSW index, from EXPLAIN of the baseline statement. */
    private static String planSummary(javax.sql.DataSource ds, float[] query, String agent) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)");
            }
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + RECALL_SQL)) {
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                Object[] values = {vectorText(query), TENANT, agent, now, 40, now, 604800.0, 1.0, 0.25, 0.25, now, 604800.0, K, now, TENANT};
                for (int i = 0; i < values.length; i++) {
                    ps.setObject(i + 1, values[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            }
            c.rollback();
            return plan.indexOf("memory_agent_idx") >= 0 && plan.indexOf("memory_embedding_idx") < 0
                    ? "exact candidates (the agent's rows by memory_agent_idx, then a sort)"
                    : plan.indexOf("memory_embedding_idx") >= 0 ? "candidates from the HNSW index memory_embedding_idx"
                    : plan.indexOf("Seq Scan on memory") >= 0 ? "exact candidates (sequential scan and sort; the planner's choice for this table)"
                    : "other (no HNSW index scan)";
        }
    }

    // ------------------------------------------------------------------------------------------
    // data

    /** The target agent's memories as loaded (rounded as stored), for the exact top k. */
    record Loaded(String[] contents, float[][] vectors) {
    }

    private static Loaded load(TestDatabase db, Random random, float[][] centres, int target, int others) throws Exception {
        String[] contents = new String[target];
        float[][] vectors = new float[target][];
        Instant now = Instant.now();
        HexFormat hex = HexFormat.of();
        try (Connection c = db.connect()) {
            String indexDefinition;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT indexdef FROM pg_indexes WHERE schemaname = 'agentstore'"
                            + " AND indexname = 'memory_embedding_idx'")) {
                rs.next();
                indexDefinition = rs.getString(1); // rebuilt as the migrations define it, after the load
            }
            try (Statement st = c.createStatement()) {
                st.execute("DROP INDEX agentstore.memory_embedding_idx");
            }
            String copy = "COPY agentstore.memory (tenant_id, agent_id, kind, content, content_hash, embedding, importance,"
                    + " last_seen_at, created_at) FROM STDIN";
            try (OutputStream out = new PGCopyOutputStream(c.unwrap(PGConnection.class), copy, 1 << 20)) {
                StringBuilder row = new StringBuilder(4096);
                for (int i = 0; i < target + others + SMALL_AGENT_MEMORIES; i++) {
                    String agent = i < target ? TARGET : i < target + others
                            ? String.format("agent-%02d", 1 + (i - target) % OTHER_AGENTS) : SMALL_AGENT;
                    String kind = switch (i % 4) {
                        case 0 -> "fact";
                        case 1 -> "episode";
                        case 2 -> "decision";
                        default -> "learning";
                    };
                    String content = kind + " " + i + " of " + agent + ": something the agent noted about topic " + (i % 997);
                    Instant seen = now.minusSeconds(random.nextInt(30 * 24 * 3600));
                    float[] vector = near(random, centres[random.nextInt(CLUSTERS)]);
                    if (i < target) {
                        contents[i] = content;
                        vectors[i] = rounded(vector);
                    }
                    row.setLength(0);
                    row.append(TENANT).append('\t').append(agent).append('\t').append(kind).append('\t').append(content)
                            .append("\t\\\\x").append(hex.formatHex(ContentHash.of(content).bytes())).append('\t')
                            .append(vectorText(vector)).append('\t')
                            .append(Math.round(random.nextDouble() * 100) / 100.0).append('\t')
                            .append(seen).append('\t').append(seen).append('\n');
                    out.write(row.toString().getBytes(StandardCharsets.UTF_8));
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("SET maintenance_work_mem = '512MB'");
                st.execute(indexDefinition);
                st.execute("ANALYZE agentstore.memory");
            }
        }
        return new Loaded(contents, vectors);
    }

    private static float[] rounded(float[] v) {
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.round(v[i] * 10000) / 10000f;
        }
        return r;
    }

    private static float[] gaussian(Random random, float scale) {
        float[] v = new float[DIMENSION];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }

    private static float[] near(Random random, float[] centre) {
        float[] v = gaussian(random, 0.35f);
        for (int i = 0; i < v.length; i++) {
            v[i] += centre[i];
        }
        return v;
    }

    static String vectorText(float[] v) {
        StringBuilder sb = new StringBuilder(v.length * 8).append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(Math.round(v[i] * 10000) / 10000f);
        }
        return sb.append(']').toString();
    }
}
