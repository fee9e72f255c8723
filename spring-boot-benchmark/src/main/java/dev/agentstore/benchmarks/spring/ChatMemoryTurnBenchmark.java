package dev.agentstore.benchmarks.spring;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentstore.AgentStore;
import dev.agentstore.spring.ai.AgentStoreChatMemoryRepository;
import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.memory.repository.jdbc.JdbcChatMemoryRepository;
import org.springframework.ai.chat.memory.repository.jdbc.PostgresChatMemoryRepositoryDialect;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * One chat turn through {@link MessageWindowChatMemory}, as Spring AI's
 * memory advisor does it: read the window, add the user message, add the answer (windows of 20 and 100). agentstore's
 * {@link AgentStoreChatMemoryRepository} against Spring AI's {@link JdbcChatMemoryRepository}, each on a
 * fresh database of the same server, in the same run. Reports the latency per turn and the table rows
 * written per turn in the steady state (window full), counted by row triggers in a second phase.
 */
public final class ChatMemoryTurnBenchmark {

    /** Untimed turns on another conversation first, so that neither repository pays the JIT's warm-up. */
    static final int WARM_UP_TURNS = 150;

    private ChatMemoryTurnBenchmark() {
    }

    /** One repository's result. */
    public record Result(String repository, int window, int turns, double p50Millis, double meanMillis,
            Map<String, Double> rowsPerTurn) {
    }

    /** Runs 300 timed turns and 50 counted turns per repository, with windows of 20 and 100 messages. */
    public static void main(String[] args) {
        for (int window : new int[] {20, 100}) {
            for (Result r : run(300, 50, window)) {
                System.out.printf("%-32s %d turns, window %d: p50 %.2f ms, mean %.2f ms per turn; rows written per turn: %s%n",
                        r.repository(), r.turns(), r.window(), r.p50Millis(), r.meanMillis(), r.rowsPerTurn());
            }
        }
    }

    /** agentstore first, then JDBC. */
    public static List<Result> run(int timedTurns, int countedTurns, int window) {
        List<Result> out = new ArrayList<>();
        TestPostgres server = TestPostgres.shared();
        TestDatabase a = server.createEmptyDatabase();
        try (HikariDataSource ds = pool(a);
                AgentStore store = AgentStore.builder().dataSource(ds).migrateOnStart(true).embeddingDimension(4).build()) {
            out.add(measure("AgentStoreChatMemoryRepository", AgentStoreChatMemoryRepository.builder(store).build(), ds,
                    List.of("agentstore.conversation_message", "agentstore.memory_entry", "agentstore.conversation_session"),
                    timedTurns, countedTurns, window));
        }
        TestDatabase j = server.createEmptyDatabase();
        try (HikariDataSource ds = pool(j)) {
            new ResourceDatabasePopulator(new ClassPathResource(
                    "org/springframework/ai/chat/memory/repository/jdbc/schema-postgresql.sql")).execute(ds);
            JdbcChatMemoryRepository repo = JdbcChatMemoryRepository.builder().jdbcTemplate(new JdbcTemplate(ds))
                    .dialect(new PostgresChatMemoryRepositoryDialect()).build();
            out.add(measure("JdbcChatMemoryRepository", repo, ds, List.of("public.spring_ai_chat_memory"), timedTurns,
                    countedTurns, window));
        }
        return out;
    }

    private static Result measure(String name, ChatMemoryRepository repo, DataSource ds, List<String> tables, int timedTurns,
            int countedTurns, int window) {
        ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repo).maxMessages(window).build();
        String id = "bench-conversation";
        for (int t = 0; t < WARM_UP_TURNS; t++) {
            turn(memory, "warm-up", t);
        }
        long[] nanos = new long[timedTurns];
        for (int t = 0; t < timedTurns; t++) {
            long start = System.nanoTime();
            turn(memory, id, t);
            nanos[t] = System.nanoTime() - start;
        }
        // steady state, window full: count the rows each turn writes
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("CREATE TABLE public.bench_rows (tbl text, op text, n bigint NOT NULL, PRIMARY KEY (tbl, op))");
        jdbc.execute("CREATE FUNCTION public.bench_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "INSERT INTO public.bench_rows VALUES (TG_TABLE_NAME, TG_OP, 1) "
                + "ON CONFLICT (tbl, op) DO UPDATE SET n = public.bench_rows.n + 1; RETURN NULL; END $$");
        for (String table : tables) {
            jdbc.execute("CREATE TRIGGER bench_count AFTER INSERT OR UPDATE OR DELETE ON " + table
                    + " FOR EACH ROW EXECUTE FUNCTION public.bench_count()");
        }
        for (int t = timedTurns; t < timedTurns + countedTurns; t++) {
            turn(memory, id, t);
        }
        Map<String, Double> rows = new TreeMap<>();
        jdbc.query("SELECT tbl, op, n FROM public.bench_rows", rs -> {
            rows.put(rs.getString(1) + " " + rs.getString(2).toLowerCase(java.util.Locale.ROOT),
                    Math.round(rs.getLong(3) * 10.0 / countedTurns) / 10.0);
        });
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Result(name, window, timedTurns, sorted[sorted.length / 2] / 1e6, Arrays.stream(nanos).average().orElse(0) / 1e6,
                rows);
    }

    /** What a chat advisor does per turn: read the window, append the question, append the answer. */
    private static void turn(ChatMemory memory, String id, int t) {
        memory.get(id);
        memory.add(id, new UserMessage("question " + t + ": how long does delivery to Norway take?"));
        memory.add(id, new AssistantMessage("answer " + t + ": standard delivery to Norway takes three to five working days."));
    }

    private static HikariDataSource pool(TestDatabase db) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(db.jdbcUrl());
        ds.setUsername(db.user());
        ds.setPassword(db.password());
        ds.setMaximumPoolSize(4);
        return ds;
    }
}
