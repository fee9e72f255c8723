package dev.agentstore.benchmarks.spring;

/**
 * Runs the Spring AI comparisons: {@code [all|vector-store|chat-memory] [documents] [dimension]}.
 */
public final class SpringBenchmarks {

    private SpringBenchmarks() {
    }

    /** Entry point of {@code exec:exec}. */
    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        String[] rest = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length) : new String[0];
        if (which.equals("all") || which.equals("vector-store")) {
            VectorStoreAddBenchmark.main(rest);
        }
        if (which.equals("all") || which.equals("chat-memory")) {
            ChatMemoryTurnBenchmark.main(new String[0]);
        }
    }
}
