package dev.agentstore.document;

/**
 * How far a bulk ingestion has come, for a progress bar. Unchanged documents count as done.
 *
 * @param documentsDone documents written or found unchanged so far
 * @param documentsTotal documents in the call
 * @param chunksDone chunks (positions) of the done documents
 * @param chunksTotal chunks (positions) of all documents in the call
 */
public record IngestProgress(int documentsDone, int documentsTotal, long chunksDone, long chunksTotal) {

    /**
     * Done as a fraction of all chunks, from 0 to 1.
     *
     * @return done as a fraction of all chunks, from 0 to 1
     */
    public double fraction() {
        return chunksTotal == 0 ? 1.0 : (double) chunksDone / chunksTotal;
    }
}
