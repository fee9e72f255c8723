package dev.agentstore.codegen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Compares two source trees file by file and describes every difference readably: files only in
 * one tree, and for changed files the first differing lines of each side.
 */
public final class SourceTreeDiff {

    private static final int CONTEXT = 3;
    private static final int MAX_SHOWN = 12;

    private SourceTreeDiff() {
    }

    /**
     * Describes how {@code actual} differs from {@code expected}; empty when they are the same.
     *
     * @param expected the tree that should be (e.g. freshly generated)
     * @param actual the tree that is (e.g. committed)
     */
    public static List<String> compare(Path expected, Path actual) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        names.addAll(files(expected));
        names.addAll(files(actual));
        List<String> differences = new ArrayList<>();
        for (String name : names) {
            Path e = expected.resolve(name);
            Path a = actual.resolve(name);
            if (!Files.exists(a)) {
                differences.add("missing: " + name + " (the migrations produce it, the committed code lacks it)");
            } else if (!Files.exists(e)) {
                differences.add("extra:   " + name + " (committed, but the migrations no longer produce it)");
            } else {
                List<String> el = Files.readAllLines(e, StandardCharsets.UTF_8);
                List<String> al = Files.readAllLines(a, StandardCharsets.UTF_8);
                if (!el.equals(al)) {
                    differences.add("changed: " + name + "\n" + firstDifference(el, al));
                }
            }
        }
        return differences;
    }

    private static String firstDifference(List<String> expected, List<String> actual) {
        int first = 0;
        while (first < expected.size() && first < actual.size() && expected.get(first).equals(actual.get(first))) {
            first++;
        }
        // the common tail, so that only the lines that differ are shown
        int endE = expected.size();
        int endA = actual.size();
        while (endE > first && endA > first && expected.get(endE - 1).equals(actual.get(endA - 1))) {
            endE--;
            endA--;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("  @@ line ").append(first + 1).append(" @@\n");
        for (int i = Math.max(0, first - CONTEXT); i < first; i++) {
            sb.append("     ").append(expected.get(i)).append('\n');
        }
        for (int i = first; i < Math.min(endA, first + MAX_SHOWN); i++) {
            sb.append("  -  ").append(actual.get(i)).append('\n');
        }
        for (int i = first; i < Math.min(endE, first + MAX_SHOWN); i++) {
            sb.append("  +  ").append(expected.get(i)).append('\n');
        }
        return sb.toString();
    }

    private static List<String> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).toList();
        }
    }
}
