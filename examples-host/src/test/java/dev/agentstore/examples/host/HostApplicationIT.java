package dev.agentstore.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The smoke test of the host recipe: its own migrations and jOOQ code, FKs, one transaction, a join. */
@AgentStoreTest(migrated = false)
class HostApplicationIT {

    @Test
    void the_host_application_migrates_writes_in_one_transaction_and_joins_with_agentstore(TestDatabase db) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            HostApplication.run(db.dataSource());
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        original.print(out);

        assertThat(out).contains("host migrations applied: 1")
                .contains("ticket 'Refund not received' by ada@example.com: session 'Refund for order 1042' with 2 messages")
                .contains("nearest ticket to [1, 0, 0]: [Refund not received]")
                .contains("after deleting the session: ticket kept, session_id null, audit rows 0");
    }
}
