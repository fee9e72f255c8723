package dev.agentstore.document;

/**
 * Receives progress of a bulk ingestion: once at the start (nothing done) and after every committed
 * batch of documents, on the ingesting thread. Keep it quick; an exception thrown here aborts the
 * ingestion after the batches already committed.
 */
@FunctionalInterface
public interface IngestProgressListener {

    /** Called with the progress so far. */
    void onProgress(IngestProgress progress);
}
