package dev.agentstore.document;

import dev.agentstore.ContentHash;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.StoreContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Embeds the content a knowledge base lacks through the host's {@link EmbeddingFunction}, in batches of
 * {@code embeddingBatchSize}, and checks what comes back (one vector per text, the knowledge base's dimension,
 * finite, non-zero under cosine distance) before anything is written. Thread-safe.
 */
final class ChunkEmbedder {

    private final StoreContext context;

    ChunkEmbedder(StoreContext context) {
        this.context = context;
    }


    void embed(List<ContentHash> missing, Map<ContentHash, ? extends ChunkSource> sources, EmbeddingFunction fn,
            Map<ContentHash, float[]> vectors, IngestCounters counters, KbStorage kb) {
        embed(missing, sources, fn, vectors, counters, kb, null);
    }

    /** As above; {@code afterBatch} (or null) runs after every embedding call, e.g. to renew a lease. */
    void embed(List<ContentHash> missing, Map<ContentHash, ? extends ChunkSource> sources, EmbeddingFunction fn,
            Map<ContentHash, float[]> vectors, IngestCounters counters, KbStorage kb, Runnable afterBatch) {
        int dim = kb.dimension();
        UUID kbId = kb.id();
        List<ContentHash> viaFunction = new ArrayList<>();
        for (ContentHash h : missing) {
            ChunkInput chunk = sources.get(h).doc().input().chunks().get(sources.get(h).index());
            if (chunk.hasEmbedding()) {
                vectors.put(h, chunk.embeddingUnsafe()); // validated in prepare
            } else {
                viaFunction.add(h);
            }
        }
        int batchSize = context.limits().embeddingBatchSize();
        for (int from = 0; from < viaFunction.size(); from += batchSize) {
            List<ContentHash> batch = viaFunction.subList(from, Math.min(viaFunction.size(), from + batchSize));
            List<String> texts = new ArrayList<>(batch.size());
            for (ContentHash h : batch) {
                texts.add(sources.get(h).text());
            }
            ChunkSource first = sources.get(batch.get(0));
            String where = "chunk " + first.index() + " of document '" + first.doc().uri() + "'"
                    + (batch.size() > 1 ? " (in a batch of " + batch.size() + " texts)" : "");
            List<float[]> result;
            counters.embeddingCalls++;
            counters.textsEmbedded += texts.size();
            try {
                result = fn.embed(List.copyOf(texts));
            } catch (Exception e) {
                throw new EmbeddingFailedException("the embedding function failed on " + where + ": "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                        + "; nothing of the document was written", first.doc().uri(), first.index(), e);
            }
            if (result == null || result.size() != texts.size()) {
                throw new EmbeddingFailedException("the embedding function returned "
                        + (result == null ? "null" : result.size() + " vectors") + " for " + texts.size() + " texts, at "
                        + where + "; it must return one vector per text", first.doc().uri(), first.index(), null);
            }
            for (int j = 0; j < batch.size(); j++) {
                ChunkSource s = sources.get(batch.get(j));
                float[] v = Checks.embedding(result.get(j), dim, "embedding of chunk " + s.index() + " of document '"
                        + s.doc().uri() + "' (returned by the embedding function)", IngestPreparation.whose(kbId, dim),
                        result.get(j) == null ? "" : IngestPreparation.fix(kbId, result.get(j).length));
                vectors.put(batch.get(j), v);
            }
            if (afterBatch != null) {
                afterBatch.run();
            }
        }
    }

    /** Zero vectors cannot be ranked by cosine distance: refuse given embeddings before any SQL. */
    static void requireNonZeroUnderCosine(KbStorage kb, List<PreparedDocument> docs) {
        if (!DistanceMetric.COSINE.sqlName().equals(kb.metric())) {
            return;
        }
        for (PreparedDocument p : docs) {
            List<ChunkInput> chunks = p.input().chunks();
            for (int i = 0; i < chunks.size(); i++) {
                if (chunks.get(i).hasEmbedding()) {
                    Checks.requireNonZero(chunks.get(i).embeddingUnsafe(), "embedding of chunk " + i + " of document '"
                            + p.uri() + "'", "cosine distance");
                }
            }
        }
    }

    /** The same for vectors the embedding function returned, before the write transaction. */
    static void requireNonZeroUnderCosine(KbStorage kb, List<ContentHash> embedded, Map<ContentHash, ChunkSource> sources,
            Map<ContentHash, float[]> vectors) {
        if (!DistanceMetric.COSINE.sqlName().equals(kb.metric())) {
            return;
        }
        for (ContentHash h : embedded) {
            float[] v = vectors.get(h);
            if (v != null) {
                ChunkSource s = sources.get(h);
                Checks.requireNonZero(v, "embedding of chunk " + s.index() + " of document '" + s.doc().uri()
                        + "' (returned by the embedding function)", "cosine distance");
            }
        }
    }
}
