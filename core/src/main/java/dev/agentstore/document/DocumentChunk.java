package dev.agentstore.document;

import dev.agentstore.ContentHash;
import java.util.Map;

/**
 * One position of a document's chunk list. Identical texts of content-addressed chunks share one
 * {@link ChunkId} (and one embedding) across all documents of a knowledge base; a keyed chunk
 * ({@link ChunkInput#keyed(String, String, float[])}) belongs to its document alone.
 *
 * @param index the position in the document, from 0
 * @param chunkId the content-addressed chunk at that position
 * @param text the chunk text, as first ingested; null for a keyed chunk stored without text
 * @param contentHash the chunk's content hash ({@link ChunkInput#contentHash(String)}): {@link ContentHash#of(String)}
 *     of the text for a content-addressed chunk
 * @param metadata the metadata given for this position, never null
 */
public record DocumentChunk(int index, ChunkId chunkId, String text, ContentHash contentHash, Map<String, Object> metadata) {

    /** Copies the metadata (an unmodifiable map). */
    public DocumentChunk {
        metadata = Maps.copy(metadata, "metadata");
    }

    @Override
    public String toString() {
        return "DocumentChunk[index=" + index + ", chunkId=" + chunkId + ", contentHash=" + contentHash
                + ", " + (text == null ? "no text" : text.length() + " characters") + ", metadata=" + metadata.keySet() + "]";
    }
}
