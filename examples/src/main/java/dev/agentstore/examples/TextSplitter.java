package dev.agentstore.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A simple text splitter for the examples: cuts a text into chunks of at most {@code maxChars} characters, with
 * an overlap between consecutive chunks, preferring natural boundaries.
 *
 * <p>How a chunk ends: if the rest of the text fits, it is the last chunk. Otherwise the chunk ends at the last
 * paragraph break (a blank line) within {@code maxChars}, failing that at the last sentence end ({@code .},
 * {@code !} or {@code ?} followed by white space), failing that at the last white space. Only boundaries that keep
 * the chunk at least half full are considered first, so one short line does not become a chunk of its own when a
 * sentence end further on would do; if there is none, the last boundary of any kind is taken, and a single word
 * longer than {@code maxChars} is cut hard.
 *
 * <p>How the next chunk starts: with {@code overlapChars > 0} it repeats the end of the previous chunk, at most
 * {@code overlapChars} characters of it, beginning at a sentence start when one lies in that range and otherwise
 * at a word start (so that the overlap never begins mid-word). Without a suitable start there is no overlap.
 *
 * <p>Guarantees: every chunk is stripped of surrounding white space, non-empty and at most {@code maxChars} long;
 * the chunks cover the whole text in order; a text of at most {@code maxChars} characters (after stripping) is one
 * chunk; a blank text gives no chunks. Windows line ends are treated as {@code \n}. Stateless and thread-safe.
 */
public final class TextSplitter {

    private static final int PARAGRAPH = 0;
    private static final int SENTENCE = 1;
    private static final int WORD = 2;

    private TextSplitter() {
    }

    /**
     * Splits {@code text} into chunks.
     *
     * @param text         the text, not null
     * @param maxChars     the longest chunk, in characters (UTF-16 units); at least 1
     * @param overlapChars how much of the end of a chunk the next one repeats, at most; 0 (none) to {@code maxChars - 1}
     * @return the chunks in text order, never null, empty only for a blank text
     * @throws NullPointerException     if {@code text} is null
     * @throws IllegalArgumentException if {@code maxChars} or {@code overlapChars} is out of range
     */
    public static List<String> split(String text, int maxChars, int overlapChars) {
        Objects.requireNonNull(text, "text");
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be at least 1, was " + maxChars);
        }
        if (overlapChars < 0 || overlapChars >= maxChars) {
            throw new IllegalArgumentException("overlapChars must be between 0 and maxChars - 1 (" + (maxChars - 1)
                    + "), was " + overlapChars);
        }
        String s = text.replace("\r\n", "\n");
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        List<String> chunks = new ArrayList<>();
        int start = skipWhitespace(s, 0, end);
        int previousCut = start;
        while (start < end) {
            if (end - start <= maxChars) {
                chunks.add(s.substring(start, end).strip());
                break;
            }
            // the cut lies after the previous one (so every chunk brings new text) and within maxChars
            int cut = cut(s, Math.max(start, previousCut) + 1, start + maxChars / 2, start + maxChars);
            chunks.add(s.substring(start, cut).strip());
            int next = overlapStart(s, Math.max(cut - overlapChars, start + 1), cut);
            previousCut = cut;
            start = next >= 0 ? next : skipWhitespace(s, cut, end);
        }
        return List.copyOf(chunks);
    }

    /** Where to end a chunk: an exclusive end in [from, limit]. */
    private static int cut(String s, int from, int halfFull, int limit) {
        for (int kind = PARAGRAPH; kind <= WORD; kind++) {
            int at = lastBoundary(s, kind, Math.max(from, halfFull), limit);
            if (at >= 0) {
                return at;
            }
        }
        for (int kind = PARAGRAPH; kind <= WORD; kind++) {
            int at = lastBoundary(s, kind, from, Math.min(halfFull, limit));
            if (at >= 0) {
                return at;
            }
        }
        // one word longer than the window: a hard cut, though never between the two halves of a surrogate pair
        return Character.isLowSurrogate(s.charAt(limit)) && limit - 1 >= from ? limit - 1 : limit;
    }

    /** The last position in [from, limit] where a chunk may end at a boundary of this kind, or -1. */
    private static int lastBoundary(String s, int kind, int from, int limit) {
        for (int i = limit; i >= from; i--) {
            if (isBoundary(s, kind, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBoundary(String s, int kind, int i) {
        if (i <= 0 || i >= s.length() || !Character.isWhitespace(s.charAt(i))
                || Character.isWhitespace(s.charAt(i - 1))) {
            return false; // every boundary is the end of a word: text before, white space after
        }
        return switch (kind) {
            case PARAGRAPH -> startsBlankLine(s, i);
            case SENTENCE -> endsSentence(s, i);
            default -> true;
        };
    }

    /** Whether the white space at i contains a blank line (two line breaks with only spaces between). */
    private static boolean startsBlankLine(String s, int i) {
        int breaks = 0;
        for (int j = i; j < s.length() && Character.isWhitespace(s.charAt(j)); j++) {
            if (s.charAt(j) == '\n' && ++breaks == 2) {
                return true;
            }
        }
        return false;
    }

    /** Whether the text before i ends a sentence: . ! or ? possibly followed by closing quotes or brackets. */
    private static boolean endsSentence(String s, int i) {
        int j = i - 1;
        while (j > 0 && "\"')]\u201d\u2019".indexOf(s.charAt(j)) >= 0) {
            j--;
        }
        return ".!?".indexOf(s.charAt(j)) >= 0;
    }

    /** The earliest sentence start in [from, to), else the earliest word start there, else -1. */
    private static int overlapStart(String s, int from, int to) {
        int wordStart = -1;
        for (int i = Math.max(from, 1); i < to; i++) {
            if (!Character.isWhitespace(s.charAt(i)) && Character.isWhitespace(s.charAt(i - 1))) {
                int previous = i - 1;
                while (previous > 0 && Character.isWhitespace(s.charAt(previous))) {
                    previous--;
                }
                if (isBoundary(s, SENTENCE, previous + 1) || isBoundary(s, PARAGRAPH, previous + 1)) {
                    return i;
                }
                if (wordStart < 0) {
                    wordStart = i;
                }
            }
        }
        return wordStart;
    }

    private static int skipWhitespace(String s, int from, int end) {
        int i = from;
        while (i < end && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
