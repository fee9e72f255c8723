package dev.agentstore.internal;

import dev.agentstore.DimensionMismatchException;
import dev.agentstore.InvalidInputException;
import java.time.Duration;

/**
 * Argument checks that throw {@link InvalidInputException} naming the parameter and what is
 * allowed. Messages never quote free text or embeddings (they may be private).
 *
 * <p>Every text and id that reaches SQL passes {@link #wellFormed(String, String)}: PostgreSQL text
 * cannot hold NUL ({@code U+0000}), and the JDBC driver turns every unpaired UTF-16 surrogate into
 * {@code '?'} without an error, so that two different Java strings (e.g. tenant ids
 * {@code "t\\uD800"} and {@code "t?"}) would become one stored value. The text checks below call it.
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

    /**
     * Fails when text holds a NUL character or an unpaired UTF-16 surrogate, naming the parameter and
     * the index of the first offending {@code char}; null passes.
     */
    public static String wellFormed(String text, String name) {
        int bad = firstIllFormed(text);
        if (bad >= 0) {
            throw illFormed(text, bad, name);
        }
        return text;
    }

    /**
     * The index of the first NUL or unpaired surrogate in text, or -1 when there is none (and for
     * null). A high surrogate must be followed by a low one, a low one preceded by a high one.
     */
    public static int firstIllFormed(CharSequence text) {
        if (text == null) {
            return -1;
        }
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= '\u0020' && c < Character.MIN_SURROGATE) {
                continue; // the common case: one comparison pair per char
            }
            if (c == '\u0000') {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** The exception for the ill-formed char at index bad of text (see {@link #firstIllFormed}). */
    public static InvalidInputException illFormed(CharSequence text, int bad, String name) {
        char c = text.charAt(bad);
        if (c == '\u0000') {
            return new InvalidInputException(name + " holds a NUL character (U+0000) at index " + bad
                    + ", which PostgreSQL cannot store in text; remove or replace it");
        }
        return new InvalidInputException(name + " holds an unpaired UTF-16 surrogate (U+"
                + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + ") at index " + bad
                + "; text must be well-formed UTF-16 (PostgreSQL would store '?' in its place). It usually comes from "
                + "cutting a string between the two chars of a surrogate pair, or from decoding bytes with the wrong charset");
    }

    /** Fails when text is null or blank, or not {@linkplain #wellFormed well-formed}. */
    public static String notBlank(String text, String name) {
        if (text == null) {
            throw new InvalidInputException(name + " must not be null");
        }
        if (text.isBlank()) {
            throw new InvalidInputException(name + " must not be blank");
        }
        return wellFormed(text, name);
    }

    /** Fails when text is null, blank, not well-formed or longer than max characters. */
    public static String text(String text, String name, int max, String limitOption) {
        notBlank(text, name);
        if (text.length() > max) {
            throw new InvalidInputException(name + " has " + text.length() + " characters, more than the limit of " + max
                    + (limitOption == null ? "" : " (raise it with " + limitOption + ")"));
        }
        return text;
    }

    /** Fails when an optional text is blank, not well-formed or too long; null passes. */
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
        return wellFormed(text, name);
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
        return finite(vector, name);
    }

    /**
     * Checks an embedding for a knowledge base: not null, of the knowledge base's dimension, finite.
     *
     * @param whose e.g. "knowledge base 1234 holds embeddings of"
     * @return a copy
     * @throws DimensionMismatchException naming both dimensions and whose dimension it is
     */
    public static float[] embedding(float[] vector, int dimension, String name, String whose, String fix) {
        if (vector == null) {
            throw new InvalidInputException(name + " must not be null");
        }
        if (vector.length != dimension) {
            throw new DimensionMismatchException(name, whose, dimension, vector.length, fix);
        }
        return finite(vector, name);
    }

    private static float[] finite(float[] vector, String name) {
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new InvalidInputException(name + " holds " + vector[i] + " at index " + i
                        + "; every component must be a finite number");
            }
        }
        return vector.clone();
    }

    /**
     * Like {@link #embedding(float[], int, String)}, and also fails on an all-zero vector, which has no
     * direction: its cosine distance to anything is NaN, so it can be neither stored for nor used in a
     * cosine search.
     */
    public static float[] cosineEmbedding(float[] vector, int dimension, String name) {
        float[] copy = embedding(vector, dimension, name);
        requireNonZero(copy, name, "cosine distance");
        return copy;
    }

    /**
     * Fails when every component of vector is zero.
     *
     * @param why what cannot rank a zero vector, e.g. "cosine distance"
     */
    public static void requireNonZero(float[] vector, String name, String why) {
        for (float f : vector) {
            if (f != 0f) {
                return;
            }
        }
        throw new InvalidInputException(name + " is all zeros: " + why + " to a zero vector is undefined (NaN), so it"
                + " cannot be ranked; check the embedding model's output (a zero vector usually means empty or failed input)");
    }
}
