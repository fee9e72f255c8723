package dev.agentstore.langchain4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Which messages of a session form a chat memory's current list, in order: runs of sequence numbers.
 *
 * <p>The session keeps every message ever appended (agentstore's history); a chat memory's list is a
 * window over it that evictions shrink and a replaced system message reorders. A window is written as
 * a JSON array of {@code [from, to]} runs. In the metadata of the last message of an append, runs of
 * positive numbers are absolute sequence numbers and runs of numbers {@code <= 0} are relative to that
 * message's own sequence number (0 is the message itself, -1 the one before), because the sequence
 * numbers of an append are only known once it ran.
 *
 * @param runs the runs, each {@code [from, to]} with {@code from <= to}
 */
record Window(List<long[]> runs) {

    Window {
        runs = List.copyOf(runs);
    }

    static final Window EMPTY = new Window(List.of());

    /** The window of these sequence numbers, in this order. */
    static Window of(List<Long> seqs) {
        List<long[]> runs = new ArrayList<>();
        long[] run = null;
        for (long s : seqs) {
            if (run != null && s == run[1] + 1 && (s <= 0) == (run[0] <= 0)) {
                run[1] = s;
            } else {
                run = new long[] {s, s};
                runs.add(run);
            }
        }
        return new Window(runs);
    }

    /** The sequence numbers in order, relative runs resolved against the sequence number {@code anchor}. */
    List<Long> seqs(long anchor) {
        List<Long> seqs = new ArrayList<>();
        for (long[] r : runs) {
            long offset = r[0] <= 0 ? anchor : 0;
            for (long s = r[0]; s <= r[1]; s++) {
                seqs.add(s + offset);
            }
        }
        return seqs;
    }

    /** The JSON form: a list of two-element lists. */
    List<List<Long>> json() {
        List<List<Long>> json = new ArrayList<>(runs.size());
        for (long[] r : runs) {
            json.add(List.of(r[0], r[1]));
        }
        return json;
    }

    /** Reads the JSON form; null when the value is not one. */
    static Window fromJson(Object value) {
        if (!(value instanceof List<?> list)) {
            return null;
        }
        List<long[]> runs = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof Number a)
                    || !(pair.get(1) instanceof Number b) || a.longValue() > b.longValue()
                    || (a.longValue() <= 0) != (b.longValue() <= 0)) {
                return null;
            }
            runs.add(new long[] {a.longValue(), b.longValue()});
        }
        return new Window(runs);
    }
}
