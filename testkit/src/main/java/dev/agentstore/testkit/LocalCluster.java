package dev.agentstore.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cluster started by {@link LocalClusterProvider}: its directory, binaries and server command line, so the
 * server can be stopped and started again on the same data directory and port (a real restart: the
 * postmaster and every backend end, connections are refused meanwhile, crash-safe state survives). The
 * watchdog follows the new postmaster. Not thread-safe: one caller restarts a cluster at a time.
 */
final class LocalCluster {

    /** The file that tells the watchdog a restart is under way (the server is down on purpose). */
    static final String RESTARTING = "restarting";

    private final ServerCoordinates coordinates;
    private final Path dir;
    private final Path bin;
    private final List<String> command;

    LocalCluster(ServerCoordinates coordinates, Path dir, Path bin, List<String> command) {
        this.coordinates = coordinates;
        this.dir = dir;
        this.bin = bin;
        this.command = List.copyOf(command);
    }

    ServerCoordinates coordinates() {
        return coordinates;
    }

    /** The postmaster's process id, from {@code postmaster.pid}, when a server runs. */
    Optional<Long> postmasterPid() {
        try {
            Path pidFile = dir.resolve("data").resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> pid);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops the server with a fast shutdown (every backend ends with SQLSTATE 57P01, as when an
     * administrator restarts PostgreSQL) and waits until the postmaster is gone; connections are refused
     * until {@link #startServer()}.
     */
    void stopServer() {
        markRestarting(true);
        Optional<Long> pid = postmasterPid();
        if (pid.isEmpty()) {
            return;
        }
        LocalClusterProvider.run(List.of("kill", "-INT", Long.toString(pid.get())));
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid.get());
        if (postmaster.isPresent()) {
            try {
                postmaster.get().onExit().get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("test kit: interrupted while stopping PostgreSQL", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("test kit: PostgreSQL (pid " + pid.get() + ") did not stop within 60 s", e);
            }
        }
    }

    /** Starts the server again on the same data directory and port, and waits until it accepts connections. */
    void startServer() {
        if (postmasterPid().isPresent()) {
            throw new IllegalStateException("test kit: the server of " + dir + " is running; stop it first");
        }
        Path log = dir.resolve("postgres.log");
        try {
            Process server = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            LocalClusterProvider.awaitReady(coordinates.adminJdbcUrl(), server::isAlive, dir.resolve("data"), log, bin);
        } catch (IOException | ProviderUnavailableException e) {
            throw new IllegalStateException("test kit: cannot start PostgreSQL again on " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("test kit: interrupted while starting PostgreSQL", e);
        } finally {
            markRestarting(false);
        }
    }

    /** {@link #stopServer()}, the outage, {@link #startServer()}. */
    void restart(Duration outage) {
        stopServer();
        try {
            Thread.sleep(outage.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("test kit: interrupted during the outage", e);
        }
        startServer();
    }

    /** Stops the server and deletes the cluster. */
    void close() {
        LocalClusterProvider.stop(dir);
    }

    private void markRestarting(boolean restarting) {
        Path marker = dir.resolve(RESTARTING);
        try {
            if (restarting) {
                Files.writeString(marker, "");
            } else {
                Files.deleteIfExists(marker);
            }
        } catch (IOException e) {
            throw new IllegalStateException("test kit: cannot " + (restarting ? "create " : "delete ") + marker + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "LocalCluster[" + dir + ", " + coordinates.adminJdbcUrl() + "]";
    }
}
