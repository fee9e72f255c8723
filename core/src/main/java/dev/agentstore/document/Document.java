package dev.agentstore.document;

import dev.agentstore.ContentHash;
import java.time.Instant;
import java.util.Map;

/**
 * A document of a knowledge base, unique there by its source URI. Its chunks are read with
 * {@link Documents#listChunks(DocumentId)}.
 *
 * @param id its id
 * @param knowledgeBaseId the knowledge base it belongs to
 * @param sourceUri where it came from, unique within the knowledge base
 * @param title or null
 * @param docType or null
 * @param version or null
 * @param metadata JSON object, never null
 * @param status where it is in its lifecycle
 * @param errorMessage why the last ingestion failed (status {@link DocumentStatus#FAILED}), else null
 * @param contentHash fingerprint of its chunk list and attributes as last written, or null when none was written
 * @param chunkCount how many chunks (positions) it has
 * @param createdAt when it was first written
 * @param updatedAt when it was last changed
 */
public record Document(DocumentId id, KnowledgeBaseId knowledgeBaseId, String sourceUri, String title, String docType,
        String version, Map<String, Object> metadata, DocumentStatus status, String errorMessage, ContentHash contentHash,
        int chunkCount, Instant createdAt, Instant updatedAt) {

    /** Copies the metadata (an unmodifiable map). */
    public Document {
        metadata = Maps.copy(metadata, "metadata");
    }
}
