package dev.agentstore.knowledge;

import dev.agentstore.document.ChunkId;
import dev.agentstore.document.KnowledgeBaseId;
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
 *   <li>full-text search: PostgreSQL's {@code ts_rank_cd} (cover density), ≥ 0;</li>
 *   <li>hybrid search: the Reciprocal Rank Fusion score
 *       {@code Σ weight / (rrfK + rank)} over the vector and text rankings the chunk appears in.</li>
 * </ul>
 *
 * @param chunkId the chunk (one distinct text of its knowledge base)
 * @param knowledgeBaseId its knowledge base
 * @param text the chunk text; null for a chunk stored without text
 *     ({@link dev.agentstore.document.ChunkInput#keyed(String, String, float[])} with a null text)
 * @param score relevance, higher is better (see above)
 * @param distance the distance to the query embedding by the knowledge base's metric; null for a full-text search
 * @param chunkIndex the chunk's position in {@link #document()}
 * @param document the first document containing the chunk that passes the filter (oldest first)
 * @param documents every document containing the chunk, those passing the filter first (at least one)
 */
public record SearchHit(ChunkId chunkId, KnowledgeBaseId knowledgeBaseId, String text, double score, Double distance,
        int chunkIndex, DocumentRef document, List<DocumentRef> documents) {

    /** @throws NullPointerException when a component other than text and distance is null */
    public SearchHit {
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(knowledgeBaseId, "knowledgeBaseId");
        Objects.requireNonNull(document, "document");
        documents = List.copyOf(documents);
    }

    /** Shows ids, score and distance; never the chunk text. */
    @Override
    public String toString() {
        return "SearchHit[chunkId=" + chunkId + ", score=" + score + ", distance=" + distance + ", document="
                + document.id() + ", chunkIndex=" + chunkIndex + ", documents=" + documents.size() + "]";
    }
}
