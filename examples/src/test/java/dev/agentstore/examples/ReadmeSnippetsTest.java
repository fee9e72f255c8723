package dev.agentstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java code block in README.md and in the guides under {@code docs/} must be copied from code that
 * compiles in the build: its lines (ignoring indentation and blank lines) must appear, in order and
 * contiguous, in one of the project's Java source files.
 */
class ReadmeSnippetsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    static List<List<String>> javaBlocks(List<String> readme) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : readme) {
            if (current == null && line.strip().equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(current);
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    static List<String> normalized(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    static boolean containsContiguous(List<String> haystack, List<String> needle) {
        return needle.isEmpty() || java.util.Collections.indexOfSubList(haystack, needle) >= 0;
    }

    private static List<List<String>> sources() throws IOException {
        List<List<String>> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(ROOT)) {
            for (Path p : walk.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/src/generated/"))
                    .toList()) {
                files.add(normalized(Files.readAllLines(p)));
            }
        }
        return files;
    }

    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> walk = Files.walk(ROOT.resolve("docs"))) {
            walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    @Test
    void every_java_block_of_the_readme_and_the_guides_comes_from_compiled_code() throws IOException {
        List<List<String>> sources = sources();
        List<Path> documents = documents();
        assertThat(documents).as("README.md and docs/*.md").contains(ROOT.resolve("docs/langchain4j.md"));
        assertThat(javaBlocks(Files.readAllLines(ROOT.resolve("README.md")))).as("Java blocks in README.md").isNotEmpty();
        assertThat(javaBlocks(Files.readAllLines(ROOT.resolve("docs/langchain4j.md"))))
                .as("Java blocks in docs/langchain4j.md").isNotEmpty();
        for (Path document : documents) {
            for (List<String> block : javaBlocks(Files.readAllLines(document))) {
                List<String> needle = normalized(block);
                assertThat(sources.stream().anyMatch(src -> containsContiguous(src, needle)))
                        .as("this block of " + ROOT.relativize(document) + " is not found verbatim in any Java source "
                                + "of the project; copy it from (or into) a compiled example or test:\n"
                                + String.join("\n", block))
                        .isTrue();
            }
        }
    }

    @Test
    void the_check_itself_finds_contiguous_lines_only() {
        List<String> src = normalized(List.of("  a();", "", "  b();", "c();"));
        assertThat(containsContiguous(src, normalized(List.of("a();", "b();")))).isTrue();
        assertThat(containsContiguous(src, normalized(List.of("a();", "c();")))).isFalse();
    }
}
