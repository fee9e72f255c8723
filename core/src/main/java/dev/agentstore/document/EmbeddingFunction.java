package dev.agentstore.document;

import java.util.List;

/**
 * The host's embedding model, as agentstore calls it during ingestion: a batch of texts in, one
 * vector per text out, in the same order. agentstore only calls it for content the knowledge base
 * has never seen, in batches of at most {@code AgentStore.Builder.embeddingBatchSize} texts.
 *
 * <pre>{@code
 * EmbeddingFunction embed = texts -> myModel.embedAll(texts);
 * }</pre>
 *
 * <p>Each returned vector must have the store's dimension and finite components; otherwise the
 * ingestion fails and writes nothing of the document. An exception thrown here is wrapped in an
 * {@link EmbeddingFailedException} naming the chunk. Called from the ingesting thread only, one batch
 * at a time.
 */
@FunctionalInterface
public interface EmbeddingFunction {

    /**
     * Embeds texts.
     *
     * @param texts 1 to embeddingBatchSize chunk texts, never null, never blank (unmodifiable)
     * @return one vector per text, in the same order; the list and its vectors must not be null
     * @throws Exception any failure of the model; agentstore reports it with the chunk it was embedding
     */
    List<float[]> embed(List<String> texts) throws Exception;
}
