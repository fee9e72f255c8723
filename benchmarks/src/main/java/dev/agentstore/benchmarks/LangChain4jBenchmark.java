package dev.agentstore.benchmarks;

import dev.agentstore.AgentStore;
import dev.agentstore.document.BulkIngestResult;
import dev.agentstore.document.ChunkInput;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchRequest;
import dev.agentstore.langchain4j.AgentStoreEmbeddingStore;
import dev.agentstore.testkit.TestDatabase;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LangChain4j's {@code EmbeddingStore.addAll} through {@link AgentStoreEmbeddingStore} against agentstore's
 * own {@code Documents.ingestAll} of the same rows (issue #12): time until the rows are searchable (both
 * return after the commit that makes them searchable), each into a fresh database, in the same run.
 * Synthetic data as in the ingestion benchmark: texts of ~500 characters, 768-dimension unit vectors around
 * 50 centroids, one metadata entry per row, precomputed embeddings (no model in the timing).
 *
 * <p>Also, for the README's comparison with {@code PgVectorEmbeddingStore}: recall@10 of 50 queries (not in
 * the data) against exact answers computed in Java, for the embedding store's search and for the table and
 * index {@code PgVectorEmbeddingStore} creates (an IVFFlat index created on the empty table at start-up,
 * {@code lists = 100}, filled by batched {@code INSERT … ON CONFLICT} upserts, searched with the default
 * {@code ivfflat.probes = 1}), reproduced in hand-written SQL.
 */
final class LangChain4jBenchmark implements Benchmark {

    static final int DIMENSION = 768;
    private static final int QUERIES = 50;
    private static final int K = 10;
    private static final String TENANT = "bench";

    @Override
    public String name() {
        return "langchain4j";
    }

    private record Data(List<String> texts, float[][] vectors, float[][] queries) {
    }

    @Override
    public void run(BenchEnv env) throws Exception {
        int n = env.size(2_500, 20_000);
        int rounds = env.size(1, 2);
        List<String> texts = IngestionBenchmark.texts(n);
        float[][] all = IngestionBenchmark.clusteredVectors(n + QUERIES, DIMENSION, 50, 11);
        Data data = new Data(texts, Arrays.copyOfRange(all, 0, n), Arrays.copyOfRange(all, n, n + QUERIES));
        env.out().printf("langchain4j: %,d rows of ~%d characters, %d dimensions, precomputed embeddings, one metadata "
                + "entry each; %d queries; best of %d round(s), a fresh database per measurement%n", n,
                texts.stream().mapToInt(String::length).sum() / n, DIMENSION, QUERIES, rounds);

        // warm-up of both paths (JIT, jOOQ, driver) on throw-away databases
        viaEmbeddingStore(env.database(DIMENSION), data, Math.min(n, 2_500), false);
        viaIngestAll(env.database(DIMENSION), data, Math.min(n, 2_500));

        double store = Double.MAX_VALUE;
        double ingest = Double.MAX_VALUE;
        double recall = 0;
        for (int round = 0; round < rounds; round++) {
            // alternate the order, so that neither path always runs on a warmer (or busier) machine
            if (round % 2 == 0) {
                double[] s = viaEmbeddingStore(env.database(DIMENSION), data, n, true);
                store = Math.min(store, s[0]);
                recall = s[1];
                ingest = Math.min(ingest, viaIngestAll(env.database(DIMENSION), data, n));
            } else {
                ingest = Math.min(ingest, viaIngestAll(env.database(DIMENSION), data, n));
                store = Math.min(store, viaEmbeddingStore(env.database(DIMENSION), data, n, false)[0]);
            }
        }
        env.out().printf("n=%,d agentstore ingestAll (one document per row): %.2f s to searchable, %,.0f rows/s%n", n,
                ingest, n / ingest);
        env.out().printf("n=%,d AgentStoreEmbeddingStore.addAll: %.2f s to searchable, %,.0f rows/s, recall@10 %.3f%n", n,
                store, n / store, recall);
        env.out().printf("n=%,d ratio addAll / ingestAll time to searchable: %.2fx (target <= 1.3x)%n", n, store / ingest);

        double[] pg = pgVectorLayout(env.database(DIMENSION), data, n);
        env.out().printf("n=%,d PgVectorEmbeddingStore's layout in SQL (IVFFlat lists=100 created empty, batched upserts): "
                + "%.2f s to searchable, recall@10 %.3f (probes=1); AgentStoreEmbeddingStore recall@10 %.3f%n", n, pg[0],
                pg[1], recall);
    }

    /** addAll through the embedding store; returns seconds and (when asked) recall@10. */
    private static double[] viaEmbeddingStore(TestDatabase db, Data data, int n, boolean withRecall) {
        try (AgentStore agentStore = AgentStore.builder().dataSource(db.dataSource()).build()) {
            AgentStoreEmbeddingStore store = AgentStoreEmbeddingStore.builder().store(agentStore).tenant(TENANT)
                    .knowledgeBase("bench").dimension(DIMENSION).build();
            List<String> ids = new ArrayList<>(n);
            List<Embedding> embeddings = new ArrayList<>(n);
            List<TextSegment> segments = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ids.add("row-" + i);
                embeddings.add(Embedding.from(data.vectors()[i]));
                segments.add(TextSegment.from(data.texts().get(i), new Metadata().put("row", i)));
            }
            long start = System.nanoTime();
            store.addAll(ids, embeddings, segments);
            double seconds = (System.nanoTime() - start) / 1e9;
            double recall = -1;
            if (withRecall) {
                double sum = 0;
                for (float[] q : data.queries()) {
                    Set<Integer> exact = exact(data, q, n);
                    int found = 0;
                    for (EmbeddingMatch<TextSegment> m : store.search(EmbeddingSearchRequest.builder()
                            .queryEmbedding(Embedding.from(q)).maxResults(K).build()).matches()) {
                        if (exact.contains(m.embedded().metadata().getInteger("row"))) {
                            found++;
                        }
                    }
                    sum += found / (double) K;
                }
                recall = sum / QUERIES;
            }
            return new double[] {seconds, recall};
        }
    }

    /** The same rows through Documents.ingestAll, one document (one chunk) per row; returns seconds. */
    private static double viaIngestAll(TestDatabase db, Data data, int n) {
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).build()) {
            Documents docs = store.documents(TENANT);
            KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("bench", DIMENSION));
            List<DocumentInput> in = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                in.add(DocumentInput.ofChunks("row-" + i, List.of(ChunkInput.of(data.texts().get(i), data.vectors()[i])))
                        .withMetadata(Map.of("row", i)));
            }
            long start = System.nanoTime();
            BulkIngestResult r = docs.ingestAll(kb.id(), in, null);
            double seconds = (System.nanoTime() - start) / 1e9;
            List<SearchHit> hit = store.knowledge(TENANT).search(SearchRequest.vector(data.vectors()[0]).knowledgeBases(kb.id())
                    .limit(1).build());
            if (r.documentsCreated() != n || hit.isEmpty()) {
                throw new IllegalStateException("ingestAll created " + r.documentsCreated() + " of " + n + " documents");
            }
            return seconds;
        }
    }

    /** PgVectorEmbeddingStore's table and index, in SQL: load time and recall@10 at the default probes. */
    private static double[] pgVectorLayout(TestDatabase db, Data data, int n) throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("create table lc4j_pgvector (embedding_id uuid primary key, embedding vector(" + DIMENSION
                        + "), text text null, metadata jsonb null)");
                s.execute("create index on lc4j_pgvector using ivfflat (embedding vector_cosine_ops) with (lists = 100)");
            }
            long start = System.nanoTime();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into lc4j_pgvector (embedding_id, embedding, text, metadata) "
                    + "values (?, ?::vector, ?, ?::jsonb) on conflict (embedding_id) do update set embedding = excluded.embedding, "
                    + "text = excluded.text, metadata = excluded.metadata")) {
                for (int i = 0; i < n; i++) {
                    ps.setObject(1, new java.util.UUID(0, i));
                    ps.setObject(2, new com.pgvector.PGvector(data.vectors()[i]));
                    ps.setString(3, data.texts().get(i));
                    ps.setString(4, "{\"row\": " + i + "}");
                    ps.addBatch();
                    if (i % 1000 == 999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            double seconds = (System.nanoTime() - start) / 1e9;
            double sum = 0;
            try (PreparedStatement ps = c.prepareStatement("select embedding_id from lc4j_pgvector order by embedding <=> ?::vector "
                    + "limit " + K)) {
                for (float[] q : data.queries()) {
                    Set<Integer> exact = exact(data, q, n);
                    ps.setObject(1, new com.pgvector.PGvector(q));
                    int found = 0;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if (exact.contains((int) rs.getObject(1, java.util.UUID.class).getLeastSignificantBits())) {
                                found++;
                            }
                        }
                    }
                    sum += found / (double) K;
                }
            }
            return new double[] {seconds, sum / QUERIES};
        }
    }

    /** The rows of the K nearest vectors (cosine; the vectors are unit length). */
    private static Set<Integer> exact(Data data, float[] q, int n) {
        Integer[] order = new Integer[n];
        double[] dot = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            float[] v = data.vectors()[i];
            double d = 0;
            for (int j = 0; j < v.length; j++) {
                d += v[j] * q[j];
            }
            dot[i] = d;
        }
        Arrays.sort(order, (a, b) -> Double.compare(dot[b], dot[a]));
        return new HashSet<>(Arrays.asList(order).subList(0, K));
    }
}
