package dev.agentstore.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift check: regenerates the jOOQ classes from the migrations into a temporary directory and
 * fails with a readable diff when the code committed in core no longer matches.
 */
class GeneratedCodeIsCurrentIT {

    static final String REGENERATE = "mvn -pl codegen -am -Pregenerate -DskipTests process-classes";

    @Test
    void committed_generated_code_matches_the_migrations(@TempDir Path fresh) throws Exception {
        Path committed = Path.of(System.getProperty("agentstore.generated.dir", "../core/src/generated/java"));
        assertThat(committed).as("committed generated sources").isDirectory();

        Codegen.generate(fresh);

        List<String> differences = SourceTreeDiff.compare(fresh, committed);
        assertThat(differences)
                .as("The jOOQ classes in core/src/generated/java do not match the migrations. "
                        + "Regenerate them with:\n  " + REGENERATE + "\nand commit the result. Differences:\n"
                        + String.join("\n", differences))
                .isEmpty();
        assertThat(Files.exists(fresh.resolve("dev/agentstore/schema/Tables.java"))).isTrue();
    }
}
