package dev.agentstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CustomQueryIT {

    @Test
    void the_example_prints_the_filtered_search_and_the_report_per_knowledge_base_and_doc_type() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            CustomQuery.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        original.print(output);

        // the search: billing FAQ entries only, nearest first, cosine similarity as score
        assertThat(output).contains("0.994  Refunds are issued within five business days.  (faq/refunds, chunk 0)")
                .contains("Change your card under Billing > Payment methods.  (faq/card, chunk 0)")
                .doesNotContain("Forgot password");
        assertThat(output.indexOf("Refunds")).isLessThan(output.indexOf("Change your card"));
        // the report: the shared "Contact support" paragraph is one chunk with two links
        assertThat(output).containsPattern("faq\\s+3\\s+3\\s+3")
                .containsPattern("handbook\\s+2\\s+3\\s+4")
                .containsPattern("faq\\s+3\\n")
                .containsPattern("manual\\s+2\\n");
    }
}
