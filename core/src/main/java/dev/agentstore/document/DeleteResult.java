package dev.agentstore.document;

/**
 * What a delete of documents removed ({@link Documents#deleteDocuments(KnowledgeBaseId, dev.agentstore.knowledge.Filter)},
 * {@link Documents#deleteAllDocuments(KnowledgeBaseId)}).
 *
 * @param documents how many documents were deleted (with their chunk lists)
 * @param chunks how many chunks (content rows) were removed because no remaining document used them
 */
public record DeleteResult(int documents, int chunks) {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException when a count is negative
     */
    public DeleteResult {
        if (documents < 0 || chunks < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + documents + ", " + chunks);
        }
    }
}
