package dev.agentstore.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic toy embedding: a hashed bag of lower-cased words in {@value IngestDirectory#DIMENSION}
 * dimensions, L2-normalised. Texts sharing words get similar vectors; it knows nothing of meaning.
 * Stands in for a real model so the examples run offline.
 */
final class ToyEmbedding {

    private ToyEmbedding() {
    }

    static List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(embed(t));
        }
        return out;
    }

    static float[] embed(String text) {
        float[] v = new float[IngestDirectory.DIMENSION];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                int h = word.hashCode() * 0x9E3779B1;
                v[Math.floorMod(h, v.length)] += (h & 0x10000) == 0 ? 1f : -1f;
            }
        }
        double norm = 0;
        for (float f : v) {
            norm += f * f;
        }
        if (norm == 0) {
            v[0] = 1;
            return v;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
