package dev.agentstore.benchmarks;

import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import java.io.PrintStream;

/**
 * What a benchmark gets: a way to create fresh migrated databases on the shared server, the size of
 * the run ({@code small} is a quick check used by the smoke test, {@code full} gives the figures in
 * the README) and where to print.
 *
 * @param server the PostgreSQL server (test kit: explicit URL, Testcontainers or a local cluster)
 * @param small whether this is a quick, small run
 * @param out where to print figures
 */
record BenchEnv(TestPostgres server, boolean small, PrintStream out) {

    /** A new database migrated for embeddings of this dimension. */
    TestDatabase database(int dimension) {
        return server.createDatabase("agentstore", dimension);
    }

    /** Picks the small or the full value. */
    int size(int smallValue, int fullValue) {
        return small ? smallValue : fullValue;
    }
}
