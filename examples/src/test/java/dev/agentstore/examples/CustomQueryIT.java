package dev.agentstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CustomQueryIT {

    @Test
    void the_example_prints_the_filtered_search_and_the_report_per_knowledge_base_and_doc_type() throws Exception {
        String output = ExampleOutput.of(() -> CustomQuery.main(new String[0]));

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
