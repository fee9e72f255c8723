package dev.agentstore.document;

import java.time.Instant;
import java.util.Map;

/**
 * A named collection of documents of one tenant, with the embedding model, dimension, distance
 * metric and text-search configuration all its chunks share.
 *
 * @param id its id
 * @param name unique per tenant
 * @param description free text, or null
 * @param embeddingModel the model name given at creation, or null
 * @param dimension the embedding dimension of its chunks
 * @param metric how embeddings are compared
 * @param textSearchConfig the text-search configuration of its chunks
 * @param metadata JSON object, never null
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 * @param vectorType how its vector index stores embeddings
 */
public record KnowledgeBase(KnowledgeBaseId id, String name, String description, String embeddingModel, int dimension,
        DistanceMetric metric, TextSearchConfig textSearchConfig, Map<String, Object> metadata, Instant createdAt,
        Instant updatedAt, VectorType vectorType) {

    /** Copies the metadata (an unmodifiable map). */
    public KnowledgeBase {
        metadata = Maps.copy(metadata, "metadata");
    }
}
