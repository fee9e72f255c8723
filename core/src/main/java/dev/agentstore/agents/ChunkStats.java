package dev.agentstore.agents;

import dev.agentstore.document.ChunkId;

/**
 * How often one chunk was retrieved by an agent's runs over a period.
 *
 * @param chunk the chunk
 * @param retrievals how many times it was retrieved
 * @param meanScore its mean search score, or null when no score was recorded
 * @param positiveRuns how many of those runs were rated up
 */
public record ChunkStats(ChunkId chunk, long retrievals, Double meanScore, long positiveRuns) {
}
