package dev.agentstore.internal;

import dev.agentstore.DimensionMismatchException;
import dev.agentstore.InvalidInputException;
import java.time.Duration;

/**
 * Argument checks that throw {@link InvalidInputException} naming the parameter and what is
 * allowed. Messages never quote free text or embeddings (they may be private).
 */
public final class Checks {

    private Checks() {
    }

    /** Fails when value is null. */
    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new InvalidInputException(name + " must not be null");
        }
        return value;
    }

    /** Fails when text is null or blank. */
    public static String notBlank(String text, String name) {
        if (text == null) {
            throw new InvalidInputException(name + " must not be null");
        }
        if (text.isBlank()) {
            throw new InvalidInputException(name + " must not be blank");
        }
        return text;
    }

    /** Fails when text is null, blank or longer than max characters. */
    public static String text(String text, String name, int max, String limitOption) {
        notBlank(text, name);
        if (text.length() > max) {
            throw new InvalidInputException(name + " has " + text.length() + " characters, more than the limit of " + max
                    + (limitOption == null ? "" : " (raise it with " + limitOption + ")"));
        }
        return text;
    }

    /** Fails when an optional text is blank or too long; null passes. */
    public static String optionalText(String text, String name, int max) {
        if (text == null) {
            return null;
        }
        if (text.isBlank()) {
            throw new InvalidInputException(name + " must be null or not blank");
        }
        if (text.length() > max) {
            throw new InvalidInputException(name + " has " + text.length() + " characters, more than the limit of " + max);
        }
        return text;
    }

    /** Fails when value is outside [min, max]. */
    public static int range(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new InvalidInputException(name + " must be between " + min + " and " + max + ", but was " + value);
        }
        return value;
    }

    /** Fails when value is outside [min, max] or not finite. */
    public static double range(double value, double min, double max, String name) {
        if (!(value >= min && value <= max)) {
            throw new InvalidInputException(name + " must be between " + min + " and " + max + ", but was " + value);
        }
        return value;
    }

    /** Fails when value is negative. */
    public static long nonNegative(long value, String name) {
        if (value < 0) {
            throw new InvalidInputException(name + " must not be negative, but was " + value);
        }
        return value;
    }

    /** Fails when a duration is negative; null passes. */
    public static Duration nonNegative(Duration value, String name) {
        if (value != null && value.isNegative()) {
            throw new InvalidInputException(name + " must not be negative, but was " + value);
        }
        return value;
    }

    /**
     * Fails when an embedding is null, has the wrong dimension, or holds NaN or infinity; returns
     * a defensive copy.
     *
     * @param name what the vector is, e.g. "query embedding" or "embedding of chunk 3"
     */
    public static float[] embedding(float[] vector, int dimension, String name) {
        if (vector == null) {
            throw new InvalidInputException(name + " must not be null");
        }
        if (vector.length != dimension) {
            throw new DimensionMismatchException(name, dimension, vector.length,
                    "use an embedding model with " + dimension + " dimensions, or a store migrated for "
                            + vector.length + " (AgentStore.builder().embeddingDimension(" + vector.length + ") on a new schema)");
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new InvalidInputException(name + " holds " + vector[i] + " at index " + i
                        + "; every component must be a finite number");
            }
        }
        return vector.clone();
    }
}
