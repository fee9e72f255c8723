package dev.agentstore.knowledge;

import dev.agentstore.document.ChunkId;
import dev.agentstore.document.KnowledgeBaseId;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One chunk found by a search.
 *
 * <p>The score grows with relevance and depends on the search mode and metric:
 * <ul>
 *   <li>vector search, cosine: {@code 1 − distance}, the cosine similarity, in [−1, 1];</li>
 *   <li>vector search, L2: {@code 1 / (1 + distance)}, in (0, 1];</li>
 *   <li>vector search, inner product: {@code −distance}, the inner product itself;</li>
 *   <li>full-text search: the summed idf ({@code ln(1 / share of the knowledge base's chunks containing it)}) of
 *       the query's lexemes the chunk contains, ≥ 0;</li>
 *   <li>hybrid search, {@link Fusion#SCORE} (default): {@code vectorWeight · similarity + textWeight · 0.2 · s / s_max},
 *       similarity as for a vector search and {@code s} the full-text score relative to the best candidate's;</li>
 *   <li>hybrid search, {@link Fusion#RRF}: the Reciprocal Rank Fusion score
 *       {@code Σ weight / (rrfK + rank)} over the vector and text rankings the chunk appears in.</li>
 * </ul>
 *
 * @param chunkId the chunk (one distinct text of its knowledge base)
 * @param knowledgeBaseId its knowledge base
 * @param text the chunk text; null for a chunk stored without text
 *     ({@link dev.agentstore.document.ChunkInput#keyed(String, String, float[])} with a null text)
 * @param score relevance, higher is better (see above)
 * @param distance the distance to the query embedding by the knowledge base's metric; null for a full-text search
 * @param chunkIndex the chunk's position in {@link #document()}; -1 when the request left documents out
 *     ({@link SearchRequest.Builder#includeDocuments(boolean)})
 * @param document the first document containing the chunk that passes the filter (oldest first); null when the
 *     request left documents out
 * @param documents every document containing the chunk, those passing the filter first (at least one); empty
 *     when the request left documents out
 * @param embedding the chunk's embedding when the request asked for it
 *     ({@link SearchRequest.Builder#includeEmbedding(boolean)}), else null; {@link #embedding()} returns a copy
 */
public record SearchHit(ChunkId chunkId, KnowledgeBaseId knowledgeBaseId, String text, double score, Double distance,
        int chunkIndex, DocumentRef document, List<DocumentRef> documents, float[] embedding) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException when chunkId, knowledgeBaseId or documents is null, or document is null while
     * documents is not empty
     * @throws IllegalArgumentException when documents is empty but a document is given
     */
    public SearchHit {
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(knowledgeBaseId, "knowledgeBaseId");
        documents = List.copyOf(documents);
        if (!documents.isEmpty()) {
            Objects.requireNonNull(document, "document");
        } else if (document != null) {
            throw new IllegalArgumentException("a hit with a document must list it in documents");
        }
        embedding = embedding == null ? null : embedding.clone();
    }

    /**
     * A hit without an embedding.
     *
     * @param chunkId the chunk
     * @param knowledgeBaseId the knowledge base
     * @param text the text
     * @param score the score
     * @param distance the distance
     * @param chunkIndex the chunk index
     * @param document the document
     * @param documents the documents
     */
    public SearchHit(ChunkId chunkId, KnowledgeBaseId knowledgeBaseId, String text, double score, Double distance,
            int chunkIndex, DocumentRef document, List<DocumentRef> documents) {
        this(chunkId, knowledgeBaseId, text, score, distance, chunkIndex, document, documents, null);
    }

    /**
     * A copy of the chunk's embedding, or null when the request did not ask for it.
     *
     * @return a copy of the chunk's embedding, or null when the request did not ask for it
     */
    @Override
    public float[] embedding() {
        return embedding == null ? null : embedding.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchHit h && chunkId.equals(h.chunkId) && knowledgeBaseId.equals(h.knowledgeBaseId)
                && Objects.equals(text, h.text) && Double.compare(score, h.score) == 0 && Objects.equals(distance, h.distance)
                && chunkIndex == h.chunkIndex && Objects.equals(document, h.document) && documents.equals(h.documents)
                && Arrays.equals(embedding, h.embedding);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chunkId, knowledgeBaseId, text, score, distance, chunkIndex, document, documents)
                * 31 + Arrays.hashCode(embedding);
    }

    /** Shows ids, score and distance; never the chunk text or the embedding. */
    @Override
    public String toString() {
        return "SearchHit[chunkId=" + chunkId + ", score=" + score + ", distance=" + distance + ", document="
                + (document == null ? null : document.id()) + ", chunkIndex=" + chunkIndex + ", documents=" + documents.size()
                + (embedding != null ? ", embedding=<" + embedding.length + " dimensions>" : "") + "]";
    }
}
