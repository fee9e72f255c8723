package dev.agentstore.benchmarks;

import dev.agentstore.AgentStore;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.HistoricMessage;
import dev.agentstore.conversation.ImportResult;
import dev.agentstore.conversation.ImportedSession;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.conversation.SessionId;
import dev.agentstore.lifecycle.ErasureResult;
import dev.agentstore.testkit.TestDatabase;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Data lifecycle, two measurements.
 *
 * <p><b>Import</b>: {@code history().importSessions} of N messages (sessions of 100 messages with
 * original timestamps, roles alternating, tokens on the answers) into an empty tenant, against the
 * same rows written by hand in the same run: one multi-row INSERT of the sessions and one binary
 * {@code COPY} of the messages, one transaction. Rounds alternate between the two, each into a tenant
 * of its own; the median is reported as rows/s (messages + sessions). Then the agentstore import runs
 * again over the same input: it must write 0 rows (checked by the tenant's row count and the newest
 * row version, {@code xmin}, staying unchanged).
 *
 * <p><b>Erasure</b>: {@code erasure(tenant).eraseUser} of a user with 10,000 messages (100 sessions)
 * and 1,000 semantic memories, among 1,000,000 rows of other users in the same tenant (sessions,
 * messages, memories, key/value entries), while another thread keeps appending messages to other
 * users' sessions. Reports the erasure's wall time, its number of transactions, the longest of them
 * (the upper bound of any lock it held), and the appender's worst latency meanwhile.
 */
final class LifecycleBenchmark implements Benchmark {

    private static final int MESSAGES_PER_SESSION = 100;
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Override
    public String name() {
        return "lifecycle";
    }

    @Override
    public void run(BenchEnv env) throws Exception {
        TestDatabase db = env.database(3);
        try (AgentStore store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password())
                .poolSize(4).build()) {
            importBenchmark(env, db, store);
            erasureBenchmark(env, db, store);
        }
    }

    // ------------------------------------------------------------------------------------------ import

    private void importBenchmark(BenchEnv env, TestDatabase db, AgentStore store) throws Exception {
        int messages = env.size(2_000, 100_000);
        int rounds = env.size(2, 3);
        int sessions = messages / MESSAGES_PER_SESSION;
        List<ImportedSession> input = new ArrayList<>(sessions);
        for (int s = 0; s < sessions; s++) {
            List<HistoricMessage> list = new ArrayList<>(MESSAGES_PER_SESSION);
            Instant start = T0.plus(s, ChronoUnit.MINUTES);
            for (int m = 0; m < MESSAGES_PER_SESSION; m++) {
                NewMessage msg = m % 2 == 0 ? NewMessage.user(question(s, m)) : NewMessage.assistant(answer(s, m)).withTokens(800, 90);
                list.add(HistoricMessage.of(msg, start.plusMillis(1_000L * m)));
            }
            input.add(ImportedSession.of("legacy-" + s, NewSession.of("user-" + (s % 50), "bot"), list));
        }
        long rows = messages + sessions;
        // warm-up on a tenant of its own
        store.conversations("warm").history().importSessions(input.subList(0, Math.min(5, sessions)));
        handWritten(db, store.schema(), "warm-copy", input.subList(0, Math.min(5, sessions)));

        double[] ours = new double[rounds];
        double[] theirs = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            String a = "import-" + r;
            String b = "copy-" + r;
            if (r % 2 == 0) {
                ours[r] = rows / seconds(() -> store.conversations(a).history().importSessions(input));
                theirs[r] = rows / seconds(() -> handWritten(db, store.schema(), b, input));
            } else {
                theirs[r] = rows / seconds(() -> handWritten(db, store.schema(), b, input));
                ours[r] = rows / seconds(() -> store.conversations(a).history().importSessions(input));
            }
        }
        double o = median(ours);
        double t = median(theirs);
        env.out().printf("import of %,d messages in %,d sessions (%d per session), median of %d rounds%n", messages, sessions,
                MESSAGES_PER_SESSION, rounds);
        env.out().printf("%-34s %14s%n", "", "rows/s");
        env.out().printf("%-34s %,14.0f%n", "agentstore importSessions", o);
        env.out().printf("%-34s %,14.0f%n", "hand-written INSERT + COPY", t);
        env.out().printf("agentstore / hand-written: %.2fx%n", o / t);

        String tenant = "import-0";
        long rowsBefore = tenantRows(db, store.schema(), tenant);
        long xminBefore = newestXmin(db, store.schema(), tenant);
        long t0 = System.nanoTime();
        ImportResult again = store.conversations(tenant).history().importSessions(input);
        double took = (System.nanoTime() - t0) / 1e6;
        long written = tenantRows(db, store.schema(), tenant) - rowsBefore;
        boolean rewritten = newestXmin(db, store.schema(), tenant) != xminBefore;
        env.out().printf("re-import: %d sessions created, %d messages inserted, %d rows added, rows rewritten: %s, %.0f ms%n",
                again.sessionsCreated(), again.messagesInserted(), written, rewritten ? "yes" : "no", took);
    }

    /** The same rows written by hand: sessions with one multi-row INSERT, messages with one binary COPY. */
    private static ImportResult handWritten(TestDatabase db, String schema, String tenant, List<ImportedSession> input)
            throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            c.setAutoCommit(false);
            List<UUID> ids = new ArrayList<>(input.size());
            StringBuilder sql = new StringBuilder("INSERT INTO " + schema + ".conversation_session (tenant_id, id, host_key, "
                    + "user_id, agent_id, last_seq, last_activity_at, created_at, updated_at) VALUES ");
            for (int i = 0; i < input.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, now())");
            }
            try (var ps = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (ImportedSession s : input) {
                    UUID id = UUID.randomUUID();
                    ids.add(id);
                    List<HistoricMessage> m = s.messages();
                    ps.setString(p++, tenant);
                    ps.setObject(p++, id);
                    ps.setString(p++, s.hostKey());
                    ps.setString(p++, s.session().userId());
                    ps.setString(p++, s.session().agentId());
                    ps.setLong(p++, m.size());
                    ps.setObject(p++, m.get(m.size() - 1).createdAt().atOffset(java.time.ZoneOffset.UTC));
                    ps.setObject(p++, m.get(0).createdAt().atOffset(java.time.ZoneOffset.UTC));
                }
                ps.executeUpdate();
            }
            String copy = "COPY " + schema + ".conversation_message (tenant_id, id, session_id, seq, role, content, sources, "
                    + "input_tokens, output_tokens, metadata, created_at) FROM STDIN (FORMAT binary)";
            long epochMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse("2000-01-01T00:00:00Z"));
            try (PGCopyOutputStream stream = new PGCopyOutputStream(c.unwrap(PGConnection.class), copy, 1 << 16)) {
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 16));
                out.write(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0});
                out.writeInt(0);
                out.writeInt(0);
                for (int i = 0; i < input.size(); i++) {
                    List<HistoricMessage> messages = input.get(i).messages();
                    for (int k = 0; k < messages.size(); k++) {
                        HistoricMessage h = messages.get(k);
                        out.writeShort(11);
                        text(out, tenant);
                        uuid(out, UUID.randomUUID());
                        uuid(out, ids.get(i));
                        out.writeInt(8);
                        out.writeLong(k + 1);
                        text(out, h.message().role().name().toLowerCase(java.util.Locale.ROOT));
                        text(out, h.message().content());
                        jsonb(out, "[]");
                        int4(out, h.message().inputTokens());
                        int4(out, h.message().outputTokens());
                        jsonb(out, "{}");
                        out.writeInt(8);
                        out.writeLong(ChronoUnit.MICROS.between(Instant.EPOCH, h.createdAt()) - epochMicros);
                    }
                }
                out.writeShort(-1);
                out.flush();
                stream.endCopy();
            }
            c.commit();
        }
        return null;
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static void jsonb(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length + 1);
        out.writeByte(1);
        out.write(b);
    }

    private static void int4(DataOutputStream out, Integer v) throws IOException {
        if (v == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(4);
            out.writeInt(v);
        }
    }

    private static void uuid(DataOutputStream out, UUID id) throws IOException {
        out.writeInt(16);
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static long tenantRows(TestDatabase db, String schema, String tenant) throws SQLException {
        return queryLong(db, "SELECT (SELECT count(*) FROM " + schema + ".conversation_session WHERE tenant_id = '" + tenant
                + "') + (SELECT count(*) FROM " + schema + ".conversation_message WHERE tenant_id = '" + tenant + "')");
    }

    private static long newestXmin(TestDatabase db, String schema, String tenant) throws SQLException {
        return queryLong(db, "SELECT greatest((SELECT max(xmin::text::bigint) FROM " + schema + ".conversation_session WHERE tenant_id = '"
                + tenant + "'), (SELECT max(xmin::text::bigint) FROM " + schema + ".conversation_message WHERE tenant_id = '"
                + tenant + "'))");
    }

    // ------------------------------------------------------------------------------------------ erasure

    private void erasureBenchmark(BenchEnv env, TestDatabase db, AgentStore store) throws Exception {
        int others = env.size(20_000, 1_000_000);
        int userMessages = env.size(1_000, 10_000);
        int userMemories = env.size(100, 1_000);
        String tenant = "erase";
        String schema = store.schema();
        // the others: 94% messages in sessions of 100, 4% memories, the rest sessions and key/value entries
        int otherMessages = others * 94 / 100;
        int otherSessions = otherMessages / MESSAGES_PER_SESSION;
        int otherMemories = others * 4 / 100;
        int otherEntries = others - otherMessages - otherSessions - otherMemories;
        long load0 = System.nanoTime();
        List<UUID> otherSessionIds = loadSessions(db, schema, tenant, "other", otherSessions, 500);
        loadMemories(db, schema, tenant, "other", otherMemories, 500);
        loadEntries(db, schema, tenant, otherEntries, 500);
        loadSessions(db, schema, tenant, "erased-user", userMessages / MESSAGES_PER_SESSION, 1);
        loadMemories(db, schema, tenant, "erased-user", userMemories, 1);
        execute(db, "ANALYZE");
        long total = queryLong(db, "SELECT (SELECT count(*) FROM " + schema + ".conversation_session) + (SELECT count(*) FROM "
                + schema + ".conversation_message) + (SELECT count(*) FROM " + schema + ".memory) + (SELECT count(*) FROM "
                + schema + ".memory_entry)");
        env.out().printf("%nerasure: user with %,d messages and %,d memories among %,d rows of others (%,d rows in the 4 tables;"
                + " loaded in %.0f s)%n", userMessages, userMemories, others, total, (System.nanoTime() - load0) / 1e9);

        Conversations chats = store.conversations(tenant);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService appender = Executors.newSingleThreadExecutor();
        Future<Stats> appends = appender.submit(() -> {
            Stats latency = new Stats(1_000_000);
            int i = 0;
            while (!stop.get() && latency.count() < 1_000_000) {
                SessionId s = SessionId.of(otherSessionIds.get(i++ % otherSessionIds.size()));
                long t0 = System.nanoTime();
                chats.addMessage(s, NewMessage.user("still here " + i));
                latency.add(System.nanoTime() - t0);
            }
            return latency;
        });
        Thread.sleep(300);
        ErasureResult r = store.erasure(tenant).eraseUser("erased-user");
        stop.set(true);
        Stats appendLatency = appends.get();
        appender.shutdown();
        long left = queryLong(db, "SELECT (SELECT count(*) FROM " + schema + ".conversation_session WHERE user_id = 'erased-user')"
                + " + (SELECT count(*) FROM " + schema + ".memory WHERE user_id = 'erased-user')");
        env.out().printf("eraseUser (batch <= %d rows, aiming at <= %d ms per transaction): %.2f s, %d transactions, longest transaction "
                + "%.1f ms, rows deleted %s, rows of the user left: %d%n", store.erasure(tenant).batchSize(),
                store.erasure(tenant).maxTransactionTime().toMillis(), r.took().toNanos() / 1e9, r.transactions(),
                r.longestTransaction().toNanos() / 1e6, r.deleted(), left);
        env.out().printf("concurrent appends of other users meanwhile: %s, p99 %.1f ms, max %.1f ms%n", appendLatency.summary(),
                appendLatency.percentileMillis(99), appendLatency.percentileMillis(100));
        ErasureResult again = store.erasure(tenant).eraseUser("erased-user");
        env.out().printf("erasing again: %d rows, %.0f ms%n", again.total(), again.took().toNanos() / 1e6);
    }

    /** Sessions of 100 messages each for users "prefix-0".. (10 sessions per user), loaded with COPY; returns their ids. */
    private static List<UUID> loadSessions(TestDatabase db, String schema, String tenant, String prefix, int sessions,
            int users) throws SQLException, IOException {
        List<UUID> ids = new ArrayList<>(sessions);
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < sessions; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                String user = users == 1 ? prefix : prefix + "-" + (i % users);
                s.append(tenant).append('\t').append(id).append('\t').append(user).append("\tbot\t")
                        .append(MESSAGES_PER_SESSION).append('\n');
            }
            copy.copyIn("COPY " + schema + ".conversation_session (tenant_id, id, user_id, agent_id, last_seq) FROM STDIN",
                    new StringReader(s.toString()));
            for (int from = 0; from < sessions; from += 100) {
                StringBuilder m = new StringBuilder();
                for (int i = from; i < Math.min(sessions, from + 100); i++) {
                    for (int k = 1; k <= MESSAGES_PER_SESSION; k++) {
                        m.append(tenant).append('\t').append(ids.get(i)).append('\t').append(k).append('\t')
                                .append(k % 2 == 1 ? "user" : "assistant").append('\t').append(question(i, k)).append('\n');
                    }
                }
                copy.copyIn("COPY " + schema + ".conversation_message (tenant_id, session_id, seq, role, content) FROM STDIN",
                        new StringReader(m.toString()));
            }
        }
        return ids;
    }

    private static void loadMemories(TestDatabase db, String schema, String tenant, String prefix, int memories, int users)
            throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder s = new StringBuilder();
            HexFormat hex = HexFormat.of();
            for (int i = 0; i < memories; i++) {
                String user = users == 1 ? prefix : prefix + "-" + (i % users);
                byte[] hash = new byte[32];
                UUID u = UUID.randomUUID();
                java.nio.ByteBuffer.wrap(hash).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
                s.append(tenant).append("\tbot\t").append(user).append("\tfact\tmemory ").append(i).append(" of ").append(user)
                        .append("\t\\\\x").append(hex.formatHex(hash)).append("\t[").append(1 + i % 7).append(',')
                        .append(i % 5).append(",1]\n");
            }
            copy.copyIn("COPY " + schema + ".memory (tenant_id, agent_id, user_id, kind, content, content_hash, embedding) FROM STDIN",
                    new StringReader(s.toString()));
        }
    }

    private static void loadEntries(TestDatabase db, String schema, String tenant, int entries, int users)
            throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < entries; i++) {
                s.append(tenant).append("\tbot\tuser\tother-").append(i % users).append("\tkey-").append(i).append("\t{}\n");
            }
            copy.copyIn("COPY " + schema + ".memory_entry (tenant_id, agent_id, scope, scope_id, key, value) FROM STDIN",
                    new StringReader(s.toString()));
        }
    }

    // ------------------------------------------------------------------------------------------

    private static String question(int s, int m) {
        return "Message " + m + " of conversation " + s + ": how do I change the delivery address of my last order?";
    }

    private static String answer(int s, int m) {
        return "Answer " + m + " of conversation " + s + ": open Orders, choose the order, then Change address; "
                + "this works until the parcel has been handed to the carrier.";
    }

    private interface Work {
        Object run() throws Exception;
    }

    private static double seconds(Work work) throws Exception {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void execute(TestDatabase db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long queryLong(TestDatabase db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
