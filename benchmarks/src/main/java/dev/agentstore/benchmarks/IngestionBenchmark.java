package dev.agentstore.benchmarks;

import com.pgvector.PGvector;
import dev.agentstore.AgentStore;
import dev.agentstore.ContentHash;
import dev.agentstore.document.BulkIngestResult;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.EmbeddingFunction;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.testkit.TestDatabase;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Ingestion: N chunks of about 500 characters with 768-dimension embeddings (deterministic synthetic
 * data, clustered around 50 centroids), 20 chunks per document.
 *
 * <ul>
 *   <li>agentstore first ingest: {@code Documents.ingestAll} into an empty knowledge base (hashing,
 *       deduplication, binary COPY into staging, merge, documents and links);</li>
 *   <li>agentstore re-ingest of the unchanged corpus;</li>
 *   <li>baseline: hand-written {@code COPY … FROM STDIN (FORMAT BINARY)} of the chunk rows straight into
 *       the same {@code chunk} table, with the same indexes (the partial HNSW index, the GIN
 *       full-text index, the unique hash index), no documents, no links, no deduplication;</li>
 *   <li>baseline: hand-written batched {@code INSERT} (1,000 rows per batch) of the same rows.</li>
 * </ul>
 * Each variant runs in a fresh database on the same server, so each starts from an empty index.
 */
final class IngestionBenchmark implements Benchmark {

    static final int DIMENSION = 768;
    static final int CHUNKS_PER_DOCUMENT = 20;
    private static final String TENANT = "bench";

    @Override
    public String name() {
        return "ingestion";
    }

    @Override
    public void run(BenchEnv env) throws Exception {
        int n = env.size(1_000, 20_000);
        long t0 = System.nanoTime();
        List<String> texts = texts(n);
        float[][] vectors = clusteredVectors(n, DIMENSION, 50, 7);
        env.out().printf("corpus: %,d chunks of ~%d characters, %d dimensions, %d per document (generated in %.1f s)%n",
                n, texts.stream().mapToInt(String::length).sum() / n, DIMENSION, CHUNKS_PER_DOCUMENT,
                (System.nanoTime() - t0) / 1e9);

        // warm-up of every path (JIT, jOOQ, driver), on throw-away databases with 100 chunks
        List<String> warmTexts = texts.subList(0, 100);
        ingest(env.database(DIMENSION), warmTexts, vectors);
        baseline(env.database(DIMENSION), warmTexts, vectors, true);
        baseline(env.database(DIMENSION), warmTexts, vectors, false);

        // the variants alternate, and each is measured `runs` times on a fresh database; the best run counts,
        // because on a shared machine the noise only ever adds time
        int runs = env.size(1, 2);
        double first = Double.MAX_VALUE;
        double again = Double.MAX_VALUE;
        double copy = Double.MAX_VALUE;
        double insert = Double.MAX_VALUE;
        for (int run = 1; run <= runs; run++) {
            double[] a = ingest(env.database(DIMENSION), texts, vectors);
            env.out().printf("run %d agentstore first ingest:      %8.2f s  %,8.0f chunks/s  (%,d embedding calls, %,d texts)%n",
                    run, a[0], n / a[0], (long) a[2], (long) a[3]);
            env.out().printf("run %d agentstore unchanged re-ingest:%7.2f s  %,8.0f chunks/s  (%d embedding calls, %d written)%n",
                    run, a[1], n / a[1], (long) a[4], (long) a[5]);
            double c = baseline(env.database(DIMENSION), texts, vectors, true);
            env.out().printf("run %d plain JDBC binary COPY:        %7.2f s  %,8.0f chunks/s%n", run, c, n / c);
            double b = baseline(env.database(DIMENSION), texts, vectors, false);
            env.out().printf("run %d plain JDBC batched INSERT:     %7.2f s  %,8.0f chunks/s%n", run, b, n / b);
            first = Math.min(first, a[0]);
            again = Math.min(again, a[1]);
            copy = Math.min(copy, c);
            insert = Math.min(insert, b);
        }
        env.out().printf("best of %d: agentstore first ingest %,.0f chunks/s, unchanged re-ingest %,.0f chunks/s,"
                + " binary COPY %,.0f chunks/s, batched INSERT %,.0f chunks/s%n", runs, n / first, n / again, n / copy, n / insert);
        env.out().printf("ratio first ingest / binary COPY (throughput):   %.2fx (target >= 0.8x)%n", copy / first);
        env.out().printf("ratio first ingest / batched INSERT (throughput): %.2fx%n", insert / first);
        env.out().printf("ratio unchanged re-ingest speed-up over first:   %.1fx (target >= 20x)%n", first / again);
    }

    /** agentstore: first ingest and unchanged re-ingest; {first s, again s, calls, texts, calls again, written again}. */
    private static double[] ingest(TestDatabase db, List<String> texts, float[][] vectors) {
        int n = texts.size();
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).embeddingBatchSize(256).build()) {
            Documents docs = store.documents(TENANT);
            KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("bench", DIMENSION));
            Map<String, float[]> model = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                model.put(texts.get(i), vectors[i]);
            }
            EmbeddingFunction lookup = batch -> batch.stream().map(model::get).toList();
            List<DocumentInput> corpus = new ArrayList<>();
            for (int d = 0; d * CHUNKS_PER_DOCUMENT < n; d++) {
                corpus.add(DocumentInput.of("bench://doc/" + d,
                        texts.subList(d * CHUNKS_PER_DOCUMENT, Math.min(n, (d + 1) * CHUNKS_PER_DOCUMENT))));
            }
            BulkIngestResult r1 = docs.ingestAll(kb.id(), corpus, lookup);
            BulkIngestResult r2 = docs.ingestAll(kb.id(), corpus, lookup);
            if (r1.chunksInserted() != n || r2.documentsUnchanged() != corpus.size() || r2.embeddingCalls() != 0) {
                throw new IllegalStateException("unexpected results: " + r1 + " / " + r2);
            }
            return new double[] {r1.duration().toNanos() / 1e9, r2.duration().toNanos() / 1e9, r1.embeddingCalls(),
                r1.textsEmbedded(), r2.embeddingCalls(), r2.chunksInserted()};
        }
    }

    /** Seconds to load the rows by hand into the chunk table (same indexes), by binary COPY or batched INSERT. */
    private static double baseline(TestDatabase db, List<String> texts, float[][] vectors, boolean copy) throws Exception {
        try (Connection c = db.connect()) {
            UUID kb = UUID.randomUUID();
            try (PreparedStatement ps = c.prepareStatement("insert into agentstore.knowledge_base"
                    + " (tenant_id, id, name, embedding_dimension) values (?, ?, 'bench', ?)")) {
                ps.setString(1, TENANT);
                ps.setObject(2, kb);
                ps.setInt(3, DIMENSION);
                ps.executeUpdate();
            }
            long start = System.nanoTime();
            c.setAutoCommit(false);
            byte[] tenant = TENANT.getBytes(StandardCharsets.UTF_8);
            if (copy) {
                PGConnection pg = c.unwrap(PGConnection.class);
                try (PGCopyOutputStream raw = new PGCopyOutputStream(pg, "copy agentstore.chunk (tenant_id, knowledge_base_id,"
                        + " content_hash, content, embedding, distance_metric, text_search_config) from stdin (format binary)",
                        1 << 16);
                        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
                    out.write(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0});
                    out.writeInt(0);
                    out.writeInt(0);
                    byte[] metric = "cosine".getBytes(StandardCharsets.UTF_8);
                    byte[] config = "english".getBytes(StandardCharsets.UTF_8);
                    for (int i = 0; i < texts.size(); i++) {
                        out.writeShort(7);
                        out.writeInt(tenant.length);
                        out.write(tenant);
                        out.writeInt(16);
                        out.writeLong(kb.getMostSignificantBits());
                        out.writeLong(kb.getLeastSignificantBits());
                        byte[] hash = ContentHash.of(texts.get(i)).bytes();
                        out.writeInt(hash.length);
                        out.write(hash);
                        byte[] text = texts.get(i).getBytes(StandardCharsets.UTF_8);
                        out.writeInt(text.length);
                        out.write(text);
                        float[] v = vectors[i];
                        out.writeInt(4 + 4 * v.length);
                        out.writeShort(v.length);
                        out.writeShort(0);
                        for (float f : v) {
                            out.writeFloat(f);
                        }
                        out.writeInt(metric.length);
                        out.write(metric);
                        out.writeInt(config.length);
                        out.write(config);
                    }
                    out.writeShort(-1);
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("insert into agentstore.chunk (tenant_id, knowledge_base_id,"
                        + " content_hash, content, embedding, distance_metric, text_search_config)"
                        + " values (?, ?, ?, ?, ?, 'cosine', 'english')")) {
                    for (int i = 0; i < texts.size(); i++) {
                        ps.setString(1, TENANT);
                        ps.setObject(2, kb);
                        ps.setBytes(3, ContentHash.of(texts.get(i)).bytes());
                        ps.setString(4, texts.get(i));
                        ps.setObject(5, new PGvector(vectors[i]));
                        ps.addBatch();
                        if ((i + 1) % 1000 == 0) {
                            ps.executeBatch();
                        }
                    }
                    ps.executeBatch();
                }
            }
            c.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            try (Statement s = c.createStatement(); var rs = s.executeQuery("select count(*) from agentstore.chunk")) {
                rs.next();
                if (rs.getLong(1) != texts.size()) {
                    throw new IllegalStateException("baseline wrote " + rs.getLong(1) + " rows, expected " + texts.size());
                }
            }
            return seconds;
        }
    }

    /** n distinct texts of about 500 characters from a fixed vocabulary, deterministic. */
    static List<String> texts(int n) {
        String[] vocabulary = new String[2000];
        Random r = new Random(42);
        for (int i = 0; i < vocabulary.length; i++) {
            StringBuilder w = new StringBuilder();
            int len = 3 + r.nextInt(8);
            for (int j = 0; j < len; j++) {
                w.append((char) ('a' + r.nextInt(26)));
            }
            vocabulary[i] = w.toString();
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder("Chunk ").append(i).append('.');
            while (sb.length() < 500) {
                sb.append(' ').append(vocabulary[r.nextInt(vocabulary.length)]);
            }
            out.add(sb.append('.').toString());
        }
        return out;
    }

    /** n unit vectors around k random centroids (Gaussian noise), deterministic. */
    static float[][] clusteredVectors(int n, int dim, int k, long seed) {
        Random r = new Random(seed);
        float[][] centroids = new float[k][dim];
        for (float[] c : centroids) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) r.nextGaussian();
            }
        }
        float[][] out = new float[n][dim];
        for (int i = 0; i < n; i++) {
            float[] c = centroids[r.nextInt(k)];
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                out[i][j] = c[j] + (float) (0.6 * r.nextGaussian());
                norm += out[i][j] * out[i][j];
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < dim; j++) {
                out[i][j] *= inv;
            }
        }
        return out;
    }
}
