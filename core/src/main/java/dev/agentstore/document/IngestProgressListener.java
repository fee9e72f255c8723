package dev.agentstore.document;

/**
 * Receives progress of a bulk ingestion: once at the start (nothing done) and after every committed
 * batch of documents, on the ingesting thread. Keep it quick; an exception thrown here aborts the
 * ingestion after the batches already committed.
 */
@FunctionalInterface
public interface IngestProgressListener {

    /**
     * Called with the progress so far.
     *
     * @param progress told about the progress; may be null
     */
    void onProgress(IngestProgress progress);
}
