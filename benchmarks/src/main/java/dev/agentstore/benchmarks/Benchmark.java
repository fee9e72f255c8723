package dev.agentstore.benchmarks;

/** One benchmark of the program: measures agentstore and a plain-JDBC baseline in the same run, and prints both. */
interface Benchmark {

    /** The name used on the command line, e.g. "conversations". */
    String name();

    /**
     * Runs and prints figures to {@code out}.
     *
     * @param env the database and the size of the run
     */
    void run(BenchEnv env) throws Exception;
}
