package dev.agentstore.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceTreeDiffTest {

    @TempDir
    Path expected;
    @TempDir
    Path actual;

    private static void write(Path root, String name, String text) throws Exception {
        Path p = root.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void identical_trees_have_no_differences() throws Exception {
        write(expected, "a/A.java", "class A {}\n");
        write(actual, "a/A.java", "class A {}\n");
        assertThat(SourceTreeDiff.compare(expected, actual)).isEmpty();
    }

    @Test
    void a_changed_line_is_shown_with_both_sides() throws Exception {
        write(expected, "a/A.java", "class A {\n  int x;\n  int newColumn;\n}\n");
        write(actual, "a/A.java", "class A {\n  int x;\n  int oldColumn;\n}\n");

        List<String> differences = SourceTreeDiff.compare(expected, actual);

        assertThat(differences).singleElement().satisfies(d -> assertThat(d)
                .startsWith("changed: a/A.java")
                .contains("@@ line 3 @@")
                .contains("-    int oldColumn;")
                .contains("+    int newColumn;"));
    }

    @Test
    void missing_and_extra_files_are_named() throws Exception {
        write(expected, "a/NewTable.java", "class NewTable {}\n");
        write(actual, "a/DroppedTable.java", "class DroppedTable {}\n");

        assertThat(SourceTreeDiff.compare(expected, actual)).containsExactly(
                "extra:   a/DroppedTable.java (committed, but the migrations no longer produce it)",
                "missing: a/NewTable.java (the migrations produce it, the committed code lacks it)");
    }
}
