package dev.agentstore.benchmarks;

import dev.agentstore.ContentHash;
import dev.agentstore.examples.LocalEmbeddings;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Embeddings of texts by the examples' all-MiniLM-L6-v2 ({@link LocalEmbeddings}), kept in one file so that a
 * rerun of the benchmark embeds nothing it embedded before (embedding ~6,500 chunks takes 1–2 minutes on 2
 * cores). The file maps the SHA-256 of each text to its vector; it lives under {@code target/} (or
 * {@code AGENTSTORE_BENCH_CACHE}) and is rewritten whole when texts were added. Not thread-safe.
 */
final class EmbeddingCache {

    private static final int MAGIC = 0x41534543; // "ASEC"
    private static final int BATCH = 64;

    private final Path file;
    private final Map<String, float[]> vectors = new HashMap<>();

    private EmbeddingCache(Path file) {
        this.file = file;
    }

    /** The cache file of this model: {@code $AGENTSTORE_BENCH_CACHE} or {@code target/retrieval-cache}. */
    static EmbeddingCache open() {
        String dir = System.getenv("AGENTSTORE_BENCH_CACHE");
        Path folder = dir == null || dir.isBlank() ? Path.of("target", "retrieval-cache") : Path.of(dir);
        EmbeddingCache cache = new EmbeddingCache(folder.resolve("all-minilm-l6-v2-q.vectors"));
        cache.read();
        return cache;
    }

    private void read() {
        if (!Files.exists(file)) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                return; // not ours: it is rewritten
            }
            int dim = in.readInt();
            int n = in.readInt();
            byte[] hash = new byte[32];
            for (int i = 0; i < n; i++) {
                in.readFully(hash);
                float[] v = new float[dim];
                for (int j = 0; j < dim; j++) {
                    v[j] = in.readFloat();
                }
                vectors.put(HexFormat.of().formatHex(hash), v);
            }
        } catch (EOFException e) {
            vectors.clear(); // a truncated file (an interrupted run): start again
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedding cache " + file, e);
        }
    }

    /**
     * The vectors of these texts, in order; embeds (and saves) those not in the cache yet.
     *
     * @param out where to print progress when something must be embedded
     */
    List<float[]> embed(List<String> texts, PrintStream out) {
        LinkedHashSet<String> missing = new LinkedHashSet<>();
        for (String t : texts) {
            if (!vectors.containsKey(key(t))) {
                missing.add(t);
            }
        }
        if (!missing.isEmpty()) {
            long start = System.nanoTime();
            out.printf("embedding %,d texts with all-MiniLM-L6-v2 (cached in %s for later runs) ...%n", missing.size(), file);
            LocalEmbeddings model = LocalEmbeddings.load();
            List<String> todo = new ArrayList<>(missing);
            for (int i = 0; i < todo.size(); i += BATCH) {
                List<String> batch = todo.subList(i, Math.min(todo.size(), i + BATCH));
                List<float[]> vs = model.embedAll(batch);
                for (int j = 0; j < batch.size(); j++) {
                    vectors.put(key(batch.get(j)), vs.get(j));
                }
            }
            out.printf("embedded %,d texts in %.1f s%n", todo.size(), (System.nanoTime() - start) / 1e9);
            write();
        }
        List<float[]> result = new ArrayList<>(texts.size());
        for (String t : texts) {
            result.add(vectors.get(key(t)));
        }
        return result;
    }

    private static String key(String text) {
        return HexFormat.of().formatHex(ContentHash.of(text).bytes());
    }

    private void write() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeInt(LocalEmbeddings.DIMENSION);
                out.writeInt(vectors.size());
                for (Map.Entry<String, float[]> e : vectors.entrySet()) {
                    out.write(HexFormat.of().parseHex(e.getKey()));
                    for (float f : e.getValue()) {
                        out.writeFloat(f);
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the embedding cache " + file, e);
        }
    }
}
