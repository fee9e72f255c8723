package dev.agentstore.hardening;

import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;
import static dev.agentstore.schema.Tables.CONVERSATION_SESSION;
import static dev.agentstore.schema.Tables.KNOWLEDGE_BASE;
import static dev.agentstore.schema.Tables.MEMORY;
import static dev.agentstore.schema.Tables.MEMORY_ENTRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentstore.AgentStore;
import dev.agentstore.NotFoundException;
import dev.agentstore.SchemaValidationException;
import dev.agentstore.conversation.ConversationHistory;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.HistoricMessage;
import dev.agentstore.conversation.Message;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.conversation.Session;
import dev.agentstore.document.ChunkInput;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchRequest;
import dev.agentstore.memory.Memory;
import dev.agentstore.memory.MemoryFilter;
import dev.agentstore.memory.MemoryKey;
import dev.agentstore.memory.MemoryScope;
import dev.agentstore.memory.NewMemory;
import dev.agentstore.memory.RecallQuery;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Database-enforced tenant isolation (issue #16, item 7): the store connects as a runtime role bound by
 * the row-level security policies of V8, and PostgreSQL, not the library, keeps tenants apart.
 */
@AgentStoreTest(dimension = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RowLevelSecurityIT {

    /** The README's "Guarantees" snippet, compiled here so it cannot drift from the API (ReadmeSnippetsTest). */
    static AgentStore readmeRuntimeStore(String url, String secret) {
        AgentStore store = AgentStore.builder().jdbcUrl(url).user("app_runtime").password(secret)
                .requireRowLevelSecurity(true)   // build() fails unless PostgreSQL enforces the policies for this role
                .build();
        return store;
    }


    private static final float[] V = {1f, 0f, 0f};
    private static final String[] TABLES = {"knowledge_base", "document", "chunk", "document_chunk", "conversation_session",
        "conversation_message", "memory_entry", "memory"};

    private TestDatabase db;
    private RuntimeRole role;
    private HikariDataSource pool;
    private AgentStore store;

    @BeforeAll
    void setUp(TestDatabase database) throws SQLException {
        db = database;
        role = RuntimeRole.create(db);
        HikariConfig config = new HikariConfig();
        config.setDataSource(role.dataSource());
        config.setMaximumPoolSize(2);
        config.setPoolName("rls-test");
        pool = new HikariDataSource(config);
        store = AgentStore.builder().dataSource(pool).requireRowLevelSecurity(true).build();
        for (String tenant : List.of("acme", "globex")) {
            seed(tenant);
        }
    }

    @AfterAll
    void tearDown() throws SQLException {
        store.close();
        pool.close();
        role.close();
    }

    private void seed(String tenant) {
        Conversations chats = store.conversations(tenant);
        Session s = chats.open(NewSession.of("user-" + tenant, "agent").withTitle("title of " + tenant));
        chats.addMessages(s.id(), List.of(NewMessage.user("hello from " + tenant), NewMessage.assistant("hi " + tenant)));
        Documents docs = store.documents(tenant);
        KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("kb", 3));
        docs.ingest(kb.id(), DocumentInput.ofChunks("doc-" + tenant, List.of(ChunkInput.of("chunk of " + tenant, V))));
        Memory memory = store.memory(tenant);
        memory.put(MemoryKey.of("agent", MemoryScope.agent(), "plan"), "{\"tenant\": \"" + tenant + "\"}");
        memory.remember(NewMemory.of("agent", "fact", "fact of " + tenant, V));
    }

    @Test
    void the_store_detects_that_its_role_is_bound_and_every_capability_works_under_the_policies() {
        assertThat(store.rowLevelSecurity()).isTrue();
        Conversations chats = store.conversations("acme");
        Session s = chats.listSessionsOfUser("user-acme", 10).sessions().get(0);
        assertThat(chats.listLastMessages(s.id(), 10)).extracting(Message::content).containsExactly("hello from acme", "hi acme");
        List<SearchHit> hits = store.knowledge("acme").search(SearchRequest.vector(V).limit(10).build());
        assertThat(hits).extracting(SearchHit::text).containsExactly("chunk of acme");
        assertThat(store.knowledge("acme").search(SearchRequest.text("chunk").limit(10).build()))
                .extracting(SearchHit::text).containsExactly("chunk of acme");
        assertThat(store.memory("acme").get(MemoryKey.of("agent", MemoryScope.agent(), "plan")).value()).contains("acme");
        assertThat(store.memory("acme").recall(RecallQuery.of(MemoryFilter.agent("agent"), V, 5)))
                .extracting(r -> r.memory().content()).containsExactly("fact of acme");
        ConversationHistory history = store.conversations("acme").history();
        Session keyed = history.openOrGet("host-key-1", NewSession.create());
        assertThat(history.openOrGet("host-key-1", NewSession.create()).id()).isEqualTo(keyed.id());
        history.append(keyed.id(), List.of(HistoricMessage.of(NewMessage.user("earlier"), Instant.parse("2026-01-01T00:00:00Z"))));
        assertThat(store.conversations("globex").history().findByHostKey("host-key-1")).isEmpty();
        assertThat(store.documents("acme").listKnowledgeBases()).hasSize(1);
    }

    /**
     * pgjdbc server-prepares a statement from its 5th execution on a connection and, when it had an untyped
     * parameter, sends a Sync before it inside a multi-statement execute: the tenant prefix must survive that
     * (it did not: the 6th identical call saw no rows). Every call repeated 12 times from one thread,
     * which a pool hands the same connection.
     */
    @Test
    void every_call_keeps_its_tenant_when_repeated_on_a_pooled_connection() {
        HikariConfig config = new HikariConfig();
        config.setDataSource(role.dataSource());
        config.setMaximumPoolSize(2); // build() holds one while it checks the schema; one thread then reuses one
        config.setPoolName("rls-repeated");
        try (HikariDataSource one = new HikariDataSource(config);
             AgentStore single = AgentStore.builder().dataSource(one).requireRowLevelSecurity(true).build()) {
            Documents docs = single.documents("acme");
            KnowledgeBase kb = docs.listKnowledgeBases().get(0);
            Conversations chats = single.conversations("acme");
            Session s = chats.listSessionsOfUser("user-acme", 10).sessions().get(0);
            for (int i = 0; i < 12; i++) {
                String call = "call " + (i + 1);
                assertThat(docs.ingest(kb.id(), DocumentInput.ofChunks("doc-acme", List.of(ChunkInput.of("chunk of acme", V))))
                        .chunksInserted()).as(call).isZero();
                assertThat(docs.findDocument(kb.id(), "doc-acme")).as(call).isPresent();
                assertThat(docs.countChunks(kb.id())).as(call).isEqualTo(1);
                assertThat(single.knowledge("acme").search(SearchRequest.hybrid("chunk", V).knowledgeBases(kb.id()).limit(5).build()))
                        .as(call).extracting(SearchHit::text).containsExactly("chunk of acme");
                assertThat(chats.listLastMessages(s.id(), 10)).as(call).extracting(Message::content)
                        .containsExactly("hello from acme", "hi acme");
                assertThat(single.memory("acme").recall(RecallQuery.of(MemoryFilter.agent("agent"), V, 5)))
                        .as(call).extracting(r -> r.memory().content()).containsExactly("fact of acme");
                assertThat(single.memory("acme").get(MemoryKey.of("agent", MemoryScope.agent(), "plan")).value())
                        .as(call).contains("acme");
            }
        }
    }

    /**
     * The chat turn's statements set the tenant themselves (the setting rendered as the batch's first statement, run
     * on the pool's connection without the tenant proxy): repeated on the one connection of a pool, two tenants taking
     * turns, every call sees its own
     * tenant's rows only, and the statements stay server-side prepared with a reused generic plan (PostgreSQL's
     * {@code pg_prepared_statements} of that connection; a one-shot or re-planned statement would not be there).
     */
    @Test
    void chat_turns_keep_their_tenant_and_their_prepared_generic_plans_on_a_pooled_connection() {
        HikariConfig config = new HikariConfig();
        config.setDataSource(role.dataSource());
        config.setMaximumPoolSize(1);
        config.setPoolName("rls-chat-turns");
        try (HikariDataSource one = new HikariDataSource(config);
             // no schema validation: Flyway would need a second connection
             AgentStore single = AgentStore.builder().dataSource(one).validateOnStart(false).embeddingDimension(3)
                     .requireRowLevelSecurity(true).build()) {
            Conversations acme = single.conversations("chat-a"); // tenants of their own: other tests count acme's sessions
            Conversations globex = single.conversations("chat-b");
            Session mine = acme.open(NewSession.of("user-a", "agent"));
            Session theirs = globex.open(NewSession.of("user-b", "agent"));
            for (int i = 0; i < 20; i++) {
                String call = "turn " + (i + 1);
                acme.addMessages(mine.id(), List.of(NewMessage.user("q" + i), NewMessage.assistant("a" + i)));
                globex.addMessage(theirs.id(), NewMessage.user("globex " + i));
                assertThat(acme.listLastMessages(mine.id(), 2)).as(call).extracting(Message::content)
                        .containsExactly("q" + i, "a" + i);
                assertThat(acme.listLastMessages(mine.id(), 500)).as(call + ", count beyond the constant limits")
                        .hasSize(2 * (i + 1));
                assertThat(acme.listMessagesBefore(mine.id(), 2 * (i + 1), 1)).as(call).extracting(Message::content)
                        .containsExactly("q" + i);
                assertThat(globex.listLastMessages(theirs.id(), 20)).as(call).hasSize(i + 1)
                        .allSatisfy(m -> assertThat(m.content()).startsWith("globex "));
                assertThatThrownBy(() -> acme.listLastMessages(theirs.id(), 20)).as(call).isInstanceOf(NotFoundException.class);
                assertThatThrownBy(() -> acme.addMessage(theirs.id(), NewMessage.user("forged"))).as(call)
                        .isInstanceOf(NotFoundException.class);
            }
            // the same (only) connection of the pool: its server-side prepared statements
            List<String> generic = single.dsl("chat-a").fetch("SELECT statement FROM pg_prepared_statements"
                    + " WHERE generic_plans > custom_plans AND custom_plans <= 5").getValues(0, String.class);
            assertThat(generic).as("chat statements with reused generic plans").anySatisfy(sql -> assertThat(sql)
                    .contains("insert into").contains("conversation_message").contains("union all"));
            assertThat(generic).anySatisfy(sql -> assertThat(sql).contains("insert into").doesNotContain("union all"));
            assertThat(generic).anySatisfy(sql -> assertThat(sql).contains("conversation_message").contains("fetch next 2 rows only"));
            assertThat(generic).anySatisfy(sql -> assertThat(sql).contains("set_config"));
            assertThat(single.conversations("chat-a").getSession(mine.id()).messageCount()).isEqualTo(40);
        }
    }

    @Test
    void store_transactions_bind_each_tenant_on_the_transaction_connection() {
        Session acme = store.conversations("acme").open(NewSession.of("user-tx", "agent").withTitle("tx"));
        Session globex = store.conversations("globex").open(NewSession.of("user-tx", "agent").withTitle("tx"));

        List<String> seenInside = store.inTransaction(tx -> {
            tx.conversations("acme").addMessage(acme.id(), NewMessage.user("acme in tx"));
            tx.conversations("globex").addMessage(globex.id(), NewMessage.user("globex in tx"));
            assertThatThrownBy(() -> tx.useTransaction(nested -> {
                nested.conversations("acme").addMessage(acme.id(), NewMessage.user("undone"));
                throw new IllegalArgumentException("inner fails");
            })).hasMessage("inner fails");
            // after the rollback to the savepoint, the next call must set its tenant again
            tx.conversations("acme").addMessage(acme.id(), NewMessage.assistant("acme after the nested failure"));
            // the chat statements set the tenant themselves, on the transaction's connection too
            assertThat(tx.conversations("globex").listLastMessages(globex.id(), 10)).extracting(Message::content)
                    .containsExactly("globex in tx");
            assertThat(tx.conversations("acme").listLastMessages(acme.id(), 10)).extracting(Message::content)
                    .containsExactly("acme in tx", "acme after the nested failure");
            assertThatThrownBy(() -> tx.conversations("globex").listLastMessages(acme.id(), 10)).isInstanceOf(NotFoundException.class);
            List<String> seen = new ArrayList<>(tx.dsl("acme").selectDistinct(CONVERSATION_MESSAGE.TENANT_ID)
                    .from(CONVERSATION_MESSAGE).fetch(CONVERSATION_MESSAGE.TENANT_ID));
            seen.addAll(tx.dsl("globex").selectDistinct(CONVERSATION_MESSAGE.TENANT_ID)
                    .from(CONVERSATION_MESSAGE).fetch(CONVERSATION_MESSAGE.TENANT_ID));
            return seen;
        });

        assertThat(seenInside).containsExactly("acme", "globex");
        assertThat(store.conversations("acme").listLastMessages(acme.id(), 10)).extracting(Message::content)
                .containsExactly("acme in tx", "acme after the nested failure");
        assertThat(store.conversations("globex").listLastMessages(globex.id(), 10)).extracting(Message::content)
                .containsExactly("globex in tx");
        assertThatThrownBy(() -> store.useTransaction(tx -> {
            tx.conversations("acme").addMessage(acme.id(), NewMessage.user("rolled back"));
            throw new IllegalStateException("outer fails");
        })).hasMessage("outer fails");
        assertThat(store.conversations("acme").listLastMessages(acme.id(), 10)).hasSize(2);
    }

    @Test
    void a_joined_host_transaction_is_bound_to_the_tenant_of_each_call() throws SQLException {
        Session acme = store.conversations("acme").open(NewSession.of("user-joined", "agent").withTitle("joined"));
        try (Connection host = role.connect()) {
            host.setAutoCommit(false);
            AgentStore joined = store.joining(host);
            joined.conversations("acme").addMessage(acme.id(), NewMessage.user("joined"));
            assertThat(joined.conversations("acme").listLastMessages(acme.id(), 10)).extracting(Message::content)
                    .containsExactly("joined");
            assertThatThrownBy(() -> joined.conversations("globex").listLastMessages(acme.id(), 10))
                    .as("another tenant's session").isInstanceOf(NotFoundException.class);
            assertThat(store.conversations("acme").listLastMessages(acme.id(), 10)).as("not committed yet").isEmpty();
            host.commit();
            assertThat(host.isClosed()).isFalse();
        }
        assertThat(store.conversations("acme").listLastMessages(acme.id(), 10)).extracting(Message::content)
                .containsExactly("joined");
    }

    @Test
    void bulk_ingest_and_document_deletion_work_under_the_policies() {
        Documents docs = store.documents("initech");
        KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("bulk", 3));
        List<DocumentInput> batch = new ArrayList<>();
        for (int d = 0; d < 300; d++) {
            batch.add(DocumentInput.ofChunks("bulk-" + d, List.of(ChunkInput.of("bulk text " + d + " a", V),
                    ChunkInput.of("bulk text " + d + " b", new float[] {0f, 1f, (float) d}))));
        }
        assertThat(docs.ingestAll(kb.id(), batch, null).documentsCreated()).isEqualTo(300);
        assertThat(store.dsl("initech").fetchCount(DSL.table(DSL.name(db.schema(), "chunk")))).isEqualTo(600);
        assertThat(store.dsl("acme").fetchCount(DSL.table(DSL.name(db.schema(), "chunk")))).as("acme's only").isEqualTo(1);
        assertThat(store.knowledge("initech").search(SearchRequest.vector(V).knowledgeBases(kb.id()).limit(5).build())).hasSize(5);
        assertThat(docs.deleteKnowledgeBase(kb.id())).isTrue();
        assertThat(store.dsl("initech").fetchCount(DSL.table(DSL.name(db.schema(), "chunk")))).isZero();
    }

    @Test
    void forged_queries_through_dsl_of_a_tenant_see_and_change_only_that_tenant() {
        DSLContext acme = store.dsl("acme");
        assertThat(acme.selectFrom(CONVERSATION_SESSION).fetch(CONVERSATION_SESSION.TENANT_ID)).containsOnly("acme");
        assertThat(acme.selectFrom(CONVERSATION_SESSION).where(CONVERSATION_SESSION.TENANT_ID.eq("globex")).fetch()).isEmpty();
        assertThat(acme.fetchCount(CONVERSATION_MESSAGE.where(CONVERSATION_MESSAGE.TENANT_ID.ne("acme")))).isZero();
        for (String table : TABLES) {
            Integer foreign = acme.fetchValue(DSL.field("(SELECT count(*)::int FROM \"" + db.schema() + "\"." + table + " WHERE tenant_id <> 'acme')", Integer.class));
            assertThat(foreign).as("rows of other tenants visible in " + table).isZero();
        }
        assertThat(acme.update(CONVERSATION_SESSION).set(CONVERSATION_SESSION.TITLE, "forged")
                .where(CONVERSATION_SESSION.TENANT_ID.eq("globex")).execute()).as("update of globex's rows").isZero();
        assertThat(acme.deleteFrom(MEMORY).where(MEMORY.TENANT_ID.eq("globex")).execute()).as("delete of globex's rows").isZero();
        assertThat(acme.deleteFrom(MEMORY_ENTRY).execute()).as("an unfiltered delete removes acme's rows only").isEqualTo(1);
        assertThatThrownBy(() -> acme.insertInto(CONVERSATION_SESSION).set(CONVERSATION_SESSION.TENANT_ID, "globex").execute())
                .isInstanceOf(DataAccessException.class).hasMessageContaining("violates row-level security policy");
        assertThatThrownBy(() -> acme.update(CONVERSATION_SESSION).set(CONVERSATION_SESSION.TENANT_ID, "globex").execute())
                .as("moving a row to another tenant").hasMessageContaining("violates row-level security policy");
        assertThat(store.dsl("globex").selectFrom(CONVERSATION_SESSION).fetch(CONVERSATION_SESSION.TITLE))
                .containsExactly("title of globex");
        assertThat(store.memory("globex").list("agent", MemoryScope.agent())).hasSize(1);
        // acme's entry is gone: put it back for the other tests
        store.memory("acme").put(MemoryKey.of("agent", MemoryScope.agent(), "plan"), "{\"tenant\": \"acme\"}");
    }

    @Test
    void dsl_of_a_tenant_works_in_transactions_too_and_every_transaction_is_bound_again() {
        DSLContext acme = store.dsl("acme");
        List<String> seen = acme.transactionResult(cfg -> {
            List<String> tenants = new ArrayList<>(DSL.using(cfg).selectDistinct(KNOWLEDGE_BASE.TENANT_ID).from(KNOWLEDGE_BASE)
                    .fetch(KNOWLEDGE_BASE.TENANT_ID));
            tenants.addAll(DSL.using(cfg).selectDistinct(MEMORY.TENANT_ID).from(MEMORY).fetch(MEMORY.TENANT_ID));
            return tenants;
        });
        assertThat(seen).containsExactly("acme", "acme");
        for (int i = 0; i < 5; i++) {
            assertThat(acme.selectDistinct(MEMORY.TENANT_ID).from(MEMORY).fetch(MEMORY.TENANT_ID)).containsExactly("acme");
        }
    }

    @Test
    void two_tenants_used_in_one_host_transaction_each_see_their_own_rows() throws Exception {
        try (Connection shared = role.connect()) {
            shared.setAutoCommit(false); // the host's transaction, handed out for every getConnection()
            javax.sql.DataSource joined = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {javax.sql.DataSource.class}, (p, m, a) -> {
                        if (!m.getName().equals("getConnection")) {
                            throw new UnsupportedOperationException(m.getName());
                        }
                        return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                                (p2, m2, a2) -> m2.getName().equals("close") ? null : m2.invoke(shared, a2));
                    });
            try (AgentStore host = AgentStore.builder().dataSource(joined).build()) {
                assertThat(host.rowLevelSecurity()).isTrue();
                for (int i = 0; i < 2; i++) {
                    assertThat(host.dsl("acme").selectFrom(CONVERSATION_SESSION).fetch(CONVERSATION_SESSION.TENANT_ID)).containsOnly("acme");
                    assertThat(host.dsl("globex").selectFrom(CONVERSATION_SESSION).fetch(CONVERSATION_SESSION.TENANT_ID))
                            .containsOnly("globex");
                    assertThat(host.memory("acme").get(MemoryKey.of("agent", MemoryScope.agent(), "plan")).value()).contains("acme");
                }
            }
            shared.rollback();
        }
    }

    @Test
    void the_unscoped_dsl_and_a_connection_that_never_set_the_tenant_see_nothing_and_write_nothing() throws SQLException {
        assertThat(store.dsl().fetchCount(CONVERSATION_SESSION)).isZero();
        try (Connection c = role.connect(); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + db.schema() + "\"." + table)) {
                    rs.next();
                    assertThat(rs.getInt(1)).as(table).isZero();
                }
            }
            assertThatThrownBy(() -> s.execute("INSERT INTO \"" + db.schema() + "\".conversation_session (tenant_id) VALUES ('acme')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("violates row-level security policy");
        }
        try (Connection admin = db.connect(); Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + db.schema() + "\".conversation_session")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the rows are there for the owner").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void pooled_connections_never_carry_a_tenant_into_the_next_borrower() throws SQLException {
        Session opened = store.conversations("acme").open(NewSession.create()); // auto-commit statement
        store.conversations("acme").addMessages(opened.id(), List.of(NewMessage.user("q"), NewMessage.assistant("a")));
        store.conversations("acme").addMessage(opened.id(), NewMessage.user("q2")); // statements that set the tenant themselves
        store.conversations("acme").listLastMessages(opened.id(), 3);
        store.memory("acme").recall(RecallQuery.of(MemoryFilter.agent("agent"), V, 5)); // transaction
        store.dsl("acme").selectFrom(CONVERSATION_SESSION).fetch();
        assertThatThrownBy(() -> store.dsl("acme").insertInto(CONVERSATION_SESSION).set(CONVERSATION_SESSION.TENANT_ID, "globex")
                .execute()).isInstanceOf(DataAccessException.class); // a failed statement
        assertThatThrownBy(() -> store.dsl("acme").transaction(cfg -> {
            DSL.using(cfg).selectFrom(CONVERSATION_SESSION).fetch();
            throw new IllegalStateException("host code fails inside the transaction");
        })).isInstanceOf(IllegalStateException.class);
        for (int i = 0; i < 4; i++) { // the pool has 2 connections: see both of them
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT coalesce(current_setting('agentstore.tenant', true), '')")) {
                    rs.next();
                    assertThat(rs.getString(1)).as("tenant setting left on a pooled connection").isEmpty();
                }
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + db.schema() + "\".conversation_session")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isZero();
                }
            }
        }
    }

    @Test
    void the_runtime_role_cannot_switch_the_policies_off() throws SQLException {
        String schema = db.schema();
        try (Connection c = role.connect(); Statement s = c.createStatement()) {
            s.execute("SET row_security = off");
            assertThatThrownBy(() -> s.executeQuery("SELECT count(*) FROM \"" + schema + "\".memory"))
                    .hasMessageContaining("row-level security");
            s.execute("RESET row_security");
            assertThatThrownBy(() -> s.execute("ALTER TABLE \"" + schema + "\".memory DISABLE ROW LEVEL SECURITY"))
                    .hasMessageContaining("must be owner");
            assertThatThrownBy(() -> s.execute("DROP POLICY agentstore_tenant_isolation ON \"" + schema + "\".memory"))
                    .hasMessageContaining("must be owner");
            assertThatThrownBy(() -> s.execute("ALTER ROLE " + role.name + " BYPASSRLS")).hasMessageMatching("(?s).*(permission denied|must be superuser).*");
            assertThatThrownBy(() -> s.execute("SELECT \"" + schema + "\".agentstore_grant_runtime_role('" + role.name + "')"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.execute("CREATE TABLE \"" + schema + "\".side_door (tenant_id text)"))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void granting_refuses_roles_that_would_bypass_the_policies() throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT \"" + db.schema() + "\".agentstore_grant_runtime_role(current_user)")) {
            assertThatThrownBy(ps::execute).hasMessageContaining("bypasses row-level security");
        }
    }

    @Test
    void require_row_level_security_refuses_a_store_whose_role_is_not_bound() {
        assertThatThrownBy(() -> AgentStore.builder().dataSource(db.dataSource()).requireRowLevelSecurity(true).build())
                .isInstanceOf(SchemaValidationException.class)
                .hasMessageContaining("does not enforce the tenant policies for user")
                .hasMessageContaining("superuser or has BYPASSRLS");
        try (AgentStore owner = AgentStore.builder().dataSource(db.dataSource()).build()) {
            assertThat(owner.rowLevelSecurity()).isFalse();
        }
    }
}
