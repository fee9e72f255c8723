package dev.agentstore.benchmarks;

import dev.agentstore.testkit.TestPostgres;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark program. Each benchmark measures agentstore next to the same work written by hand
 * over plain JDBC, in the same run on the same database server, and prints both with their ratio.
 *
 * <pre>
 * mvn -pl benchmarks -am -DskipTests package exec:exec                      # all, full size
 * mvn -pl benchmarks -am -DskipTests package exec:exec -Dbench=conversations -Dbench.size=small
 * </pre>
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    /** Every benchmark, by name, in the order "all" runs them. */
    static Map<String, Benchmark> all() {
        Map<String, Benchmark> all = new LinkedHashMap<>();
        for (Benchmark b : List.<Benchmark>of(
                // each capability registers its benchmark here
                new LifecycleBenchmark(),
                new ConversationsBenchmark(),
                new MemoryBenchmark(),
                new IngestionBenchmark(),
                new SearchBenchmark(),
                new AgentRunsBenchmark(),
                new RetrievalBenchmark(),
                new RowLevelSecurityBenchmark(),
                new ObserverBenchmark(),
                new LangChain4jBenchmark()
        )) {
            all.put(b.name(), b);
        }
        return all;
    }

    /**
     * @param args [names|all] [small|full]
     */
    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        boolean small = args.length > 1 && args[1].equals("small");
        Map<String, Benchmark> all = all();
        List<Benchmark> selected = new ArrayList<>();
        if (which.equals("all")) {
            selected.addAll(all.values());
        } else {
            for (String name : which.split(",")) {
                Benchmark b = all.get(name.trim());
                if (b == null) {
                    System.err.println("unknown benchmark '" + name + "'; known: " + all.keySet());
                    System.exit(2);
                }
                selected.add(b);
            }
        }
        TestPostgres server = TestPostgres.shared();
        System.out.println("agentstore benchmarks (" + (small ? "small" : "full") + ") on " + server.provider()
                + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version());
        BenchEnv env = new BenchEnv(server, small, System.out);
        for (Benchmark b : selected) {
            System.out.println();
            System.out.println("== " + b.name() + " ==");
            long start = System.nanoTime();
            b.run(env);
            System.out.printf("(%s took %.1f s)%n", b.name(), (System.nanoTime() - start) / 1e9);
        }
        System.out.println(Arrays.toString(args).isEmpty() ? "" : "done");
    }
}
