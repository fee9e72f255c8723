package dev.agentstore.spring.ai;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

/**
 * A deterministic, in-process embedding model for tests: each word adds to a few hashed dimensions, and
 * the vector is normalised, so texts sharing words are near each other. Counts calls and texts embedded.
 */
public final class WordHashEmbeddingModel implements EmbeddingModel {

    private final int dimensions;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicLong texts = new AtomicLong();

    public WordHashEmbeddingModel(int dimensions) {
        this.dimensions = dimensions;
    }

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        calls.incrementAndGet();
        List<Embedding> out = new ArrayList<>();
        List<String> inputs = request.getInstructions();
        for (int i = 0; i < inputs.size(); i++) {
            texts.incrementAndGet();
            out.add(new Embedding(vector(inputs.get(i)), i));
        }
        return new EmbeddingResponse(out);
    }

    @Override
    public float[] embed(Document document) {
        return embed(document.getText());
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    float[] vector(String text) {
        float[] v = new float[dimensions];
        v[0] = 0.05f; // never the zero vector
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.isEmpty()) {
                continue;
            }
            int h = java.util.Arrays.hashCode(word.getBytes(StandardCharsets.UTF_8));
            v[Math.floorMod(h, dimensions)] += 1f;
            v[Math.floorMod(h * 31 + 7, dimensions)] += 0.5f;
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float n = (float) Math.sqrt(norm);
        for (int i = 0; i < v.length; i++) {
            v[i] /= n;
        }
        return v;
    }
}
