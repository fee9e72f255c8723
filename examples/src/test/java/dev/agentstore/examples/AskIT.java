package dev.agentstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.AgentStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AskIT {

    @Test
    void without_arguments_ask_answers_the_sample_questions_with_the_right_documents_first() throws Exception {
        String out = ExampleOutput.of(() -> Ask.main(new String[0]));

        assertThat(out).contains("corpus: 36 documents new, 0 changed, 0 unchanged; 83 chunks embedded");
        assertThat(out).containsSubsequence(
                "Q: I forgot my password and can't log in", "Resetting your password",
                "Q: can I rent a tent for the weekend?", "Can I rent gear instead of buying it?",
                "Q: what should I do if a thunderstorm catches me on a ridge?", "Lightning in the mountains");
        assertThat(out.lines().filter(l -> l.matches("  -?\\d\\.\\d{4}  .+")).count()).isEqualTo(3 * Ask.TOP);
    }

    @Test
    void asking_again_on_the_same_database_embeds_nothing_and_finds_the_same_answer() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        try (AgentStore store = ExampleDatabase.builder(LocalEmbeddings.DIMENSION).build()) {
            Ask.run(store, List.of("do you ship to Canada?"), out);
            Ask.run(store, List.of("do you ship to Canada?"), out);
        }

        String printed = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertThat(printed).containsSubsequence(
                "corpus: 36 documents new, 0 changed, 0 unchanged; 83 chunks embedded",
                "Q: do you ship to Canada?", "Do you ship to other countries?",
                "corpus: 0 documents new, 0 changed, 36 unchanged; 0 chunks embedded",
                "Q: do you ship to Canada?", "Do you ship to other countries?");
    }

    @Test
    void an_excerpt_is_one_line_cut_with_an_ellipsis() {
        assertThat(Ask.excerpt("Dry the tent\n\nfirst.", 70)).isEqualTo("Dry the tent first.");
        assertThat(Ask.excerpt("Dry the tent first.", 9)).isEqualTo("Dry the…");
    }
}
