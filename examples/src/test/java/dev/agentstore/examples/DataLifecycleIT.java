package dev.agentstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DataLifecycleIT {

    @Test
    void data_lifecycle_imports_once_processes_the_uploads_erases_alice_and_counts_what_is_left() throws Exception {
        String out = ExampleOutput.of(() -> DataLifecycle.main(new String[0]));

        assertThat(out).contains("import: 2 sessions, 4 messages; again: 0 sessions, 0 messages");
        assertThat(out).contains("processed uploads/returns.txt (attempt 1)", "processed uploads/shipping.txt (attempt 1)");
        assertThat(out).contains("expired leases recovered: 0");
        assertThat(out).contains("erased alice: 1 sessions, 2 messages, 1 documents");
        assertThat(out).contains("acme now: 1 sessions, 2 messages, 1 documents, 1 chunks");
    }
}
