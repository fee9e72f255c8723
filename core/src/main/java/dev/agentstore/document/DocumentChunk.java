package dev.agentstore.document;

import dev.agentstore.ContentHash;
import java.util.Map;

/**
 * One position of a document's chunk list. Identical texts share one {@link ChunkId} (and one
 * embedding) across all documents of a knowledge base.
 *
 * @param index the position in the document, from 0
 * @param chunkId the content-addressed chunk at that position
 * @param text the chunk text, as first ingested
 * @param contentHash {@link ContentHash#of(String)} of the text
 * @param metadata the metadata given for this position, never null
 */
public record DocumentChunk(int index, ChunkId chunkId, String text, ContentHash contentHash, Map<String, Object> metadata) {

    public DocumentChunk {
        metadata = Maps.copy(metadata, "metadata");
    }

    @Override
    public String toString() {
        return "DocumentChunk[index=" + index + ", chunkId=" + chunkId + ", contentHash=" + contentHash
                + ", " + text.length() + " characters, metadata=" + metadata.keySet() + "]";
    }
}
