package dev.agentstore.lifecycle;

import static dev.agentstore.schema.Tables.AGENT_RUN;
import static dev.agentstore.schema.Tables.CHUNK;
import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;
import static dev.agentstore.schema.Tables.CONVERSATION_SESSION;
import static dev.agentstore.schema.Tables.MEMORY;
import static dev.agentstore.schema.Tables.MEMORY_ENTRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.InvalidInputException;
import dev.agentstore.TenantId;
import dev.agentstore.agents.AgentDefinition;
import dev.agentstore.agents.AgentId;
import dev.agentstore.agents.AgentVersionId;
import dev.agentstore.agents.Agents;
import dev.agentstore.agents.NewAgent;
import dev.agentstore.agents.NewRun;
import dev.agentstore.agents.ToolCall;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.conversation.Session;
import dev.agentstore.document.ChunkInput;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.memory.Memory;
import dev.agentstore.memory.MemoryKey;
import dev.agentstore.memory.MemoryScope;
import dev.agentstore.memory.NewMemory;
import dev.agentstore.schema.Agentstore;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AgentStoreTest(dimension = 3)
class ErasureIT {

    private static final AtomicInteger TENANTS = new AtomicInteger();
    private static AgentStore store;
    private static TestDatabase database;

    private String tenant;
    private String otherTenant;

    @BeforeAll
    static void start(TestDatabase db) {
        database = db;
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(4).build();
    }

    private static void sql(String statement) {
        try (java.sql.Connection c = database.connect(); java.sql.Statement st = c.createStatement()) {
            st.execute(statement);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @BeforeEach
    void freshTenants() {
        int n = TENANTS.incrementAndGet();
        tenant = "erase-" + n;
        otherTenant = "erase-other-" + n;
    }

    private DSLContext dsl() {
        return store.dsl();
    }

    private static float[] vector(int i) {
        return new float[] {1, i % 7, (i * 3) % 5 + 1};
    }

    /** Everything a user and an agent can own, for alice and bob, with agents "a1" and "a2". */
    private void populate(String t) {
        Conversations chats = store.conversations(t);
        Memory memory = store.memory(t);
        Agents agents = store.agents(t);
        for (String agent : List.of("a1", "a2")) {
            agents.register(NewAgent.of(agent));
            agents.publish(AgentId.of(agent), AgentDefinition.of("openai", "gpt-4o"));
            agents.runs().record(NewRun.succeeded(AgentVersionId.of(agent, 1), Instant.parse("2026-01-01T00:00:00Z"),
                    Duration.ofMillis(5)).withInput("no session"));
        }
        int i = 0;
        for (String user : List.of("alice", "bob")) {
            for (String agent : List.of("a1", "a2")) {
                Session s = chats.open(NewSession.of(user, agent));
                for (int m = 0; m < 5; m++) {
                    chats.addMessage(s.id(), NewMessage.user(user + " says " + m));
                }
                agents.runs().record(NewRun.succeeded(AgentVersionId.of(agent, 1), Instant.parse("2026-01-01T00:00:00Z"),
                        Duration.ofMillis(5)).inSession(s.id()).withInput(user + " asks " + agent)
                        .withToolCalls(List.of(ToolCall.succeeded("lookup", java.util.Map.of("q", "x"), 1, Duration.ofMillis(1)))));
                memory.put(MemoryKey.of(agent, MemoryScope.session(s.id().value()), "plan"), "{\"step\": 1}");
                memory.remember(NewMemory.of(agent, "fact", user + " learned " + agent + " in session", vector(i++))
                        .withSession(s.id().value()));
            }
            memory.put(MemoryKey.of("a1", MemoryScope.user(user), "prefs"), "{\"units\": \"metric\"}");
            memory.put(MemoryKey.of("a2", MemoryScope.user(user), "prefs"), "{\"units\": \"imperial\"}");
            memory.remember(NewMemory.of("a1", "fact", user + " likes tea", vector(i++)).withUser(user));
            memory.remember(NewMemory.of("a2", "fact", user + " likes coffee", vector(i++)).withUser(user));
            // a run for the user outside any session (e.g. an API call)
            agents.runs().record(NewRun.succeeded(AgentVersionId.of("a1", 1), Instant.parse("2026-01-02T00:00:00Z"),
                    Duration.ofMillis(7)).forUser(user).withInput(user + " asks by API"));
        }
        chats.open(NewSession.of(null, "a1"));
        memory.put(MemoryKey.of("a1", MemoryScope.agent(), "config"), "{}");
        memory.put(MemoryKey.of("a3", MemoryScope.agent(), "config"), "{}");
        memory.remember(NewMemory.of("a3", "fact", "agent three knows", vector(99)));

        Documents docs = store.documents(t);
        KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("kb", 3));
        for (String user : List.of("alice", "bob")) {
            // an ordinary ingest, for the user
            docs.ingest(kb.id(), DocumentInput.ofChunks("file://" + user + ".txt", List.of(
                    ChunkInput.of("shared text", vector(1)), ChunkInput.of(user + " only text", vector(2)))).withUser(user), null);
        }
        docs.ingest(kb.id(), DocumentInput.ofChunks("file://nobody.txt", List.of(ChunkInput.of("public text", vector(3)))), null);
    }

    /** Rows per table of this tenant, over every table of the schema. */
    private Map<String, Integer> rowsPerTable(String t) {
        Map<String, Integer> rows = new HashMap<>();
        for (Table<?> table : Agentstore.AGENTSTORE.getTables()) {
            @SuppressWarnings("unchecked")
            Field<String> tenantField = (Field<String>) table.field("tenant_id");
            rows.put(table.getName(), dsl().fetchCount(table, tenantField.eq(t)));
        }
        return rows;
    }

    /** Rows of this tenant, in every table with the column, whose column has this value. */
    private Map<String, Integer> rowsWith(String t, String column, String value) {
        Map<String, Integer> rows = new HashMap<>();
        for (Table<?> table : Agentstore.AGENTSTORE.getTables()) {
            Field<?> f = table.field(column);
            if (f != null) {
                @SuppressWarnings("unchecked")
                Field<String> tenantField = (Field<String>) table.field("tenant_id");
                Condition c = tenantField.eq(t).and(f.cast(String.class).eq(value));
                int n = dsl().fetchCount(table, c);
                if (n > 0) {
                    rows.put(table.getName(), n);
                }
            }
        }
        return rows;
    }

    /** Rows of this tenant, in every table with a session_id column, that point at no existing session. */
    private Map<String, Integer> rowsOfMissingSessions(String t) {
        Map<String, Integer> rows = new HashMap<>();
        for (Table<?> table : Agentstore.AGENTSTORE.getTables()) {
            @SuppressWarnings("unchecked")
            Field<UUID> f = (Field<UUID>) table.field("session_id");
            if (f != null && !table.getName().equals(CONVERSATION_SESSION.getName())) {
                @SuppressWarnings("unchecked")
                Field<String> tenantField = (Field<String>) table.field("tenant_id");
                int n = dsl().fetchCount(table, tenantField.eq(t).and(f.isNotNull()).andNotExists(
                        DSL.selectOne().from(CONVERSATION_SESSION).where(CONVERSATION_SESSION.TENANT_ID.eq(t),
                                CONVERSATION_SESSION.ID.eq(f))));
                if (n > 0) {
                    rows.put(table.getName(), n);
                }
            }
        }
        return rows;
    }

    @Test
    void erasing_a_user_leaves_no_row_of_the_user_and_touches_no_one_else() {
        populate(tenant);
        populate(otherTenant);
        Map<String, Integer> otherTenantBefore = rowsPerTable(otherTenant);
        Map<String, Integer> before = rowsPerTable(tenant);

        ErasureResult r = store.erasure(tenant).withBatchSize(2).eraseUser("alice");

        assertThat(rowsWith(tenant, "user_id", "alice")).isEmpty();
        assertThat(dsl().fetchCount(MEMORY_ENTRY, MEMORY_ENTRY.TENANT_ID.eq(tenant), MEMORY_ENTRY.SCOPE_ID.eq("alice"))).isZero();
        assertThat(rowsOfMissingSessions(tenant)).isEmpty();
        assertThat(dsl().fetchCount(CONVERSATION_MESSAGE, CONVERSATION_MESSAGE.TENANT_ID.eq(tenant),
                CONVERSATION_MESSAGE.CONTENT.like("alice%"))).isZero();
        assertThat(dsl().fetchCount(MEMORY, MEMORY.TENANT_ID.eq(tenant), MEMORY.CONTENT.like("alice%"))).isZero();
        // the chunk only alice's document had is gone; the one shared with bob's stays
        assertThat(dsl().fetchCount(CHUNK, CHUNK.TENANT_ID.eq(tenant), CHUNK.CONTENT.eq("alice only text"))).isZero();
        assertThat(dsl().fetchCount(CHUNK, CHUNK.TENANT_ID.eq(tenant), CHUNK.CONTENT.eq("shared text"))).isEqualTo(1);
        assertThat(store.documents(tenant).listChunks(store.documents(tenant)
                .findDocument(store.documents(tenant).listKnowledgeBases().get(0).id(), "file://bob.txt").orElseThrow().id()))
                .hasSize(2);

        assertThat(r.deletedFrom("conversation_session")).isEqualTo(2);
        assertThat(r.deletedFrom("conversation_message")).isEqualTo(10);
        assertThat(r.deletedFrom("memory_entry")).isEqualTo(4);
        assertThat(r.deletedFrom("memory")).isEqualTo(4);
        assertThat(r.deletedFrom("document")).isEqualTo(1);
        assertThat(r.deletedFrom("chunk")).isEqualTo(1);
        assertThat(r.deletedFrom("document_chunk")).isEqualTo(2);
        // her two runs in her sessions and the one outside any session
        assertThat(r.deletedFrom("agent_run")).isEqualTo(3);
        assertThat(r.deletedFrom("agent_run_tool_call")).isEqualTo(2);
        assertThat(dsl().fetchCount(AGENT_RUN, AGENT_RUN.TENANT_ID.eq(tenant), AGENT_RUN.INPUT.like("alice%"))).isZero();
        assertThat(dsl().fetchCount(AGENT_RUN, AGENT_RUN.TENANT_ID.eq(tenant), AGENT_RUN.INPUT.eq("bob asks by API"))).isEqualTo(1);
        Map<String, Integer> after = rowsPerTable(tenant);
        for (Map.Entry<String, Integer> e : before.entrySet()) {
            if (e.getKey().startsWith("agent_run_daily")) {
                continue; // the run rollup is derived data, kept by triggers: checked against the runs below
            }
            long expected = e.getValue() - r.deletedFrom(e.getKey());
            assertThat(after.get(e.getKey())).as(e.getKey()).isEqualTo((int) expected);
        }
        // the rollup still holds exactly the runs that are left
        assertThat(dsl().select(org.jooq.impl.DSL.coalesce(org.jooq.impl.DSL.sum(dev.agentstore.schema.Tables.AGENT_RUN_DAILY.RUNS),
                        java.math.BigDecimal.ZERO))
                .from(dev.agentstore.schema.Tables.AGENT_RUN_DAILY)
                .where(dev.agentstore.schema.Tables.AGENT_RUN_DAILY.TENANT_ID.eq(tenant)).fetchSingle().value1().intValue())
                .isEqualTo(dsl().fetchCount(AGENT_RUN, AGENT_RUN.TENANT_ID.eq(tenant)));
        assertThat(rowsPerTable(otherTenant)).isEqualTo(otherTenantBefore);
        assertThat(rowsWith(otherTenant, "user_id", "alice")).isNotEmpty();
        assertThat(r.transactions()).isGreaterThan(10);
    }

    @Test
    void erasing_again_deletes_nothing_and_an_interrupted_erasure_is_completed_by_the_next_call() {
        populate(tenant);
        // an erasure that stopped after the messages of one session: delete them by hand
        UUID first = dsl().select(CONVERSATION_SESSION.ID).from(CONVERSATION_SESSION)
                .where(CONVERSATION_SESSION.TENANT_ID.eq(tenant), CONVERSATION_SESSION.USER_ID.eq("alice"))
                .limit(1).fetchSingle(CONVERSATION_SESSION.ID);
        dsl().deleteFrom(CONVERSATION_MESSAGE).where(CONVERSATION_MESSAGE.TENANT_ID.eq(tenant),
                CONVERSATION_MESSAGE.SESSION_ID.eq(first)).execute();

        ErasureResult r = store.erasure(tenant).eraseUser("alice");
        ErasureResult again = store.erasure(tenant).eraseUser("alice");

        assertThat(r.deletedFrom("conversation_message")).isEqualTo(5);
        assertThat(r.deletedFrom("conversation_session")).isEqualTo(2);
        assertThat(again.total()).isZero();
        assertThat(again.deleted()).containsKeys("conversation_session", "conversation_message", "memory", "memory_entry",
                "document");
        assertThat(rowsWith(tenant, "user_id", "alice")).isEmpty();
    }

    @Test
    void erasing_an_agent_leaves_no_row_of_the_agent() {
        populate(tenant);
        populate(otherTenant);
        Map<String, Integer> otherTenantBefore = rowsPerTable(otherTenant);

        ErasureResult r = store.erasure(tenant).eraseAgent("a1");

        assertThat(rowsWith(tenant, "agent_id", "a1")).isEmpty();
        assertThat(rowsOfMissingSessions(tenant)).isEmpty();
        assertThat(r.deletedFrom("conversation_session")).isEqualTo(3);
        assertThat(r.deletedFrom("conversation_message")).isEqualTo(10);
        // 2 session entries, 2 user entries, 1 agent entry
        assertThat(r.deletedFrom("memory_entry")).isEqualTo(5);
        assertThat(r.deletedFrom("memory")).isEqualTo(4);
        // outside sessions: one without a user, alice's and bob's; in sessions: alice's and bob's
        assertThat(r.deletedFrom("agent_run")).isEqualTo(5);
        assertThat(r.deletedFrom("agent")).isEqualTo(1);
        assertThat(r.deletedFrom("agent_version")).isEqualTo(1);
        assertThat(rowsWith(tenant, "agent_id", "a2")).containsEntry("conversation_session", 2).containsEntry("agent_run", 3);
        assertThat(dsl().fetchCount(MEMORY, MEMORY.TENANT_ID.eq(tenant), MEMORY.AGENT_ID.eq("a2"))).isEqualTo(4);
        assertThat(rowsPerTable(otherTenant)).isEqualTo(otherTenantBefore);
    }

    @Test
    void erasing_a_tenant_leaves_no_row_of_it_in_any_table() {
        populate(tenant);
        populate(otherTenant);
        Map<String, Integer> otherTenantBefore = rowsPerTable(otherTenant);
        Map<String, Integer> before = rowsPerTable(tenant);

        ErasureResult r = store.erase(TenantId.of(tenant));

        assertThat(rowsPerTable(tenant)).allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
        assertThat(rowsPerTable(otherTenant)).isEqualTo(otherTenantBefore);
        for (String table : List.of("conversation_session", "conversation_message", "memory_entry", "memory",
                "knowledge_base", "document", "document_chunk", "chunk", "agent_run", "agent_run_tool_call", "agent", "agent_version")) {
            assertThat(r.deletedFrom(table)).as(table).isEqualTo((long) before.get(table));
        }
        assertThat(store.erase(TenantId.of(tenant)).total()).isZero();
        // the tenant id can be used again
        store.conversations(tenant).open(NewSession.of("alice", "a1"));
        assertThat(rowsPerTable(tenant).get("conversation_session")).isEqualTo(1);
    }

    @Test
    void batches_shrink_while_they_take_longer_than_the_maximum_transaction_time() {
        for (String user : List.of("slow", "fast")) {
            Conversations chats = store.conversations(tenant);
            for (int s = 0; s < 2; s++) {
                Session session = chats.open(NewSession.of(user, "a1"));
                List<NewMessage> turn = new java.util.ArrayList<>();
                for (int m = 0; m < 200; m++) {
                    turn.add(NewMessage.user(user + " message " + m));
                }
                chats.addMessages(session.id(), turn);
            }
        }

        // every delete of messages takes at least 5 ms while the trigger exists: each batch overruns 1 ms
        String schema = "\"" + database.schema() + "\"";
        sql("CREATE FUNCTION public.erasure_it_slow() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN PERFORM pg_sleep(0.005); RETURN NULL; END $$");
        sql("CREATE TRIGGER erasure_it_slow BEFORE DELETE ON " + schema + ".conversation_message "
                + "FOR EACH STATEMENT EXECUTE FUNCTION public.erasure_it_slow()");
        ErasureResult shrinking;
        try {
            shrinking = store.erasure(tenant).withBatchSize(200).withMaxTransactionTime(java.time.Duration.ofMillis(1))
                    .eraseUser("slow");
        } finally {
            sql("DROP TRIGGER erasure_it_slow ON " + schema + ".conversation_message");
            sql("DROP FUNCTION public.erasure_it_slow()");
        }
        ErasureResult steady = store.erasure(tenant).withBatchSize(200).withMaxTransactionTime(java.time.Duration.ofMinutes(1))
                .eraseUser("fast");

        assertThat(shrinking.deletedFrom("conversation_message")).isEqualTo(400);
        assertThat(steady.deletedFrom("conversation_message")).isEqualTo(400);
        // 400 messages in halving batches (200, 100, 50, ... down to the minimum) against 2 batches of 200
        assertThat(shrinking.transactions()).isGreaterThan(steady.transactions() + 5);
        assertThatThrownBy(() -> store.erasure(tenant).withMaxTransactionTime(java.time.Duration.ZERO))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("between 1 ms and 1 minute");
    }

    @Test
    void bad_subjects_are_refused_before_any_sql() {
        assertThatThrownBy(() -> store.erasure(tenant).eraseUser(" "))
                .isInstanceOf(InvalidInputException.class).hasMessage("userId must not be blank");
        assertThatThrownBy(() -> store.erasure(tenant).eraseAgent(null))
                .isInstanceOf(InvalidInputException.class).hasMessage("agentId must not be null");
        assertThatThrownBy(() -> store.erasure(tenant).withBatchSize(0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("batchSize must be between 1 and 100000");
    }
}
