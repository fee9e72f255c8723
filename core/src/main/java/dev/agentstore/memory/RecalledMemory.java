package dev.agentstore.memory;

/**
 * One memory returned by {@link Memory#recall(RecallQuery)}, with the parts of its score.
 *
 * @param memory the memory, with the access count and last-access time this recall set
 * @param score the {@link RecallScoring} score it was ranked by (higher first)
 * @param similarity cosine similarity to the query, {@code 1 − cosineDistance}
 * @param recency the recency term {@code 0.5 ^ (age / halfLife)}, with the age before this recall
 */
public record RecalledMemory(SemanticMemory memory, double score, double similarity, double recency) {
}
