package dev.agentstore.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentstore.AgentStore;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.Feedback;
import dev.agentstore.conversation.Message;
import dev.agentstore.conversation.MessageId;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.Rating;
import dev.agentstore.conversation.Role;
import dev.agentstore.conversation.SessionId;
import dev.agentstore.conversation.Source;
import dev.agentstore.document.ChunkId;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * A chat turn = append the user's message + append the assistant's answer (two sources, response
 * time, tokens, model) + read the last 20 messages, each thread in a session of its own that already
 * holds 20 messages. Measured as turns per second with 1 and 8 threads, through agentstore and through
 * the same statements hand-written over plain JDBC: both on a HikariCP pool of 8 connections to the
 * same database, one statement (auto-commit) per append and per read, results mapped to the same
 * {@link Message} records (JSON parsed with Jackson). Rounds alternate between the two so that
 * background load hits both alike; the median round is reported.
 */
final class ConversationsBenchmark implements Benchmark {

    private static final String TENANT = "bench";
    private static final int WINDOW = 20;
    private static final int POOL_SIZE = 8;

    @Override
    public String name() {
        return "conversations";
    }

    /** One way of running a chat turn in a session. */
    private interface Turn {
        void run(SessionId session, int i) throws Exception;
    }

    @Override
    public void run(BenchEnv env) throws Exception {
        TestDatabase db = env.database(3);
        int rounds = env.size(2, 5);
        int turnsPerThreadSingle = env.size(60, 1500);
        int turnsPerThreadMulti = env.size(25, 500);
        List<Source> sources = List.of(
                new Source("https://docs.example.com/billing/refunds", "Refunds", ChunkId.of(UUID.randomUUID()), 0.83),
                new Source("https://docs.example.com/billing/invoices", "Invoices", ChunkId.of(UUID.randomUUID()), 0.79));
        String question = "Why was I charged twice for my subscription this month, and how do I get the money back?";
        String answer = "You were charged twice because the renewal ran once before and once after the plan change. "
                + "The second charge is refunded automatically within five working days; you can also request it "
                + "under Billing > Refunds.";

        try (AgentStore store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password())
                .poolSize(POOL_SIZE).build();
                HikariDataSource plainPool = pool(db)) {
            Conversations chats = store.conversations(TENANT);
            PlainJdbc plain = new PlainJdbc(plainPool, store.schema());
            Turn viaAgentstore = (session, i) -> {
                chats.addMessage(session, NewMessage.user(question));
                chats.addMessage(session, NewMessage.assistant(answer).withSources(sources)
                        .withResponseTime(Duration.ofMillis(700 + i % 300)).withTokens(812, 96).withModel("gpt-4o"));
                List<Message> window = chats.listLastMessages(session, WINDOW);
                if (window.size() != WINDOW) {
                    throw new IllegalStateException("expected " + WINDOW + " messages, got " + window.size());
                }
            };
            Turn viaJdbc = (session, i) -> {
                plain.append(session, Role.USER, question, List.of(), null, null, null, null);
                plain.append(session, Role.ASSISTANT, answer, sources, 700L + i % 300, 812, 96, "gpt-4o");
                List<Message> window = plain.lastMessages(session, WINDOW);
                if (window.size() != WINDOW) {
                    throw new IllegalStateException("expected " + WINDOW + " messages, got " + window.size());
                }
            };

            env.out().println("chat turn = append user message + append assistant message (2 sources, tokens, response time)"
                    + " + read last " + WINDOW + "; HikariCP pool of " + POOL_SIZE + " for both; median of " + rounds + " rounds");
            env.out().printf("%-8s %22s %22s %8s%n", "threads", "agentstore turns/s", "plain JDBC turns/s", "ratio");
            for (int threads : new int[] {1, 8}) {
                int turns = threads == 1 ? turnsPerThreadSingle : turnsPerThreadMulti;
                List<SessionId> sessions = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    SessionId s = chats.open("user-" + t, "bench-bot").id();
                    List<NewMessage> history = new ArrayList<>();
                    for (int k = 0; k < WINDOW / 2; k++) {
                        history.add(NewMessage.user(question));
                        history.add(NewMessage.assistant(answer).withSources(sources).withTokens(812, 96));
                    }
                    chats.addMessages(s, history);
                    sessions.add(s);
                }
                // warm-up: JIT, prepared statements on every pooled connection
                measure(viaAgentstore, sessions, Math.max(10, turns / 5));
                measure(viaJdbc, sessions, Math.max(10, turns / 5));
                double[] ours = new double[rounds];
                double[] theirs = new double[rounds];
                Stats oursLatency = new Stats(rounds * threads * turns);
                Stats theirsLatency = new Stats(rounds * threads * turns);
                for (int r = 0; r < rounds; r++) {
                    if (r % 2 == 0) {
                        ours[r] = measure(viaAgentstore, sessions, turns, oursLatency);
                        theirs[r] = measure(viaJdbc, sessions, turns, theirsLatency);
                    } else {
                        theirs[r] = measure(viaJdbc, sessions, turns, theirsLatency);
                        ours[r] = measure(viaAgentstore, sessions, turns, oursLatency);
                    }
                }
                double a = median(ours);
                double j = median(theirs);
                env.out().printf("%-8d %22.0f %22.0f %7.2fx%n", threads, a, j, j / a);
                env.out().printf("  turn latency agentstore: %s%n", oursLatency.summary());
                env.out().printf("  turn latency plain JDBC: %s%n", theirsLatency.summary());
            }
            env.out().println("ratio = plain JDBC turns/s / agentstore turns/s (1.00x = as fast as hand-written JDBC; target <= 1.20x)");
        }
    }

    private static HikariDataSource pool(TestDatabase db) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(POOL_SIZE);
        config.setPoolName("plain-jdbc");
        return new HikariDataSource(config);
    }

    private static double measure(Turn turn, List<SessionId> sessions, int turnsPerThread) throws Exception {
        return measure(turn, sessions, turnsPerThread, null);
    }

    /** Turns per second with one thread per session. */
    private static double measure(Turn turn, List<SessionId> sessions, int turnsPerThread, Stats latency) throws Exception {
        int threads = sessions.size();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<long[]>> futures = new ArrayList<>();
            for (SessionId session : sessions) {
                futures.add(pool.submit(() -> {
                    long[] nanos = new long[turnsPerThread];
                    ready.countDown();
                    go.await();
                    for (int i = 0; i < turnsPerThread; i++) {
                        long start = System.nanoTime();
                        turn.run(session, i);
                        nanos[i] = System.nanoTime() - start;
                    }
                    return nanos;
                }));
            }
            ready.await();
            long start = System.nanoTime();
            go.countDown();
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> f : futures) {
                all.add(f.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (latency != null) {
                synchronized (latency) {
                    for (long[] nanos : all) {
                        for (long n : nanos) {
                            latency.add(n);
                        }
                    }
                }
            }
            return threads * (double) turnsPerThread / seconds;
        } finally {
            pool.shutdownNow();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The same statements as agentstore, written by hand: what a team would write without the library. */
    static final class PlainJdbc {

        private final DataSource dataSource;
        private final ObjectMapper json = new ObjectMapper();
        private final String append;
        private final String lastMessages;

        PlainJdbc(DataSource dataSource, String schema) {
            this.dataSource = dataSource;
            this.append = "WITH taken AS (UPDATE " + schema + ".conversation_session"
                    + " SET last_seq = last_seq + 1, last_activity_at = GREATEST(last_activity_at, ?),"
                    + " updated_at = GREATEST(updated_at, ?) WHERE tenant_id = ? AND id = ? RETURNING last_seq)"
                    + " INSERT INTO " + schema + ".conversation_message (tenant_id, session_id, seq, role, content, sources,"
                    + " response_time_ms, input_tokens, output_tokens, model, metadata, created_at)"
                    + " SELECT ?, ?, last_seq, ?, ?, ?::jsonb, ?, ?, ?, ?, ?::jsonb, ? FROM taken RETURNING id, seq";
            this.lastMessages = "SELECT tenant_id, id, session_id, seq, role, content, sources, response_time_ms, input_tokens,"
                    + " output_tokens, model, metadata, feedback, feedback_comment, feedback_at, created_at"
                    + " FROM " + schema + ".conversation_message WHERE tenant_id = ? AND session_id = ?"
                    + " ORDER BY seq DESC LIMIT ?";
        }

        Message append(SessionId session, Role role, String content, List<Source> sources, Long responseTimeMs,
                Integer inputTokens, Integer outputTokens, String model) throws Exception {
            OffsetDateTime now = OffsetDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
            List<Map<String, Object>> sourceList = new ArrayList<>();
            for (Source s : sources) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("uri", s.uri());
                m.put("title", s.title());
                m.put("chunkId", s.chunkId().toString());
                m.put("score", s.score());
                sourceList.add(m);
            }
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(append)) {
                ps.setObject(1, now);
                ps.setObject(2, now);
                ps.setString(3, TENANT);
                ps.setObject(4, session.value());
                ps.setString(5, TENANT);
                ps.setObject(6, session.value());
                ps.setString(7, role.name().toLowerCase(java.util.Locale.ROOT));
                ps.setString(8, content);
                ps.setString(9, sourceList.isEmpty() ? "[]" : json.writeValueAsString(sourceList));
                setNullable(ps, 10, responseTimeMs, Types.BIGINT);
                setNullable(ps, 11, inputTokens, Types.INTEGER);
                setNullable(ps, 12, outputTokens, Types.INTEGER);
                ps.setString(13, model);
                ps.setString(14, "{}");
                ps.setObject(15, now);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no session " + session);
                    }
                    return new Message(MessageId.of(rs.getObject(1, UUID.class)), session, rs.getLong(2), role, content,
                            sources, responseTimeMs == null ? null : Duration.ofMillis(responseTimeMs), inputTokens,
                            outputTokens, model, Map.of(), null, now.toInstant());
                }
            }
        }

        private static void setNullable(PreparedStatement ps, int index, Object value, int type) throws SQLException {
            if (value == null) {
                ps.setNull(index, type);
            } else {
                ps.setObject(index, value);
            }
        }

        @SuppressWarnings("unchecked")
        List<Message> lastMessages(SessionId session, int count) throws Exception {
            List<Message> newestFirst = new ArrayList<>(count);
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(lastMessages)) {
                ps.setString(1, TENANT);
                ps.setObject(2, session.value());
                ps.setInt(3, count);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String sourcesJson = rs.getString(7);
                        List<Source> sources = new ArrayList<>();
                        if (!sourcesJson.equals("[]")) {
                            for (Map<String, Object> m : (List<Map<String, Object>>) json.readValue(sourcesJson, List.class)) {
                                Object chunk = m.get("chunkId");
                                Object score = m.get("score");
                                sources.add(new Source((String) m.get("uri"), (String) m.get("title"),
                                        chunk == null ? null : ChunkId.parse(chunk.toString()),
                                        score == null ? null : ((Number) score).doubleValue()));
                            }
                        }
                        String metadataJson = rs.getString(12);
                        Map<String, Object> metadata = metadataJson.equals("{}") ? Map.of() : json.readValue(metadataJson, Map.class);
                        long ms = rs.getLong(8);
                        Duration responseTime = rs.wasNull() ? null : Duration.ofMillis(ms);
                        Integer in = (Integer) rs.getObject(9);
                        Integer out = (Integer) rs.getObject(10);
                        short score = rs.getShort(13);
                        Feedback feedback = rs.wasNull() ? null : new Feedback(score == 1 ? Rating.UP : Rating.DOWN,
                                rs.getString(14), rs.getObject(15, OffsetDateTime.class).toInstant());
                        newestFirst.add(new Message(MessageId.of(rs.getObject(2, UUID.class)),
                                SessionId.of(rs.getObject(3, UUID.class)), rs.getLong(4),
                                Role.valueOf(rs.getString(5).toUpperCase(java.util.Locale.ROOT)), rs.getString(6), sources,
                                responseTime, in, out, rs.getString(11), metadata, feedback,
                                rs.getObject(16, OffsetDateTime.class).toInstant()));
                    }
                }
            }
            Collections.reverse(newestFirst);
            return newestFirst;
        }
    }
}
