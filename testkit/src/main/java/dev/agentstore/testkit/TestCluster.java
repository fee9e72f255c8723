package dev.agentstore.testkit;

import java.time.Duration;
import java.util.List;

/**
 * A throw-away PostgreSQL cluster of its own, from the local binaries, for tests that take the server
 * down: {@link #stopServer()}, {@link #startServer()} and {@link #restart(Duration)} stop PostgreSQL with a
 * fast shutdown (every session ends with SQLSTATE 57P01, connections are refused meanwhile) and start it again
 * on the same data directory and port, so clients reconnect to the same URL. The {@linkplain TestPostgres#shared()
 * shared server} is never restarted; other test classes keep using it.
 *
 * <pre>{@code
 * try (TestCluster cluster = TestCluster.start()) {
 *     TestDatabase db = cluster.server().createDatabase("agentstore", 3);
 *     ... use db ...
 *     cluster.restart(Duration.ofSeconds(1));
 *     ... the same clients work again ...
 * }
 * }</pre>
 *
 * <p>The cluster is deleted on {@link #close()} (and when the JVM exits, by the same watchdog as the
 * shared local cluster, which follows the restarted postmaster). Not thread-safe: restart from one thread.
 */
public final class TestCluster implements AutoCloseable {

    private final LocalCluster cluster;
    private final TestPostgres server;

    private TestCluster(LocalCluster cluster) {
        this.cluster = cluster;
        this.server = TestPostgres.of(cluster.coordinates());
    }

    /**
     * Starts a cluster from the local PostgreSQL binaries (found like the shared local cluster's:
     * {@code AGENTSTORE_PG_BIN}, {@code pg_config}, {@code PATH}, {@code /usr/lib/postgresql/*}{@code /bin}).
     *
     * @throws NoDatabaseAvailableException when no binaries with pgvector are found, naming what was tried and
     *         the fix (a test that needs a restartable server fails; it is never skipped)
     */
    public static TestCluster start() {
        try {
            return new TestCluster(new LocalClusterProvider(Settings.system()).startLocal());
        } catch (ProviderUnavailableException e) {
            throw new NoDatabaseAvailableException(List.of(e.getMessage()));
        }
    }

    /** The server of this cluster, to create databases on. */
    public TestPostgres server() {
        return server;
    }

    /**
     * Stops PostgreSQL with a fast shutdown and waits until it is gone: every session ends (SQLSTATE 57P01),
     * new connections are refused until {@link #startServer()}.
     *
     * @throws IllegalStateException when the server does not stop within 60 s
     */
    public void stopServer() {
        cluster.stopServer();
    }

    /**
     * Starts PostgreSQL again on the same data directory and port and waits until it accepts connections.
     *
     * @throws IllegalStateException when the server runs already, or does not come up within 60 s
     */
    public void startServer() {
        cluster.startServer();
    }

    /**
     * {@link #stopServer()}, then {@code outage} with the server down, then {@link #startServer()}.
     *
     * @param outage how long connections are refused
     */
    public void restart(Duration outage) {
        cluster.restart(outage);
    }

    /** Stops the server and deletes the cluster. */
    @Override
    public void close() {
        cluster.close();
    }

    @Override
    public String toString() {
        return "TestCluster[" + cluster + "]";
    }
}
