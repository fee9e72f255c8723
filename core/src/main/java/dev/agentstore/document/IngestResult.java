package dev.agentstore.document;

import java.time.Duration;

/**
 * What one {@link Documents#ingest ingest} call did.
 *
 * @param documentId the document (also for {@link IngestStatus#UNCHANGED})
 * @param status created, updated or unchanged
 * @param chunksInserted distinct texts the knowledge base did not hold, now stored with their embeddings
 * @param chunksReused distinct texts of the document that the knowledge base already held
 * @param chunksRemoved texts no document uses any more after the replacement, deleted
 * @param embeddingCalls calls of the embedding function
 * @param textsEmbedded texts passed to the embedding function, over all calls
 * @param duration wall-clock time of the call
 */
public record IngestResult(DocumentId documentId, IngestStatus status, int chunksInserted, int chunksReused,
        int chunksRemoved, int embeddingCalls, int textsEmbedded, Duration duration) {
}
