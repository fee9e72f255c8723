package dev.agentstore.benchmarks;

import dev.agentstore.AgentStore;
import dev.agentstore.document.ChunkInput;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The cost of database-enforced tenant isolation: the same chat turns, single-document ingests and
 * vector searches through a store whose role bypasses row-level security (a superuser, as for the
 * table owner) and through one connected as a runtime role bound by it, interleaved in rounds on the
 * same database and data, with the ratio printed. The tables are analyzed after the warm-up round.
 */
final class RowLevelSecurityBenchmark implements Benchmark {

    private static final int DIMENSION = 384;

    @Override
    public String name() {
        return "rls";
    }

    @Override
    public void run(BenchEnv env) throws Exception {
        TestDatabase db = env.database(DIMENSION);
        String role = "agentstore_bench_rt";
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role + "') THEN "
                    + "CREATE ROLE " + role + " LOGIN PASSWORD 'bench' NOSUPERUSER NOBYPASSRLS; END IF; END $$");
            try (PreparedStatement ps = c.prepareStatement("SELECT \"" + db.schema() + "\".agentstore_grant_runtime_role(?)")) {
                ps.setString(1, role);
                ps.execute();
            }
        }
        int rounds = env.size(1, 5);
        int turns = env.size(20, 400);
        int searches = env.size(20, 400);
        int ingests = env.size(5, 100);
        int chunks = env.size(400, 10_000);
        Random random = new Random(42);
        try (AgentStore bypass = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(2)
                        .connectionTimeout(Duration.ofSeconds(30)).build();
                AgentStore bound = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(role).password("bench").poolSize(2)
                        .connectionTimeout(Duration.ofSeconds(30)).requireRowLevelSecurity(true).build()) {
            env.out().printf("stores: bypassing RLS (rowLevelSecurity=%s), bound by RLS (rowLevelSecurity=%s)%n",
                    bypass.rowLevelSecurity(), bound.rowLevelSecurity());
            Documents docs = bypass.documents("acme");
            KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("kb", DIMENSION));
            List<DocumentInput> load = new ArrayList<>();
            for (int d = 0; d < chunks / 10; d++) {
                List<ChunkInput> cs = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    cs.add(ChunkInput.of("document " + d + " chunk " + i + " about topic " + random.nextInt(500), vector(random)));
                }
                load.add(DocumentInput.ofChunks("load-" + d, cs));
            }
            docs.ingestAll(kb.id(), load, null);
            bypass.documents("globex").ingestAll(bypass.documents("globex").createKnowledgeBase(KnowledgeBaseSpec.of("kb", DIMENSION)).id(),
                    load, null); // another tenant of the same size, so the policy has rows to exclude
            env.out().printf("loaded %,d chunks of %d dimensions for each of 2 tenants%n", chunks, DIMENSION);

            Stats[] turn = {new Stats(rounds * turns), new Stats(rounds * turns)};
            Stats[] search = {new Stats(rounds * searches), new Stats(rounds * searches)};
            Stats[] ingest = {new Stats(rounds * ingests), new Stats(rounds * ingests)};
            AgentStore[] stores = {bypass, bound};
            for (int r = 0; r < rounds + 1; r++) { // round 0 warms up both
                if (r == 1) {
                    // steady state, as in production: statistics on the tables the warm-up filled (autovacuum would
                    // analyze them only after up to a minute; until then plans are chosen for empty tables)
                    try (Connection c = db.connect(); Statement s = c.createStatement()) {
                        s.execute("ANALYZE");
                    }
                }
                for (int k = 0; k < 2; k++) {
                    int which = (r + k) % 2; // alternate who goes first
                    AgentStore store = stores[which];
                    boolean record = r > 0;
                    PairedWorkloads.chatTurns(store, "acme", turns, turn[which], record);
                    PairedWorkloads.vectorSearches(store, "acme", kb.id(), searches, random, DIMENSION, search[which], record);
                    Documents d = store.documents("acme");
                    for (int i = 0; i < ingests; i++) {
                        List<ChunkInput> cs = new ArrayList<>();
                        for (int j = 0; j < 5; j++) {
                            cs.add(ChunkInput.of("new " + r + " " + which + " " + i + " " + j + " " + random.nextLong(), vector(random)));
                        }
                        long t0 = System.nanoTime();
                        d.ingest(kb.id(), DocumentInput.ofChunks("new-" + r + "-" + which + "-" + i, cs));
                        if (record) {
                            ingest[which].add(System.nanoTime() - t0);
                        }
                    }
                }
            }
            print(env, "chat turn (append 2 + last 20)", turn);
            print(env, "vector search (k=10)", search);
            print(env, "ingest (1 document, 5 chunks)", ingest);
        } finally {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
                s.execute("DROP OWNED BY " + role);
                s.execute("DROP ROLE " + role);
            }
        }
    }

    private static void print(BenchEnv env, String what, Stats[] s) {
        env.out().printf("%-32s bypassing RLS: %s%n", what, s[0].summary());
        env.out().printf("%-32s bound by RLS : %s%n", what, s[1].summary());
        env.out().printf("%-32s ratio bound/bypassing: p50 %.3f, mean %.3f%n", what,
                s[1].percentileMillis(50) / s[0].percentileMillis(50), s[1].meanMillis() / s[0].meanMillis());
    }

    private static float[] vector(Random random) {
        return PairedWorkloads.gaussian(random, DIMENSION);
    }
}
