package dev.agentstore.memory;

import dev.agentstore.InvalidInputException;
import java.time.Duration;

/**
 * How {@link Memory#recall(RecallQuery)} ranks memories. Each candidate gets
 *
 * <pre>
 * score = similarityWeight · (1 − cosineDistance(embedding, query))
 *       + importanceWeight · importance
 *       + recencyWeight    · 0.5 ^ (age / halfLife)
 *
 * age = now − max(lastSeenAt, lastAccessedAt)      (never negative; lastAccessedAt counts only when set)
 * </pre>
 *
 * where {@code 1 − cosineDistance} is the cosine similarity (−1 to 1), {@code importance} is 0 to 1,
 * the recency term halves every {@code halfLife} (1 for a memory used just now, 0.5 after one
 * half-life, 0.25 after two), and {@code now} is the store's clock ({@code AgentStore.Builder.clock}).
 * Remembering a memory again sets {@code lastSeenAt}, returning it from a recall sets
 * {@code lastAccessedAt}: a memory in use stays fresh. Ties are broken by id. {@link #score} computes
 * the same formula in Java. Immutable.
 *
 * @param similarityWeight weight of the cosine similarity, 0 to 1000
 * @param importanceWeight weight of the importance, 0 to 1000
 * @param recencyWeight weight of the recency term, 0 to 1000
 * @param halfLife the age at which the recency term is 0.5; at least one second
 */
public record RecallScoring(double similarityWeight, double importanceWeight, double recencyWeight, Duration halfLife) {

    /** The default weight of similarity. */
    public static final double DEFAULT_SIMILARITY_WEIGHT = 1.0;
    /** The default weight of importance. */
    public static final double DEFAULT_IMPORTANCE_WEIGHT = 0.25;
    /** The default weight of recency. */
    public static final double DEFAULT_RECENCY_WEIGHT = 0.25;
    /** The default half-life of recency. */
    public static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(7);
    /** The largest weight accepted. */
    public static final double MAX_WEIGHT = 1000;

    /** Similarity 1.0, importance 0.25, recency 0.25, half-life 7 days. */
    public static final RecallScoring DEFAULT = new RecallScoring(DEFAULT_SIMILARITY_WEIGHT, DEFAULT_IMPORTANCE_WEIGHT,
            DEFAULT_RECENCY_WEIGHT, DEFAULT_HALF_LIFE);

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when a weight is outside 0 to 1000 or NaN, all weights are 0, or halfLife is under a second
     */
    public RecallScoring {
        weight(similarityWeight, "similarityWeight");
        weight(importanceWeight, "importanceWeight");
        weight(recencyWeight, "recencyWeight");
        if (similarityWeight == 0 && importanceWeight == 0 && recencyWeight == 0) {
            throw new InvalidInputException("at least one of similarityWeight, importanceWeight and recencyWeight must be above 0");
        }
        if (halfLife == null || halfLife.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidInputException("halfLife must be at least one second, but was " + halfLife);
        }
    }

    /**
     * Ranking by similarity alone.
     *
     * @return ranking by similarity alone
     */
    public static RecallScoring similarityOnly() {
        return new RecallScoring(1, 0, 0, DEFAULT_HALF_LIFE);
    }

    /**
     * These weights with another half-life.
     *
     * @param halfLife the half-life of the recency decay
     * @return these weights with another half-life
     */
    public RecallScoring withHalfLife(Duration halfLife) {
        return new RecallScoring(similarityWeight, importanceWeight, recencyWeight, halfLife);
    }

    /**
     * The recency term {@code 0.5 ^ (age / halfLife)}; a negative age counts as 0.
     *
     * @param age time since the memory was last used
     * @return the recency term {@code 0.5 ^ (age / halfLife)}; a negative age counts as 0
     */
    public double recency(Duration age) {
        double seconds = Math.max(0, age.toNanos() / 1e9);
        return Math.pow(0.5, seconds / halfLifeSeconds());
    }

    /**
     * The score of the formula above.
     *
     * @param cosineDistance pgvector's {@code <=>}, 0 to 2
     * @param importance 0 to 1
     * @param age time since the memory was last used
     * @return the score of the formula above
     */
    public double score(double cosineDistance, double importance, Duration age) {
        return similarityWeight * (1 - cosineDistance) + importanceWeight * importance + recencyWeight * recency(age);
    }

    double halfLifeSeconds() {
        return halfLife.toNanos() / 1e9;
    }

    private static void weight(double w, String name) {
        if (!(w >= 0 && w <= MAX_WEIGHT)) {
            throw new InvalidInputException(name + " must be between 0 and " + (int) MAX_WEIGHT + ", but was " + w);
        }
    }
}
