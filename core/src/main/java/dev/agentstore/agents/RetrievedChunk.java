package dev.agentstore.agents;

import dev.agentstore.InvalidInputException;
import dev.agentstore.document.ChunkId;
import dev.agentstore.internal.Checks;

/**
 * A chunk a run retrieved, with the score the search gave it. The rank is its position in
 * {@link NewRun#retrievedChunks()}.
 *
 * @param chunk the chunk (e.g. {@code SearchHit.chunkId()})
 * @param score the search score, or null; finite
 */
public record RetrievedChunk(ChunkId chunk, Double score) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when chunk is null or the score is not finite
     */
    public RetrievedChunk {
        Checks.notNull(chunk, "retrieved chunk");
        if (score != null && !Double.isFinite(score)) {
            throw new InvalidInputException("retrieved chunk score must be a finite number, but was " + score);
        }
    }

    /**
     * The chunk with this score.
     *
     * @param chunk the chunk
     * @param score the score
     * @return the chunk with this score
     */
    public static RetrievedChunk of(ChunkId chunk, double score) {
        return new RetrievedChunk(chunk, score);
    }
}
