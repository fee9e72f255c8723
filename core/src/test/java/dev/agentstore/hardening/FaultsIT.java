package dev.agentstore.hardening;

import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;
import static dev.agentstore.schema.Tables.CONVERSATION_SESSION;
import static dev.agentstore.schema.Tables.DOCUMENT;
import static dev.agentstore.schema.Tables.DOCUMENT_CHUNK;
import static dev.agentstore.schema.Tables.MEMORY_ENTRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.AgentStoreException;
import dev.agentstore.DatabaseUnavailableException;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.conversation.Session;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.memory.Memory;
import dev.agentstore.memory.MemoryKey;
import dev.agentstore.memory.MemoryScope;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestCluster;
import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.Record2;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults a host meets in production (issue #16): a statement's backend terminated, the database going
 * away in the middle of writes and coming back, the pool running dry. Each ends in a clean agentstore
 * exception, nothing half-written, and the same store instance working afterwards.
 */
@AgentStoreTest(dimension = 3)
class FaultsIT {

    private static final float[] V = {1f, 0f, 0f};

    private TestDatabase db;
    private AgentStore store;

    @BeforeEach
    void open(TestDatabase database) {
        db = database;
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(4)
                .connectionTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static void sql(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Terminates the backend waiting on a lock, once it waits. Waits up to a minute: under a loaded full
     * suite the call may take seconds to reach the lock. Fails at once if the call ended without ever
     * waiting.
     *
     * <p>{@code monitor} must be in auto-commit mode, not the connection holding the locks: PostgreSQL reads
     * the list of sessions behind {@code pg_stat_activity} once per transaction and shows the same list until
     * the transaction ends, so a backend that connected after the first look (a pool connection Hikari opened
     * later, e.g. to replace the terminated one) stays invisible to a poll inside the lock holder's
     * transaction. That made this test flaky in the full suite, where the pool fills more slowly.
     */
    private void terminateTheWaiter(Connection monitor, Future<?> call) throws Exception {
        if (!monitor.getAutoCommit()) {
            throw new IllegalArgumentException("poll pg_stat_activity in auto-commit mode: in a transaction it shows a snapshot");
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            try (Statement s = monitor.createStatement(); var rs = s.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")) {
                if (rs.next() && rs.getBoolean(1)) {
                    return;
                }
            }
            if (call.isDone()) {
                throw new AssertionError("the call ended without waiting on the lock: " + outcome(call));
            }
            Thread.sleep(25);
        }
        StringBuilder seen = new StringBuilder();
        try (Statement s = monitor.createStatement(); var rs = s.executeQuery("SELECT pid, state, wait_event_type, wait_event, "
                + "left(query, 120) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            while (rs.next()) {
                seen.append("\n  ").append(rs.getInt(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getString(3))
                        .append('/').append(rs.getString(4)).append(": ").append(rs.getString(5));
            }
        }
        throw new AssertionError("no statement waited on the lock within a minute; backends:" + seen);
    }

    private static String outcome(Future<?> call) {
        try {
            return "returned " + call.get();
        } catch (Exception e) {
            return "threw " + e;
        }
    }

    @Test
    void a_terminated_statement_ends_in_a_clean_error_writes_nothing_and_the_store_goes_on() throws Exception {
        Memory memory = store.memory("acme");
        MemoryKey key = MemoryKey.of("agent", MemoryScope.agent(), "plan");
        memory.put(key, "{\"step\": 1}");
        Conversations chats = store.conversations("acme");
        Session session = chats.open(NewSession.create());
        chats.addMessage(session.id(), NewMessage.user("first"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection admin = db.connect(); Connection monitor = db.connect()) {
            admin.setAutoCommit(false);
            sql(admin, "SELECT * FROM \"" + db.schema() + "\".memory_entry FOR UPDATE");
            sql(admin, "SELECT * FROM \"" + db.schema() + "\".conversation_session FOR UPDATE");
            Future<?> put = pool.submit(() -> memory.put(key, "{\"step\": 2}"));
            terminateTheWaiter(monitor, put);
            assertThatThrownBy(() -> put.get(1, TimeUnit.MINUTES)).hasCauseInstanceOf(DatabaseUnavailableException.class)
                    .cause().hasMessageContaining("the database connection was lost").hasMessageContaining("57P01");
            Future<?> append = pool.submit(() -> chats.addMessage(session.id(), NewMessage.assistant("second")));
            terminateTheWaiter(monitor, append);
            assertThatThrownBy(() -> append.get(1, TimeUnit.MINUTES)).hasCauseInstanceOf(DatabaseUnavailableException.class);
            admin.rollback();
        } finally {
            pool.shutdownNow();
        }
        assertThat(memory.get(key).version()).as("the terminated put wrote nothing").isEqualTo(1);
        assertThat(chats.getSession(session.id()).messageCount()).as("the terminated append wrote nothing").isEqualTo(1);
        assertThat(memory.put(key, "{\"step\": 2}").version()).as("the same store works afterwards").isEqualTo(2);
        assertThat(chats.addMessage(session.id(), NewMessage.assistant("second")).seq()).isEqualTo(2);
    }

    @Test
    void an_exhausted_pool_names_the_settings_that_fix_it_and_recovers() {
        try (AgentStore small = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(1)
                .connectionTimeout(Duration.ofMillis(250)).build()) {
            Memory memory = small.memory("acme");
            MemoryKey key = MemoryKey.of("agent", MemoryScope.agent(), "k");
            small.dsl().connection(held -> assertThatThrownBy(() -> memory.put(key, "1"))
                    .isInstanceOf(DatabaseUnavailableException.class)
                    .hasMessageContaining("no database connection became free in time")
                    .hasMessageContaining("request timed out after")
                    .hasMessageContaining("total=1, active=1")
                    .hasMessageContaining("poolSize (AGENTSTORE_POOL_SIZE)")
                    .hasMessageContaining("connectionTimeout (AGENTSTORE_CONNECTION_TIMEOUT_MS)"));
            assertThat(memory.put(key, "1").version()).isEqualTo(1);
        }
    }

    /**
     * The database goes away under load and comes back: every backend of the database is terminated
     * (SQLSTATE 57P01, what a fast shutdown or restart sends to each session) and new connections are
     * refused for a second (as while the server restarts), then allowed again.
     */
    @Test
    void writers_survive_the_database_going_away_and_coming_back() throws Exception {
        Writers writers = Writers.start(store);
        Thread.sleep(1_000);
        int before = writers.ok.get();
        try (Connection admin = TestPostgres.shared().connectAdmin()) {
            sql(admin, "ALTER DATABASE " + db.name() + " WITH ALLOW_CONNECTIONS false");
            sql(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db.name()
                    + "' AND pid <> pg_backend_pid()");
            Thread.sleep(1_000);
            sql(admin, "ALTER DATABASE " + db.name() + " WITH ALLOW_CONNECTIONS true");
        }
        Thread.sleep(2_000);
        writers.stop();

        assertThat(before).as("calls succeeded before the outage").isPositive();
        writers.assertCleanFailuresAndNothingHalfWritten(store);
        writers.assertTheSameStoreWorks(store);
    }

    /**
     * A real restart of PostgreSQL, on a cluster of this test's own ({@link TestCluster}): a fast shutdown ends
     * every session, connections are refused for two seconds, then the server starts again on the same data
     * directory and port. Under concurrent chat appends, memory puts and bulk ingests the calls in flight and the
     * calls while it is down fail with a translated {@link DatabaseUnavailableException}; nothing is half-written;
     * and the same store instance, never rebuilt, works again once the server is back.
     */
    @Test
    void the_same_store_recovers_from_a_real_postgresql_restart() throws Exception {
        try (TestCluster cluster = TestCluster.start()) {
            TestDatabase own = cluster.server().createDatabase("agentstore", 3);
            try (AgentStore restarted = AgentStore.builder().jdbcUrl(own.jdbcUrl()).user(own.user()).password(own.password())
                    .poolSize(4).connectionTimeout(Duration.ofSeconds(2)).build()) {
                Writers writers = Writers.start(restarted);
                Thread.sleep(1_000);
                int before = writers.ok.get();
                cluster.stopServer();
                Memory memory = restarted.memory("acme");
                MemoryKey key = MemoryKey.of("agent", MemoryScope.agent(), "while-down");
                assertThatThrownBy(() -> memory.put(key, "1")).as("a call while the server is down")
                        .isInstanceOf(DatabaseUnavailableException.class)
                        .hasMessageMatching("(?s)cannot .*(the database connection was lost or refused|no database connection"
                                + " became free in time).*");
                Thread.sleep(1_000);
                cluster.startServer();
                int atRestart = writers.ok.get();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (writers.ok.get() < atRestart + 10 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                writers.stop();

                assertThat(before).as("calls succeeded before the restart").isPositive();
                assertThat(writers.ok.get()).as("calls succeeded again after the restart, on the same store")
                        .isGreaterThanOrEqualTo(atRestart + 10);
                writers.assertCleanFailuresAndNothingHalfWritten(restarted);
                assertThat(memory.find(key)).as("the refused put wrote nothing").isEmpty();
                writers.assertTheSameStoreWorks(restarted);
            }
        }
    }

    /** Chat appends (two messages per turn), memory puts and bulk ingests, each in a loop of its own. */
    private static final class Writers {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger ok = new AtomicInteger();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final ExecutorService workers = Executors.newFixedThreadPool(3);
        final List<Future<?>> running = new ArrayList<>();
        List<Session> sessions;
        KnowledgeBase kb;

        static Writers start(AgentStore store) {
            Writers w = new Writers();
            Documents docs = store.documents("acme");
            w.kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("kb", 3));
            Conversations chats = store.conversations("acme");
            Memory memory = store.memory("acme");
            w.sessions = List.of(chats.open(NewSession.create()), chats.open(NewSession.create()));
            w.running.add(w.workers.submit(() -> loop(w.stop, w.ok, w.failures, i -> {
                Session s = w.sessions.get(i % 2);
                chats.addMessages(s.id(), List.of(NewMessage.user("question " + i), NewMessage.assistant("answer " + i)));
            })));
            w.running.add(w.workers.submit(() -> loop(w.stop, w.ok, w.failures, i -> memory.put(
                    MemoryKey.of("agent", MemoryScope.agent(), "w" + (i % 5)), "{\"i\": " + i + "}"))));
            w.running.add(w.workers.submit(() -> loop(w.stop, w.ok, w.failures, i -> {
                List<DocumentInput> batch = new ArrayList<>();
                for (int d = 0; d < 20; d++) {
                    batch.add(DocumentInput.of("doc-" + d, List.of("text " + i + " " + d + " a", "text " + i + " " + d + " b")));
                }
                docs.ingestAll(w.kb.id(), batch, texts -> texts.stream().map(t -> new float[] {1f, (float) t.length(), 0.5f}).toList());
            })));
            return w;
        }

        void stop() throws Exception {
            stop.set(true);
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            workers.shutdown();
        }

        /** Every failure a clean agentstore exception; every turn whole; every completed document with all its chunks. */
        void assertCleanFailuresAndNothingHalfWritten(AgentStore store) {
            assertThat(failures).as("the outage was noticed").isNotEmpty();
            assertThat(failures).as("every failure is a clean agentstore exception")
                    .allSatisfy(e -> assertThat(e).isInstanceOf(AgentStoreException.class));
            assertThat(failures.stream().filter(DatabaseUnavailableException.class::isInstance)).isNotEmpty();
            // nothing half-written: every session's messages are 1..n without gaps, n = its last sequence number
            for (Session s : sessions) {
                Record2<Integer, Long> r = store.dsl().select(DSL.count(), DSL.max(CONVERSATION_MESSAGE.SEQ)).from(CONVERSATION_MESSAGE)
                        .where(CONVERSATION_MESSAGE.SESSION_ID.eq(s.id().value())).fetchSingle();
                long last = store.dsl().select(CONVERSATION_SESSION.LAST_SEQ).from(CONVERSATION_SESSION)
                        .where(CONVERSATION_SESSION.ID.eq(s.id().value())).fetchSingle().value1();
                assertThat((long) r.value1()).isEqualTo(last);
                assertThat(r.value1() % 2).as("a turn is both messages or neither").isZero();
            }
            // every completed document has exactly its chunks linked
            Map<String, Integer> links = store.dsl().select(DOCUMENT.SOURCE_URI, DSL.count(DOCUMENT_CHUNK.CHUNK_INDEX))
                    .from(DOCUMENT).leftJoin(DOCUMENT_CHUNK).on(DOCUMENT_CHUNK.DOCUMENT_ID.eq(DOCUMENT.ID))
                    .where(DOCUMENT.STATUS.eq("completed")).groupBy(DOCUMENT.SOURCE_URI)
                    .fetchMap(DOCUMENT.SOURCE_URI, DSL.count(DOCUMENT_CHUNK.CHUNK_INDEX));
            assertThat(links.values()).allSatisfy(n -> assertThat(n).isEqualTo(2));
            assertThat(store.dsl().fetchCount(MEMORY_ENTRY, MEMORY_ENTRY.KEY.startsWith("w"))).isBetween(1, 5);
        }

        void assertTheSameStoreWorks(AgentStore store) {
            Conversations chats = store.conversations("acme");
            assertThat(chats.addMessage(sessions.get(0).id(), NewMessage.user("after")).content()).isEqualTo("after");
            assertThat(store.memory("acme").put(MemoryKey.of("agent", MemoryScope.agent(), "after"), "true").version()).isEqualTo(1);
            assertThat(store.documents("acme").ingest(kb.id(), DocumentInput.of("after", List.of("after text")),
                    texts -> texts.stream().map(t -> V.clone()).toList()).documentId()).isNotNull();
        }
    }

    @FunctionalInterface
    private interface Step {
        void run(int i) throws Exception;
    }

    private static void loop(AtomicBoolean stop, AtomicInteger ok, ConcurrentLinkedQueue<Throwable> failures, Step step) {
        for (int i = 0; !stop.get(); i++) {
            try {
                step.run(i);
                ok.incrementAndGet();
            } catch (Throwable e) {
                failures.add(e);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
