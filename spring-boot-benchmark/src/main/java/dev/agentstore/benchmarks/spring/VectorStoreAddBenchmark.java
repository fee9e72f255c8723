package dev.agentstore.benchmarks.spring;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentstore.AgentStore;
import dev.agentstore.spring.ai.AgentStoreVectorStore;
import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.pgvector.PgVectorStore;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Time to searchable for {@code VectorStore.add} of N documents with precomputed embeddings: agentstore's
 * {@link AgentStoreVectorStore} against Spring AI's {@link PgVectorStore} (HNSW, cosine, as its
 * documentation sets it up), on the same documents and embeddings, each on a fresh database of the same
 * server, in the same run. "Searchable" means: the add returned and a similarity search for a known
 * document finds it first.
 *
 * <p>The embedding model is a lookup of the precomputed vectors (what a cache in front of a real model
 * does), so the figures measure the stores, not a model.
 */
public final class VectorStoreAddBenchmark {

    private VectorStoreAddBenchmark() {
    }

    /** One store's result. */
    public record Result(String store, int documents, double addSeconds, double searchableSeconds, boolean foundProbe) {
    }

    /** Runs the benchmark: {@code [documents] [dimension]}. */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int dim = args.length > 1 ? Integer.parseInt(args[1]) : 768;
        System.out.println("load average before: " + loadAverage());
        List<Result> results = run(n, dim);
        for (Result r : results) {
            System.out.printf("%-22s add %,d docs x %d: %7.2f s   searchable after %7.2f s   probe found: %s%n", r.store(),
                    r.documents(), dim, r.addSeconds(), r.searchableSeconds(), r.foundProbe());
        }
        System.out.printf("ratio (PgVectorStore / AgentStoreVectorStore, time to searchable): %.1fx%n",
                results.get(1).searchableSeconds() / results.get(0).searchableSeconds());
        System.out.println("load average after: " + loadAverage());
    }

    /** Both stores on fresh databases: agentstore first, then PgVectorStore. */
    public static List<Result> run(int n, int dim) {
        Data data = Data.generate(n, dim, 42);
        List<Result> out = new ArrayList<>();
        TestPostgres server = TestPostgres.shared();

        TestDatabase a = server.createEmptyDatabase();
        try (HikariDataSource ds = pool(a);
                AgentStore store = AgentStore.builder().dataSource(ds).migrateOnStart(true).embeddingDimension(dim).build()) {
            VectorStore vs = AgentStoreVectorStore.builder(store, data.model()).knowledgeBase("bench").build();
            out.add(measure("AgentStoreVectorStore", vs, data));
        }

        TestDatabase p = server.createEmptyDatabase();
        try (HikariDataSource ds = pool(p)) {
            PgVectorStore vs = PgVectorStore.builder(new JdbcTemplate(ds), data.model())
                    .dimensions(dim)
                    .distanceType(PgVectorStore.PgDistanceType.COSINE_DISTANCE)
                    .indexType(PgVectorStore.PgIndexType.HNSW)
                    .initializeSchema(true)
                    .build();
            vs.afterPropertiesSet();
            out.add(measure("PgVectorStore", vs, data));
        }
        return out;
    }

    private static Result measure(String name, VectorStore vs, Data data) {
        long start = System.nanoTime();
        vs.add(data.documents());
        double add = (System.nanoTime() - start) / 1e9;
        List<Document> hits = vs.similaritySearch(SearchRequest.builder().query(data.probeText()).topK(1).build());
        double searchable = (System.nanoTime() - start) / 1e9;
        boolean found = !hits.isEmpty() && data.probeId().equals(hits.get(0).getId());
        return new Result(name, data.documents().size(), add, searchable, found);
    }

    private static HikariDataSource pool(TestDatabase db) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(db.jdbcUrl());
        ds.setUsername(db.user());
        ds.setPassword(db.password());
        ds.setMaximumPoolSize(4);
        return ds;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Documents with unique texts and their precomputed, normalised random embeddings. */
    record Data(List<Document> documents, Map<String, float[]> vectors, String probeId, String probeText) {

        static Data generate(int n, int dim, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            String[] words = {"trail", "tent", "river", "summit", "forest", "lantern", "compass", "canyon", "glacier",
                    "meadow", "harbor", "valley", "ridge", "cabin", "bridge", "orchard"};
            List<Document> docs = new ArrayList<>(n);
            Map<String, float[]> vectors = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                StringBuilder text = new StringBuilder("Document ").append(i).append(':');
                for (int w = 0; w < 40; w++) {
                    text.append(' ').append(words[random.nextInt(words.length)]);
                }
                String t = text.toString();
                float[] v = new float[dim];
                double norm = 0;
                for (int d = 0; d < dim; d++) {
                    v[d] = (float) random.nextGaussian();
                    norm += v[d] * v[d];
                }
                for (int d = 0; d < dim; d++) {
                    v[d] /= (float) Math.sqrt(norm);
                }
                vectors.put(t, v);
                docs.add(new Document(new java.util.UUID(0, i + 1L).toString(), t, Map.of("i", i, "part", i % 10)));
            }
            Document probe = docs.get(n / 2);
            return new Data(List.copyOf(docs), vectors, probe.getId(), probe.getText());
        }

        EmbeddingModel model() {
            return new EmbeddingModel() {
                @Override
                public EmbeddingResponse call(EmbeddingRequest request) {
                    List<Embedding> out = new ArrayList<>(request.getInstructions().size());
                    for (String text : request.getInstructions()) {
                        out.add(new Embedding(lookup(text), out.size()));
                    }
                    return new EmbeddingResponse(out);
                }

                @Override
                public float[] embed(Document document) {
                    return lookup(document.getText());
                }

                @Override
                public int dimensions() {
                    return vectors.values().iterator().next().length;
                }

                private float[] lookup(String text) {
                    float[] v = vectors.get(text);
                    if (v == null) {
                        throw new IllegalArgumentException("no precomputed embedding for: " + text);
                    }
                    return v;
                }
            };
        }
    }
}
