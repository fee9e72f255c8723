package dev.agentstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.AgentStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestDirectoryIT {

    static final String POLICY = "Employees request leave in the portal at least two weeks ahead. "
            + "Sick days need a doctor's note after three days. ".repeat(12);

    @Test
    void ingesting_a_folder_twice_embeds_and_writes_nothing_the_second_time(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("leave.txt"), POLICY);
        Files.writeString(folder.resolve("copy-of-leave.md"), "# Leave\n\n" + POLICY);
        Files.createDirectories(folder.resolve("web"));
        Files.writeString(folder.resolve("web/faq.html"), "<html><head><title>x</title><style>p{}</style></head><body>"
                + "<h1>FAQ</h1><p>Where do I request leave? In the portal &amp; two weeks ahead.</p>"
                + "<script>alert('not text')</script></body></html>");
        Files.writeString(folder.resolve("ignored.pdf"), "not read");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        try (AgentStore store = ExampleDatabase.builder(IngestDirectory.DIMENSION).build()) {
            IngestDirectory.run(store, folder, out);
        }

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("3 files");
        assertThat(printed).contains("[##############################] 3/3 documents");
        assertThat(printed).containsPattern("first run: 3 documents created, 0 updated, 0 unchanged; [1-9][0-9]* chunks stored");
        assertThat(printed).contains("second run: 0 documents created, 0 updated, 3 unchanged; 0 chunks stored, 0 reused,"
                + " 0 removed; 0 texts embedded in 0 calls");
        assertThat(printed).contains("web/faq.html").contains("COMPLETED").doesNotContain("ignored.pdf");
    }

    @Test
    void the_splitter_overlaps_consecutive_chunks_and_never_exceeds_the_chunk_size() {

        var chunks = TextSplitter.split(POLICY, 100, 20);

        assertThat(chunks).hasSizeGreaterThan(5).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(100));
        for (int i = 1; i < chunks.size(); i++) {
            String previous = chunks.get(i - 1);
            String firstWord = chunks.get(i).split(" ")[0];
            assertThat(previous.substring(previous.length() - 25)).contains(firstWord);
        }
        assertThat(TextSplitter.split(" \n ", 100, 20)).isEmpty();
        assertThat(PlainText.fromHtml("<p>a &amp; b</p><script>x</script>").strip()).isEqualTo("a & b");
    }
}
