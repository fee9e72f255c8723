package dev.agentstore.document;

import dev.agentstore.internal.Checks;
import dev.agentstore.InvalidInputException;
import java.util.Map;

/**
 * What to create a knowledge base with. Start from {@link #of(String, int)} and refine with the
 * {@code with…} methods:
 *
 * <pre>{@code
 * KnowledgeBaseSpec spec = KnowledgeBaseSpec.of("handbook", 768)
 *         .withEmbeddingModel("nomic-embed-text-v1.5")
 *         .withMetric(DistanceMetric.COSINE);
 * }</pre>
 *
 * @param name unique per tenant, 1 to 200 characters, not blank
 * @param description free text, or null
 * @param embeddingModel the name of the model that makes its embeddings (informational), or null
 * @param dimension the embedding dimension; must equal the store's
 * @param metric how embeddings are compared; fixed for the life of the knowledge base
 * @param textSearchConfig the PostgreSQL text-search configuration for full-text search
 * @param metadata JSON object (values: strings, numbers, booleans, null, lists, maps); never null
 */
public record KnowledgeBaseSpec(String name, String description, String embeddingModel, int dimension,
        DistanceMetric metric, TextSearchConfig textSearchConfig, Map<String, Object> metadata) {

    /** The longest name accepted. */
    public static final int MAX_NAME_LENGTH = 200;

    /** @throws InvalidInputException when name is blank or too long, dimension is not positive, or metric/config is null */
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
        if (dimension < 1) {
            throw new InvalidInputException("knowledge base dimension must be positive, but was " + dimension);
        }
        if (metric == null) {
            throw new InvalidInputException("knowledge base metric must not be null");
        }
        if (textSearchConfig == null) {
            throw new InvalidInputException("knowledge base textSearchConfig must not be null");
        }
        metadata = Maps.copy(metadata, "knowledge base metadata");
    }

    /** A spec with cosine distance, the {@code english} text-search configuration and no description, model or metadata. */
    public static KnowledgeBaseSpec of(String name, int dimension) {
        return new KnowledgeBaseSpec(name, null, null, dimension, DistanceMetric.COSINE, TextSearchConfig.ENGLISH, Map.of());
    }

    /** This spec with a description (null for none). */
    public KnowledgeBaseSpec withDescription(String description) {
        return new KnowledgeBaseSpec(name, description, embeddingModel, dimension, metric, textSearchConfig, metadata);
    }

    /** This spec with an embedding model name (null for none). */
    public KnowledgeBaseSpec withEmbeddingModel(String embeddingModel) {
        return new KnowledgeBaseSpec(name, description, embeddingModel, dimension, metric, textSearchConfig, metadata);
    }

    /** This spec with a distance metric. */
    public KnowledgeBaseSpec withMetric(DistanceMetric metric) {
        return new KnowledgeBaseSpec(name, description, embeddingModel, dimension, metric, textSearchConfig, metadata);
    }

    /** This spec with a text-search configuration. */
    public KnowledgeBaseSpec withTextSearchConfig(TextSearchConfig textSearchConfig) {
        return new KnowledgeBaseSpec(name, description, embeddingModel, dimension, metric, textSearchConfig, metadata);
    }

    /** This spec with metadata (null for none). */
    public KnowledgeBaseSpec withMetadata(Map<String, ?> metadata) {
        return new KnowledgeBaseSpec(name, description, embeddingModel, dimension, metric, textSearchConfig,
                Maps.copy(metadata, "knowledge base metadata"));
    }
}
