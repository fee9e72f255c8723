package dev.agentstore.conversation;

import static dev.agentstore.schema.Tables.CONVERSATION_SESSION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.AgentStore;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jooq.Query;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The history, listing and retention queries, exactly as {@link Conversations} builds them, on a table
 * of 100,000 messages (5,000 sessions; a second tenant of the same size), after ANALYZE: each must
 * be answered from its index, never by a sequential scan.
 */
@AgentStoreTest(dimension = 3)
class QueryPlansIT {

    private static final String TENANT = "big";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static TestDatabase db;
    private static AgentStore store;
    private static Conversations chats;
    private static SessionId someSession;

    @BeforeAll
    static void load(TestDatabase database) throws SQLException {
        db = database;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String tenant : new String[] {TENANT, "neighbour"}) {
                // 5,000 sessions: 500 users, 10 agents, one minute of activity apart; 20 messages each
                s.execute("INSERT INTO agentstore.conversation_session (tenant_id, user_id, agent_id, title, last_seq,"
                        + " last_activity_at, created_at, updated_at)"
                        + " SELECT '" + tenant + "', 'user-' || (i % 500), 'agent-' || (i % 10), 'session ' || i, 20,"
                        + " timestamptz '2026-01-01 00:00:00+00' + i * interval '1 minute',"
                        + " timestamptz '2026-01-01 00:00:00+00' + i * interval '1 minute',"
                        + " timestamptz '2026-01-01 00:00:00+00' + i * interval '1 minute'"
                        + " FROM generate_series(1, 5000) i");
                s.execute("INSERT INTO agentstore.conversation_message (tenant_id, session_id, seq, role, content,"
                        + " response_time_ms, input_tokens, output_tokens, created_at)"
                        + " SELECT '" + tenant + "', cs.id, q, CASE WHEN q % 2 = 1 THEN 'user' ELSE 'assistant' END,"
                        + " 'message ' || q || ' of a conversation about something', CASE WHEN q % 2 = 0 THEN 500 + q END,"
                        + " 100, 20, cs.created_at + q * interval '1 second'"
                        + " FROM agentstore.conversation_session cs, generate_series(1, 20) q WHERE cs.tenant_id = '" + tenant + "'");
            }
            s.execute("ANALYZE agentstore.conversation_session");
            s.execute("ANALYZE agentstore.conversation_message");
        }
        store = AgentStore.builder().dataSource(db.dataSource()).build();
        chats = store.conversations(TENANT);
        someSession = SessionId.of(store.dsl().select(CONVERSATION_SESSION.ID).from(CONVERSATION_SESSION)
                .where(CONVERSATION_SESSION.TENANT_ID.eq(TENANT), CONVERSATION_SESSION.TITLE.eq("session 2500"))
                .fetchSingle().value1());
    }

    @AfterAll
    static void close() {
        store.close();
    }

    /** EXPLAIN (FORMAT JSON) of the query with its bind values. */
    private static String plan(Query query) {
        String plan = store.dsl().resultQuery("EXPLAIN (FORMAT JSON) {0}", query).fetchSingle().get(0).toString();
        if (Boolean.getBoolean("agentstore.printPlans")) {
            System.out.println(store.dsl().resultQuery("EXPLAIN {0}", query).fetch().format());
        }
        return plan;
    }

    @Test
    void the_table_holds_a_hundred_thousand_messages_of_the_tenant() {
        assertThat(store.dsl().fetchCount(dev.agentstore.schema.Tables.CONVERSATION_MESSAGE,
                dev.agentstore.schema.Tables.CONVERSATION_MESSAGE.TENANT_ID.eq(TENANT))).isEqualTo(100_000);
        assertThat(chats.listLastMessages(someSession, 20)).hasSize(20);
    }

    /** EXPLAIN (FORMAT JSON) of a pre-rendered statement with these parameter values. */
    private static String plan(dev.agentstore.internal.NamedStatement statement, Map<String, Object> values) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("EXPLAIN (FORMAT JSON) " + statement.sql())) {
            statement.bind(c, ps, values);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static HotStatements hot() {
        return HotStatements.render(store.dsl());
    }

    @Test
    void the_last_n_messages_are_read_backwards_from_the_sequence_index() throws SQLException {
        Map<String, Object> values = new HashMap<>(Map.of("tenant", TENANT, "session", someSession.value(), "count", 20));
        values.put("before", null);

        // the count as a constant (counts up to HotStatements.CONSTANT_LIMITS) and as a parameter (larger counts)
        for (String plan : new String[] {plan(hot().history(false, 20), values), plan(hot().history(false, 500), values)}) {
            assertThat(plan).contains("\"Index Name\": \"conversation_message_seq_uk\"")
                    .contains("\"Scan Direction\": \"Backward\"")
                    .doesNotContain("Seq Scan").doesNotContain("\"Node Type\": \"Sort\"");
        }
    }

    @Test
    void paging_backwards_uses_the_sequence_index_with_the_bound() throws SQLException {
        Map<String, Object> values = Map.of("tenant", TENANT, "session", someSession.value(), "before", 11L, "count", 5);
        for (String plan : new String[] {plan(hot().history(true, 5), values), plan(hot().history(true, 500), values)}) {
            assertThat(plan).contains("\"Index Name\": \"conversation_message_seq_uk\"")
                    .doesNotContain("Seq Scan").doesNotContain("\"Node Type\": \"Sort\"");
        }
    }

    @Test
    void a_users_sessions_are_listed_from_the_user_index_without_sorting_also_after_a_cursor() {
        SessionCursor cursor = new SessionCursor(T0.plusSeconds(60L * 4000), SessionId.of(UUID.randomUUID()));

        String first = plan(chats.sessionsQuery(CONVERSATION_SESSION.USER_ID, "user-42", null, 21));
        String next = plan(chats.sessionsQuery(CONVERSATION_SESSION.USER_ID, "user-42", cursor, 21));

        for (String plan : new String[] {first, next}) {
            assertThat(plan).contains("\"Index Name\": \"conversation_session_user_idx\"")
                    .doesNotContain("Seq Scan").doesNotContain("\"Node Type\": \"Sort\"");
        }
        assertThat(next).as("the cursor is an index condition, not a filter")
                .containsPattern("\"Index Cond\": \"\\(\\(tenant_id = [^\"]*ROW\\(last_activity_at, id\\) < ROW\\(")
                .doesNotContain("\"Filter\"");
    }

    @Test
    void an_agents_sessions_are_listed_from_the_agent_index_without_sorting() {
        SessionCursor cursor = new SessionCursor(T0.plusSeconds(60L * 4000), SessionId.of(UUID.randomUUID()));

        String first = plan(chats.sessionsQuery(CONVERSATION_SESSION.AGENT_ID, "agent-3", null, 21));
        String next = plan(chats.sessionsQuery(CONVERSATION_SESSION.AGENT_ID, "agent-3", cursor, 21));

        for (String plan : new String[] {first, next}) {
            assertThat(plan).contains("\"Index Name\": \"conversation_session_agent_idx\"")
                    .doesNotContain("Seq Scan").doesNotContain("\"Node Type\": \"Sort\"");
        }
        assertThat(next).containsPattern("\"Index Cond\": \"[^\"]*ROW\\(last_activity_at, id\\) < ROW\\(")
                .doesNotContain("\"Filter\"");
    }

    @Test
    void retention_finds_stale_sessions_through_the_activity_index_and_deletes_them_by_primary_key() {
        // a few stale sessions, and all of them: the plan must not turn into a sequential scan either way
        for (int minutes : new int[] {250, 6000}) {
            OffsetDateTime cutoff = OffsetDateTime.ofInstant(T0.plusSeconds(60L * minutes), ZoneOffset.UTC);

            String plan = plan(chats.retentionQuery(cutoff, 1000));

            assertThat(plan).as("cut-off after %d minutes", minutes)
                    .contains("\"Index Name\": \"conversation_session_activity_idx\"")
                    .contains("\"Index Name\": \"conversation_session_pk\"")
                    .doesNotContain("Seq Scan");
        }
    }

    @Test
    void explain_runs_through_a_template_without_touching_rows() {
        long before = store.dsl().fetchCount(CONVERSATION_SESSION, CONVERSATION_SESSION.TENANT_ID.eq(TENANT));

        plan(chats.retentionQuery(OffsetDateTime.ofInstant(T0.plusSeconds(60L * 6000), ZoneOffset.UTC), 1000));

        assertThat(store.dsl().fetchCount(CONVERSATION_SESSION, CONVERSATION_SESSION.TENANT_ID.eq(TENANT)))
                .isEqualTo(before).isEqualTo(5000);
    }
}
