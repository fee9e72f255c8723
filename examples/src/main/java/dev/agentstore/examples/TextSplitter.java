package dev.agentstore.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * A simple character-based splitter with overlap, good enough for the examples (a real pipeline may
 * split by tokens or by document structure instead).
 *
 * <p>How it splits: whitespace runs become one space; then windows of at most {@code chunkSize}
 * characters are cut, each ending at the last sentence end ({@code . ! ?} followed by a space) in
 * the second half of the window, else at the last space, else hard at {@code chunkSize}. The next
 * window starts {@code overlap} characters before the previous end, moved forward to the start of a
 * word, so consecutive chunks share about {@code overlap} characters of context. The same text
 * always gives the same chunks, which is what makes re-ingestion free.
 */
public final class TextSplitter {

    private final int chunkSize;
    private final int overlap;

    /**
     * @param chunkSize longest chunk, in characters (at least 20)
     * @param overlap characters shared by consecutive chunks, from 0 to chunkSize / 2
     */
    public TextSplitter(int chunkSize, int overlap) {
        if (chunkSize < 20) {
            throw new IllegalArgumentException("chunkSize must be at least 20, but was " + chunkSize);
        }
        if (overlap < 0 || overlap > chunkSize / 2) {
            throw new IllegalArgumentException("overlap must be between 0 and " + chunkSize / 2 + ", but was " + overlap);
        }
        this.chunkSize = chunkSize;
        this.overlap = overlap;
    }

    /** The chunks of a text, in order; empty for a blank text. */
    public List<String> split(String text) {
        String s = text.replaceAll("\\s+", " ").strip();
        List<String> chunks = new ArrayList<>();
        int start = 0;
        while (start < s.length()) {
            int end = Math.min(s.length(), start + chunkSize);
            if (end < s.length()) {
                end = cut(s, start, end);
            }
            String chunk = s.substring(start, end).strip();
            if (!chunk.isEmpty()) {
                chunks.add(chunk);
            }
            if (end >= s.length()) {
                break;
            }
            int next = Math.max(end - overlap, start + 1);
            while (next < end && next > 0 && s.charAt(next - 1) != ' ') {
                next++; // start at a word
            }
            start = next;
        }
        return chunks;
    }

    private static int cut(String s, int start, int end) {
        int half = start + (end - start) / 2;
        for (int i = end - 1; i > half; i--) {
            char c = s.charAt(i - 1);
            if (s.charAt(i) == ' ' && (c == '.' || c == '!' || c == '?')) {
                return i;
            }
        }
        int space = s.lastIndexOf(' ', end);
        return space > start ? space : end;
    }
}
