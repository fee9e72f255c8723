package dev.agentstore.examples.host;

import static dev.agentstore.examples.host.db.Tables.APP_USER;
import static dev.agentstore.examples.host.db.Tables.MESSAGE_AUDIT;
import static dev.agentstore.examples.host.db.Tables.SUPPORT_TICKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.ConflictException;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.Message;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.conversation.Session;
import dev.agentstore.testkit.MutableClock;
import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * How the host's ON DELETE rules behave under agentstore's retention and erasure. Each test gets a
 * database of its own (the host's Flyway wants an empty {@code public} schema).
 */
class ForeignKeyRulesIT {

    private static final String T = "tenant";

    @Test
    void retention_clears_set_null_references_and_cascades_to_audit_rows() {
        TestDatabase db = TestPostgres.shared().createEmptyDatabase();
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).embeddingDimension(3)
                .migrateOnStart(true).clock(clock).build()) {
            HostMigrations.migrate(db.dataSource());
            Conversations chats = store.conversations(T);
            UUID user = store.dsl().insertInto(APP_USER).set(APP_USER.TENANT_ID, T).set(APP_USER.EMAIL, "a@b.c")
                    .returning(APP_USER.ID).fetchSingle(APP_USER.ID);
            Session old = chats.open(NewSession.create());
            Message m = chats.addMessage(old.id(), NewMessage.user("old question"));
            store.dsl().insertInto(SUPPORT_TICKET).set(SUPPORT_TICKET.TENANT_ID, T).set(SUPPORT_TICKET.USER_ID, user)
                    .set(SUPPORT_TICKET.SESSION_ID, old.id().value()).set(SUPPORT_TICKET.SUBJECT, "old").execute();
            store.dsl().insertInto(MESSAGE_AUDIT).set(MESSAGE_AUDIT.TENANT_ID, T).set(MESSAGE_AUDIT.MESSAGE_ID, m.id().value())
                    .set(MESSAGE_AUDIT.ACTOR, "web").execute();

            clock.advance(Duration.ofDays(400));
            long deleted = chats.deleteSessionsInactiveFor(Duration.ofDays(365)).sessionsDeleted();

            assertThat(deleted).isEqualTo(1L);
            assertThat(store.dsl().fetchValue(SUPPORT_TICKET.SESSION_ID, SUPPORT_TICKET.TENANT_ID.eq(T))).isNull();
            assertThat(store.dsl().fetchCount(SUPPORT_TICKET, SUPPORT_TICKET.TENANT_ID.eq(T))).isEqualTo(1);
            assertThat(store.dsl().fetchCount(MESSAGE_AUDIT)).isZero();
        }
    }

    @Test
    void a_host_reference_without_an_on_delete_rule_makes_erasure_fail_with_the_constraint_and_the_fix() throws Exception {
        TestDatabase db = TestPostgres.shared().createEmptyDatabase();
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).embeddingDimension(3)
                .migrateOnStart(true).build()) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE strict_note (tenant_id text NOT NULL, session_id uuid NOT NULL, "
                        + "CONSTRAINT strict_note_session_fk FOREIGN KEY (tenant_id, session_id) "
                        + "REFERENCES agentstore.conversation_session (tenant_id, id))");
            }
            Session s = store.conversations(T).open(NewSession.create());
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO strict_note VALUES ('" + T + "', '" + s.id().value() + "')");
            }

            assertThatThrownBy(() -> store.conversations(T).deleteSession(s.id()))
                    .isInstanceOf(ConflictException.class)
                    .hasMessageContaining("strict_note_session_fk")
                    .hasMessageContaining("ON DELETE CASCADE or ON DELETE SET NULL (column)");
            assertThat(store.conversations(T).findSession(s.id())).isPresent();
        }
    }
}
