package dev.agentstore.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.Message;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.conversation.Session;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.DocumentStatus;
import dev.agentstore.document.EmbeddingFailedException;
import dev.agentstore.document.EmbeddingFunction;
import dev.agentstore.document.IngestResult;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.memory.MemoryKey;
import dev.agentstore.memory.MemoryScope;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One transaction across agentstore and host code: {@code inTransaction}/{@code useTransaction},
 * nested calls, a host connection joined with {@code joining}, and a host data source that hands out
 * the connection of its own transaction.
 */
@AgentStoreTest(dimension = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionsIT {

    private static final Table<?> AUDIT = DSL.table(DSL.name("public", "host_audit"));
    private static final Field<String> WHAT = DSL.field(DSL.name("what"), String.class);
    private static final EmbeddingFunction EMBED = texts -> texts.stream().map(t -> new float[] {1, t.length(), 0}).toList();

    private TestDatabase db;
    private AgentStore store;
    private KnowledgeBase kb;

    @BeforeAll
    void start(TestDatabase db) throws SQLException {
        this.db = db;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.host_audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, what text NOT NULL)");
        }
        store = AgentStore.builder().dataSource(db.dataSource()).build();
        kb = store.documents("t").createKnowledgeBase(KnowledgeBaseSpec.of("kb", 3));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private List<String> audit(String what) throws SQLException {
        return strings("SELECT what FROM public.host_audit WHERE what = '" + what + "'");
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private List<Long> seqs(Session session) {
        return store.conversations("t").listLastMessages(session.id(), 100).stream().map(Message::seq).toList();
    }

    @Test
    void a_message_and_a_host_row_commit_together() throws SQLException {
        Session session = store.conversations("t").open(NewSession.create());
        String what = unique("commit");

        Message m = store.inTransaction(tx -> {
            Message added = tx.conversations("t").addMessage(session.id(), NewMessage.user("hello"));
            tx.dsl().insertInto(AUDIT).set(WHAT, what).execute();
            return added;
        });

        assertThat(store.conversations("t").getMessage(m.id()).content()).isEqualTo("hello");
        assertThat(audit(what)).containsExactly(what);
    }

    @Test
    void a_checked_exception_rolls_back_agentstore_and_host_writes_and_passes_through() throws SQLException {
        Session session = store.conversations("t").open(NewSession.create());
        String what = unique("rollback");
        IOException failure = new IOException("host failed");

        assertThatThrownBy(() -> store.useTransaction(tx -> {
            tx.conversations("t").addMessage(session.id(), NewMessage.user("lost"));
            tx.memory("t").put(MemoryKey.of("agent", MemoryScope.agent(), what), "{\"a\":1}");
            tx.dsl().insertInto(AUDIT).set(WHAT, what).execute();
            throw failure;
        })).isSameAs(failure);

        assertThat(seqs(session)).isEmpty();
        assertThat(store.memory("t").find(MemoryKey.of("agent", MemoryScope.agent(), what))).isEmpty();
        assertThat(audit(what)).isEmpty();
    }

    @Test
    void sequence_numbers_stay_gapless_when_a_transaction_rolls_back() {
        Conversations chats = store.conversations("t");
        Session session = chats.open(NewSession.create());
        chats.addMessage(session.id(), NewMessage.user("one"));

        assertThatThrownBy(() -> store.useTransaction(tx -> {
            tx.conversations("t").addMessages(session.id(), List.of(NewMessage.user("two"), NewMessage.assistant("three")));
            throw new IllegalStateException("abandon the turn");
        })).hasMessage("abandon the turn");
        store.useTransaction(tx -> tx.conversations("t").addMessage(session.id(), NewMessage.user("two again")));

        assertThat(seqs(session)).containsExactly(1L, 2L);
    }

    @Test
    void a_nested_call_that_fails_undoes_only_its_own_changes() throws SQLException {
        String outer = unique("outer");
        String inner = unique("inner");
        String after = unique("after");

        store.useTransaction(tx -> {
            tx.dsl().insertInto(AUDIT).set(WHAT, outer).execute();
            assertThatThrownBy(() -> tx.useTransaction(nested -> {
                nested.dsl().insertInto(AUDIT).set(WHAT, inner).execute();
                throw new IllegalArgumentException("inner fails");
            })).hasMessage("inner fails");
            tx.dsl().insertInto(AUDIT).set(WHAT, after).execute();
        });

        assertThat(audit(outer)).hasSize(1);
        assertThat(audit(inner)).isEmpty();
        assertThat(audit(after)).hasSize(1);
    }

    @Test
    void a_nested_call_that_succeeds_rolls_back_with_its_outer_transaction() throws SQLException {
        String inner = unique("inner-ok");

        assertThatThrownBy(() -> store.useTransaction(tx -> {
            tx.useTransaction(nested -> nested.dsl().insertInto(AUDIT).set(WHAT, inner).execute());
            throw new IllegalStateException("outer fails");
        })).hasMessage("outer fails");

        assertThat(audit(inner)).isEmpty();
    }

    @Test
    void a_document_ingested_in_a_transaction_is_complete_on_commit_and_absent_on_rollback() throws SQLException {
        String kept = unique("file:///kept");
        String dropped = unique("file:///dropped");

        IngestResult r = store.inTransaction(tx -> tx.documents("t").ingest(kb.id(), DocumentInput.of(kept, List.of("a", "bb", "ccc")), EMBED));
        assertThatThrownBy(() -> store.useTransaction(tx -> {
            tx.documents("t").ingest(kb.id(), DocumentInput.of(dropped, List.of("dddd", "eeeee")), EMBED);
            throw new IllegalStateException("host changed its mind");
        })).hasMessage("host changed its mind");

        assertThat(store.documents("t").listChunks(r.documentId())).hasSize(3);
        assertThat(store.documents("t").getDocument(r.documentId()).status()).isEqualTo(DocumentStatus.COMPLETED);
        assertThat(store.documents("t").findDocument(kb.id(), dropped)).isEmpty();
    }

    @Test
    void a_failed_ingest_caught_inside_the_transaction_leaves_no_half_document_behind() throws SQLException {
        String uri = unique("file:///failing");
        String what = unique("after-failed-ingest");
        EmbeddingFunction failing = texts -> {
            throw new IOException("model down");
        };

        store.useTransaction(tx -> {
            assertThatThrownBy(() -> tx.documents("t").ingest(kb.id(), DocumentInput.of(uri, List.of("x", "y")), failing))
                    .isInstanceOf(EmbeddingFailedException.class);
            tx.dsl().insertInto(AUDIT).set(WHAT, what).execute();
        });

        assertThat(audit(what)).hasSize(1);
        // at most a FAILED record of the attempt, never a document with chunks
        store.documents("t").findDocument(kb.id(), uri).ifPresent(d -> {
            assertThat(d.status()).isNotEqualTo(DocumentStatus.COMPLETED);
            assertThat(store.documents("t").listChunks(d.id())).isEmpty();
        });
    }

    @Test
    void a_joined_host_connection_is_never_committed_or_closed_by_agentstore() throws SQLException {
        Session session = store.conversations("t").open(NewSession.create());
        String what = unique("joined");
        try (Connection host = db.connect()) {
            host.setAutoCommit(false);
            AgentStore joined = store.joining(host);

            joined.conversations("t").addMessage(session.id(), NewMessage.user("in the host's transaction"));
            joined.documents("t").ingest(kb.id(), DocumentInput.of(unique("file:///joined"), List.of("j1")), EMBED);
            joined.dsl().insertInto(AUDIT).set(WHAT, what).execute();

            assertThat(seqs(session)).as("not visible before the host commits").isEmpty();
            assertThat(host.isClosed()).isFalse();
            assertThat(host.getAutoCommit()).isFalse();
            host.rollback();
        }
        assertThat(seqs(session)).isEmpty();
        assertThat(audit(what)).isEmpty();
    }

    @Test
    void a_data_source_handing_out_the_hosts_transaction_connection_makes_every_call_join_it() throws SQLException {
        String what = unique("proxied");
        try (Connection host = db.connect()) {
            host.setAutoCommit(false);
            try (AgentStore proxied = AgentStore.builder().dataSource(transactionBound(host))
                    .embeddingDimension(3).validateOnStart(false).build()) {
                Session session = proxied.conversations("t").open(NewSession.create());
                proxied.conversations("t").addMessage(session.id(), NewMessage.user("joins"));
                proxied.documents("t").ingest(kb.id(), DocumentInput.of(unique("file:///proxied"), List.of("p1", "p2")), EMBED);
                proxied.useTransaction(tx -> tx.dsl().insertInto(AUDIT).set(WHAT, what).execute());

                assertThat(audit(what)).as("nothing committed behind the host's back").isEmpty();
                host.commit();
                assertThat(seqs(session)).containsExactly(1L);
                assertThat(audit(what)).hasSize(1);
            }
        }
    }

    @Test
    void the_transaction_store_refuses_work_after_the_transaction_ended() {
        AgentStore[] leaked = new AgentStore[1];
        Conversations chats = store.inTransaction(tx -> {
            leaked[0] = tx;
            return tx.conversations("t");
        });

        assertThatThrownBy(() -> chats.open(NewSession.create()))
                .hasStackTraceContaining("this transaction has ended");
        assertThatThrownBy(() -> leaked[0].dsl().selectOne().fetch())
                .hasStackTraceContaining("use the store itself afterwards");
    }

    /** What Spring's TransactionAwareDataSourceProxy does: every connection is the host transaction's, close is a no-op. */
    private static DataSource transactionBound(Connection host) {
        Connection handle = (Connection) Proxy.newProxyInstance(TransactionsIT.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> null;
                    case "isClosed" -> false;
                    default -> {
                        try {
                            yield method.invoke(host, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                });
        return new DataSource() {
            @Override
            public Connection getConnection() {
                return handle;
            }

            @Override
            public Connection getConnection(String user, String password) {
                return handle;
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {
            }

            @Override
            public void setLoginTimeout(int seconds) {
            }

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public Logger getParentLogger() {
                return Logger.getGlobal();
            }

            @Override
            public <T> T unwrap(Class<T> iface) throws SQLException {
                throw new SQLException("not a wrapper");
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }
}
