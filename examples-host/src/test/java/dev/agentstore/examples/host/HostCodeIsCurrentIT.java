package dev.agentstore.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's drift check: its committed jOOQ classes still match its migrations. */
class HostCodeIsCurrentIT {

    static final String REGENERATE = "mvn -pl examples-host -am -Pregenerate -DskipTests process-test-classes";

    @Test
    void committed_host_code_matches_the_host_migrations(@TempDir Path fresh) throws Exception {
        Path committed = Path.of(System.getProperty("host.generated.dir", "src/generated/java"));

        HostCodegen.generate(fresh);

        Map<String, String> expected = files(fresh);
        Map<String, String> actual = files(committed);
        List<String> differences = new ArrayList<>();
        for (String file : expected.keySet()) {
            if (!actual.containsKey(file)) {
                differences.add("missing: " + file);
            } else if (!actual.get(file).equals(expected.get(file))) {
                differences.add("differs: " + file);
            }
        }
        actual.keySet().stream().filter(f -> !expected.containsKey(f)).forEach(f -> differences.add("stale: " + f));
        assertThat(differences).as("examples-host/src/generated/java no longer matches the migrations; run\n  "
                + REGENERATE + "\nand commit the result").isEmpty();
        assertThat(expected).containsKey("dev/agentstore/examples/host/db/tables/SupportTicket.java")
                .as("pgvector's routines are not generated").doesNotContainKey("dev/agentstore/examples/host/db/Routines.java");
        assertThat(expected.keySet()).as("agentstore's tables are not generated again").noneMatch(f -> f.contains("ConversationSession"));
    }

    private static Map<String, String> files(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'), Files.readString(p));
            }
        }
        return out;
    }
}
