package dev.agentstore.document;

import dev.agentstore.internal.Checks;
import dev.agentstore.InvalidInputException;
import java.util.Map;

/**
 * What to create a knowledge base with. Start from {@link #of(String)} or {@link #of(String, int)} and
 * refine with the {@code with…} methods:
 *
 * <pre>{@code
 * KnowledgeBaseSpec spec = KnowledgeBaseSpec.of("handbook", 768)
 *         .withEmbeddingModel("nomic-embed-text-v1.5")
 *         .withMetric(DistanceMetric.COSINE);
 * }</pre>
 *
 * <p>Every knowledge base has its own storage and indexes, so knowledge bases of one store may use
 * different embedding models (dimensions) and vector types.
 *
 * @param name unique per tenant, 1 to 200 characters, not blank
 * @param description free text, or null
 * @param embeddingModel the name of the model that makes its embeddings (informational), or null
 * @param dimension the embedding dimension: 1 to the vector type's maximum (2,000 for {@code VECTOR},
 *     4,000 for {@code HALFVEC}; checked against the type by {@code createKnowledgeBase}), or
 *     {@link #STORE_DIMENSION} for the store's
 * @param metric how embeddings are compared; fixed for the life of the knowledge base
 * @param textSearchConfig the PostgreSQL text-search configuration for full-text search
 * @param metadata JSON object (values: strings, numbers, booleans, null, lists, maps); never null
 * @param vectorType how its vector index stores embeddings; fixed for the life of the knowledge base
 */
public record KnowledgeBaseSpec(String name, String description, String embeddingModel, int dimension,
        DistanceMetric metric, TextSearchConfig textSearchConfig, Map<String, Object> metadata, VectorType vectorType) {

    /** The longest name accepted. */
    public static final int MAX_NAME_LENGTH = 200;

    /** A {@link #dimension} meaning "the store's embedding dimension" ({@code AgentStore.embeddingDimension()}). */
    public static final int STORE_DIMENSION = 0;

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when name is blank or too long, dimension is negative or above 4,000,
     * or metric, config or vector type is null
     */
    public KnowledgeBaseSpec {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("knowledge base name must not be " + (name == null ? "null" : "blank"));
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidInputException("knowledge base name must be at most " + MAX_NAME_LENGTH
                    + " characters, but has " + name.length());
        }
        Checks.wellFormed(name, "knowledge base name");
        Checks.wellFormed(description, "knowledge base description");
        Checks.wellFormed(embeddingModel, "knowledge base embeddingModel");
        if (metric == null) {
            throw new InvalidInputException("knowledge base metric must not be null");
        }
        if (textSearchConfig == null) {
            throw new InvalidInputException("knowledge base textSearchConfig must not be null");
        }
        if (vectorType == null) {
            throw new InvalidInputException("knowledge base vectorType must not be null");
        }
        if (dimension < 0) {
            throw new InvalidInputException("knowledge base dimension must be positive (or STORE_DIMENSION), but was "
                    + dimension);
        }
        if (dimension > VectorType.HALFVEC.maxDimension()) {
            throw new InvalidInputException("knowledge base dimension must be at most " + VectorType.HALFVEC.maxDimension()
                    + " (with VectorType.HALFVEC; " + VectorType.VECTOR.maxDimension() + " with VECTOR), but was " + dimension);
        }
        metadata = Maps.copy(metadata, "knowledge base metadata");
    }

    /**
     * A spec with the store's dimension, cosine distance, {@code vector} indexes, the {@code english}
     * text-search configuration and no description, model or metadata.
     *
     * @param name the name
     * @return a spec with the store's dimension, cosine distance, {@code vector} indexes, the {@code english}
     *         text-search configuration and no description, model or metadata
     */
    public static KnowledgeBaseSpec of(String name) {
        return of(name, STORE_DIMENSION);
    }

    /**
     * Like {@link #of(String)}, with this embedding dimension.
     *
     * @param name the name
     * @param dimension the embedding dimension
     * @return like {@link #of(String)}, with this embedding dimension
     */
    public static KnowledgeBaseSpec of(String name, int dimension) {
        return new KnowledgeBaseSpec(name, null, null, dimension, DistanceMetric.COSINE, TextSearchConfig.ENGLISH, Map.of(),
                VectorType.VECTOR);
    }

    /**
     * This spec with a description (null for none).
     *
     * @param description the description
     * @return this spec with a description (null for none)
     */
    public KnowledgeBaseSpec withDescription(String description) {
        return new KnowledgeBaseSpec(name, description, embeddingModel, dimension, metric, textSearchConfig, metadata, vectorType);
    }

    /**
     * This spec with an embedding model name (null for none).
     *
     * @param embeddingModel the embedding model
     * @return this spec with an embedding model name (null for none)
     */
    public KnowledgeBaseSpec withEmbeddingModel(String embeddingModel) {
        return new KnowledgeBaseSpec(name, description, embeddingModel, dimension, metric, textSearchConfig, metadata, vectorType);
    }

    /**
     * This spec with an embedding dimension ({@link #STORE_DIMENSION} for the store's).
     *
     * @param dimension the embedding dimension
     * @return this spec with an embedding dimension ({@link #STORE_DIMENSION} for the store's)
     */
    public KnowledgeBaseSpec withDimension(int dimension) {
        return new KnowledgeBaseSpec(name, description, embeddingModel, dimension, metric, textSearchConfig, metadata, vectorType);
    }

    /**
     * This spec with a distance metric.
     *
     * @param metric the distance metric
     * @return this spec with a distance metric
     */
    public KnowledgeBaseSpec withMetric(DistanceMetric metric) {
        return new KnowledgeBaseSpec(name, description, embeddingModel, dimension, metric, textSearchConfig, metadata, vectorType);
    }

    /**
     * This spec with a text-search configuration.
     *
     * @param textSearchConfig the text search configuration
     * @return this spec with a text-search configuration
     */
    public KnowledgeBaseSpec withTextSearchConfig(TextSearchConfig textSearchConfig) {
        return new KnowledgeBaseSpec(name, description, embeddingModel, dimension, metric, textSearchConfig, metadata, vectorType);
    }

    /**
     * This spec with a vector type: {@link VectorType#HALFVEC} halves the size of the vector index and
     * allows up to 4,000 dimensions; the chunks themselves keep full precision.
     *
     * @param vectorType the vector type
     * @return this spec with a vector type
     */
    public KnowledgeBaseSpec withVectorType(VectorType vectorType) {
        return new KnowledgeBaseSpec(name, description, embeddingModel, dimension, metric, textSearchConfig, metadata, vectorType);
    }

    /**
     * This spec with metadata (null for none).
     *
     * @param metadata the metadata (JSON-compatible values)
     * @return this spec with metadata (null for none)
     */
    public KnowledgeBaseSpec withMetadata(Map<String, ?> metadata) {
        return new KnowledgeBaseSpec(name, description, embeddingModel, dimension, metric, textSearchConfig,
                Maps.copy(metadata, "knowledge base metadata"), vectorType);
    }
}
