package dev.agentstore.document;

import dev.agentstore.internal.Checks;
import dev.agentstore.InvalidInputException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One chunk of a document to ingest: its text, optional metadata for this position, and optionally
 * its embedding when the host computed it already.
 *
 * <p>A precomputed embedding is used only when the knowledge base does not hold the text yet: content
 * is addressed by {@link dev.agentstore.ContentHash}, and the first embedding stored for a text wins.
 *
 * @param text the chunk text, not blank; stored as given (the hash normalises, the text is kept)
 * @param metadata metadata of this position in the document (JSON object), never null
 * @param embedding the precomputed embedding, or null to use the ingestion's {@link EmbeddingFunction}
 */
public record ChunkInput(String text, Map<String, Object> metadata, float[] embedding) {

    /** @throws InvalidInputException when text is null or blank, or metadata has a null key */
    public ChunkInput {
        if (text == null) {
            throw new InvalidInputException("chunk text must not be null");
        }
        if (text.isBlank()) {
            throw new InvalidInputException("chunk text must not be blank");
        }
        Checks.wellFormed(text, "chunk text");
        metadata = Maps.copy(metadata, "chunk metadata");
        embedding = embedding == null ? null : embedding.clone();
    }

    /** A chunk with text only. */
    public static ChunkInput of(String text) {
        return new ChunkInput(text, Map.of(), null);
    }

    /** A chunk with text and metadata. */
    public static ChunkInput of(String text, Map<String, ?> metadata) {
        return new ChunkInput(text, Maps.copy(metadata, "chunk metadata"), null);
    }

    /** A chunk with its precomputed embedding. */
    public static ChunkInput of(String text, float[] embedding) {
        return new ChunkInput(text, Map.of(), embedding);
    }

    /** The precomputed embedding (a copy), or null. */
    @Override
    public float[] embedding() {
        return embedding == null ? null : embedding.clone();
    }

    /** Whether an embedding was given. */
    public boolean hasEmbedding() {
        return embedding != null;
    }

    /** Internal: the array itself, for agentstore's own use without copying. */
    float[] embeddingUnsafe() {
        return embedding;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkInput c && text.equals(c.text) && metadata.equals(c.metadata)
                && Arrays.equals(embedding, c.embedding);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, metadata) * 31 + Arrays.hashCode(embedding);
    }

    @Override
    public String toString() {
        return "ChunkInput[" + text.length() + " characters, metadata=" + metadata.keySet()
                + (embedding == null ? "" : ", embedding of " + embedding.length + " dimensions") + "]";
    }
}
