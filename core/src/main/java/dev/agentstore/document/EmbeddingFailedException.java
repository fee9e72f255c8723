package dev.agentstore.document;

import dev.agentstore.AgentStoreException;

/**
 * The host's {@link EmbeddingFunction} threw, or returned a different number of vectors than texts.
 * Nothing of the document was written; a document that already existed is marked
 * {@link DocumentStatus#FAILED} with this message. The message names the document and the chunk.
 */
public class EmbeddingFailedException extends AgentStoreException {

    private static final long serialVersionUID = 1L;

    /** The source URI of the document whose chunk failed to embed. */
    private final String sourceUri;
    /** The index (from 0) of the first chunk of the failing batch within that document. */
    private final int chunkIndex;

    /**
     * Creates the embedding failed exception.
     *
     * @param message what failed, naming the document and the chunk
     * @param sourceUri the document whose chunk was being embedded
     * @param chunkIndex the index (from 0) of the first chunk of the failing batch within that document
     * @param cause what the embedding function threw, or null
     */
    public EmbeddingFailedException(String message, String sourceUri, int chunkIndex, Throwable cause) {
        super(message, cause);
        this.sourceUri = sourceUri;
        this.chunkIndex = chunkIndex;
    }

    /**
     * The source URI of the document being embedded.
     *
     * @return the source URI of the document being embedded
     */
    public String sourceUri() {
        return sourceUri;
    }

    /**
     * The index (from 0) of the chunk within its document.
     *
     * @return the index (from 0) of the chunk within its document
     */
    public int chunkIndex() {
        return chunkIndex;
    }
}
