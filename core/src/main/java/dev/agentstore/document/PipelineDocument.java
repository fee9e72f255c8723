package dev.agentstore.document;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A document as the upload pipeline sees it: its attributes, where it is in its lifecycle, and who is
 * processing it until when.
 *
 * @param id its id
 * @param knowledgeBaseId its knowledge base
 * @param sourceUri where it comes from, unique within the knowledge base
 * @param title or null
 * @param docType or null
 * @param metadata JSON object, never null
 * @param storageKey the host's key of the stored file, or null
 * @param userId the user it belongs to, or null
 * @param status pending, processing, completed or failed
 * @param errorMessage why it failed, or what happened to the last attempt (e.g. an expired lease), or null
 * @param attempts how many times it was claimed
 * @param leaseOwner the worker processing it (status processing), or null
 * @param leaseExpiresAt until when the lease holds (status processing), else null
 * @param createdAt when it was registered or first ingested
 * @param updatedAt when it last changed
 */
public record PipelineDocument(DocumentId id, KnowledgeBaseId knowledgeBaseId, String sourceUri, String title, String docType,
        Map<String, Object> metadata, String storageKey, String userId, DocumentStatus status, String errorMessage, int attempts,
        String leaseOwner, Instant leaseExpiresAt, Instant createdAt, Instant updatedAt) {

    /** Copies metadata. */
    public PipelineDocument {
        metadata = Maps.copy(metadata, "metadata");
    }

    /**
     * What to pass to {@link Documents#ingest(KnowledgeBaseId, DocumentInput, EmbeddingFunction)} to
     * complete this document: its source URI, title, type and metadata with these chunks.
     *
     * @param chunks the chunks, in order
     * @return what to pass to {@link Documents#ingest(KnowledgeBaseId, DocumentInput, EmbeddingFunction)} to
     *         complete this document
     * @throws dev.agentstore.InvalidInputException when chunks is null, empty or holds null
     */
    public DocumentInput input(List<ChunkInput> chunks) {
        return new DocumentInput(sourceUri, title, docType, null, metadata, chunks, userId);
    }

    /**
     * The cursor continuing a listing after this document.
     *
     * @return the cursor continuing a listing after this document
     */
    public DocumentCursor cursor() {
        return new DocumentCursor(createdAt, id);
    }
}
