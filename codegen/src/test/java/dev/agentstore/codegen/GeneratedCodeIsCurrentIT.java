package dev.agentstore.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.migrations.SchemaSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift check: regenerates the jOOQ classes and the schema snapshot from the migrations and fails
 * with a readable diff when the code committed in core or the snapshot committed in migrations no
 * longer matches.
 */
class GeneratedCodeIsCurrentIT {

    static final String REGENERATE = "mvn -pl codegen -am -Pregenerate -DskipTests process-classes";

    @Test
    void committed_generated_code_matches_the_migrations(@TempDir Path fresh) throws Exception {
        Path committed = Path.of(System.getProperty("agentstore.generated.dir", "../core/src/generated/java"));
        assertThat(committed).as("committed generated sources").isDirectory();

        String snapshot = Codegen.generate(fresh);

        List<String> differences = SourceTreeDiff.compare(fresh, committed);
        assertThat(differences)
                .as("The jOOQ classes in core/src/generated/java do not match the migrations. "
                        + "Regenerate them with:\n  " + REGENERATE + "\nand commit the result. Differences:\n"
                        + String.join("\n", differences))
                .isEmpty();
        assertThat(Files.exists(fresh.resolve("dev/agentstore/schema/Tables.java"))).isTrue();

        Path committedSnapshot = Path.of(System.getProperty("agentstore.snapshot.file",
                "../migrations/src/main/resources/dev/agentstore/schema/schema.sql"));
        assertThat(committedSnapshot).as("committed schema snapshot").isRegularFile();
        List<String> snapshotDifferences = SchemaSnapshot.diff(
                Files.readString(committedSnapshot, StandardCharsets.UTF_8), snapshot);
        assertThat(snapshotDifferences)
                .as("The schema snapshot " + committedSnapshot.getFileName() + " does not match the migrations. "
                        + "Regenerate it (with the jOOQ classes) with:\n  " + REGENERATE
                        + "\nand commit the result. Differences (- committed, + migrations):\n"
                        + String.join("\n", snapshotDifferences))
                .isEmpty();
        assertThat(snapshot).contains("CREATE TABLE chunk (").contains("CREATE TABLE conversation_message (");
    }
}
