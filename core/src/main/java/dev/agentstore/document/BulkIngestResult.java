package dev.agentstore.document;

import java.time.Duration;

/**
 * What one {@link Documents#ingestAll ingestAll} call did, summed over its documents.
 *
 * @param documentsCreated documents whose source URI was new
 * @param documentsUpdated documents whose chunk list was replaced
 * @param documentsUnchanged documents left alone because nothing changed
 * @param chunksInserted distinct texts newly stored with their embeddings
 * @param chunksReused distinct texts (per write batch) that the knowledge base already held
 * @param chunksRemoved texts no document uses any more, deleted
 * @param embeddingCalls calls of the embedding function
 * @param textsEmbedded texts passed to the embedding function, over all calls
 * @param duration wall-clock time of the call
 */
public record BulkIngestResult(int documentsCreated, int documentsUpdated, int documentsUnchanged, long chunksInserted,
        long chunksReused, long chunksRemoved, int embeddingCalls, long textsEmbedded, Duration duration) {
}
