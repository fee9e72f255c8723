package dev.agentstore.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts a throw-away PostgreSQL cluster from the local binaries: {@code initdb} into a temporary
 * directory, {@code postgres} on a free port of 127.0.0.1 only. The cluster is stopped and deleted
 * when the JVM exits; a watchdog process also does so when the JVM is killed, and clusters whose
 * JVM is gone are removed the next time a cluster starts.
 *
 * <p>initdb refuses to run as root, so a root JVM runs the cluster as the {@code postgres} user (or
 * {@code nobody} when there is none).
 */
final class LocalClusterProvider implements PostgresProvider {

    static final String BIN_ENV = "AGENTSTORE_PG_BIN";
    static final String BIN_PROPERTY = "agentstore.test.pgBin";
    static final String DIR_PREFIX = "agentstore-pg-";
    private static final String SUPERUSER = "postgres";
    private static final int START_ATTEMPTS = 3;

    private final Settings settings;
    private final List<Path> searchDirs;

    LocalClusterProvider(Settings settings) {
        this(settings, defaultSearchDirs());
    }

    /** For tests: look for binaries in these directories only (after the explicit setting). */
    LocalClusterProvider(Settings settings, List<Path> searchDirs) {
        this.settings = settings;
        this.searchDirs = List.copyOf(searchDirs);
    }

    @Override
    public String name() {
        return "local PostgreSQL binaries";
    }

    @Override
    public ServerCoordinates start() throws ProviderUnavailableException {
        return startLocal().coordinates();
    }

    /** Starts a cluster and returns its handle (to stop, start or restart the server on the same data and port). */
    LocalCluster startLocal() throws ProviderUnavailableException {
        Path bin = findBinDir().orElseThrow(() -> new ProviderUnavailableException(name()
                + ": no directory with initdb and postgres found (looked at " + BIN_ENV + ", pg_config --bindir, PATH, "
                + "/usr/lib/postgresql/*/bin, /usr/local/pgsql/bin); run scripts/install-pgvector.sh or set " + BIN_ENV));
        Optional<Path> control = vectorControlFile(bin);
        if (control.isPresent() && !Files.exists(control.get())) {
            throw new ProviderUnavailableException(name() + ": PostgreSQL at " + bin + " has no pgvector ("
                    + control.get() + " is missing); run scripts/install-pgvector.sh");
        }
        reapStaleClusters();
        ProviderUnavailableException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startCluster(bin);
            } catch (ProviderUnavailableException e) {
                last = e; // most likely the free port was taken in between: try another one
            }
        }
        throw last;
    }

    Optional<Path> findBinDir() {
        Set<Path> candidates = new LinkedHashSet<>();
        String explicit = settings.get(BIN_PROPERTY, BIN_ENV);
        if (explicit != null) {
            candidates.add(Path.of(explicit));
        }
        candidates.addAll(searchDirs);
        return candidates.stream().filter(LocalClusterProvider::hasServerBinaries).findFirst();
    }

    private static boolean hasServerBinaries(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("postgres"));
    }

    private static List<Path> defaultSearchDirs() {
        List<Path> dirs = new ArrayList<>();
        run(List.of("pg_config", "--bindir")).ifPresent(out -> dirs.add(Path.of(out.trim())));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(java.io.File.pathSeparator)) {
                Path initdb = Path.of(entry, "initdb");
                if (Files.isExecutable(initdb)) {
                    try {
                        dirs.add(initdb.toRealPath().getParent());
                    } catch (IOException e) {
                        // not resolvable: ignore this PATH entry
                    }
                }
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.filter(p -> p.getFileName().toString().matches("\\d+"))
                        .sorted(Comparator.comparingInt((Path p) -> Integer.parseInt(p.getFileName().toString())).reversed())
                        .forEach(p -> dirs.add(p.resolve("bin")));
            } catch (IOException e) {
                // unreadable: nothing to add
            }
        }
        dirs.add(Path.of("/usr/local/pgsql/bin"));
        dirs.add(Path.of("/opt/homebrew/bin"));
        dirs.add(Path.of("/usr/local/bin"));
        return dirs;
    }

    /** Where vector.control must be for these binaries, when pg_config says so. */
    private static Optional<Path> vectorControlFile(Path bin) {
        Path pgConfig = bin.resolve("pg_config");
        if (!Files.isExecutable(pgConfig)) {
            return Optional.empty();
        }
        return run(List.of(pgConfig.toString(), "--sharedir"))
                .map(share -> Path.of(share.trim(), "extension", "vector.control"));
    }

    private LocalCluster startCluster(Path bin) throws ProviderUnavailableException {
        Path dir;
        try {
            dir = Files.createTempDirectory(DIR_PREFIX);
            Files.writeString(dir.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new ProviderUnavailableException(name() + ": cannot create a temporary directory (" + e + ")", e);
        }
        Path data = dir.resolve("data");
        Path log = dir.resolve("postgres.log");
        List<String> runAs = runAsPrefix(dir);
        try {
            List<String> initdb = new ArrayList<>(runAs);
            initdb.addAll(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER,
                    "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"));
            Process p = new ProcessBuilder(initdb).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("initdb.log").toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                String out = tail(dir.resolve("initdb.log"));
                deleteQuietly(dir);
                throw new ProviderUnavailableException(name() + ": initdb at " + bin + " failed: " + out);
            }
            int port = freePort();
            List<String> postgres = new ArrayList<>(runAs);
            postgres.addAll(List.of(bin.resolve("postgres").toString(), "-D", data.toString(), "-p", Integer.toString(port),
                    "-c", "listen_addresses=127.0.0.1",
                    "-c", "unix_socket_directories=" + dir,
                    // a throw-away cluster: durability is worth nothing, speed is
                    "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                    "-c", "max_connections=300", "-c", "shared_buffers=256MB",
                    "-c", "maintenance_work_mem=1GB", "-c", "max_parallel_maintenance_workers=1"));
            List<String> watchdog = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                // own session: killing the JVM's process group leaves the watchdog alive to clean up
                watchdog.add("/usr/bin/setsid");
            }
            watchdog.addAll(List.of("/bin/sh", "-c", WATCHDOG, "watchdog",
                    Long.toString(ProcessHandle.current().pid()), dir.toString()));
            watchdog.addAll(postgres);
            Process server = new ProcessBuilder(watchdog).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(dir), "agentstore-testkit-stop-cluster"));
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
            awaitReady(url, server::isAlive, data, log, bin);
            return new LocalCluster(new ServerCoordinates(name() + " (" + bin + ")", url, SUPERUSER, ""), dir, bin, postgres);
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new ProviderUnavailableException(name() + ": cannot start PostgreSQL from " + bin + " (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException(name() + ": interrupted while starting PostgreSQL", e);
        }
    }

    /**
     * Runs postgres (the remaining arguments) and waits until the JVM ($1) ends, or the server ends while no
     * restart is under way; then stops the server with a fast shutdown and, once the JVM is gone, deletes the
     * cluster directory ($2). It follows the postmaster through {@code postmaster.pid}, not its own child: a
     * restart ({@link LocalCluster#restart}) starts a new postmaster on the same data directory and port, and
     * marks the restart with the file {@value LocalCluster#RESTARTING} meanwhile.
     */
    private static final String WATCHDOG = """
            jvm="$1"; dir="$2"; shift 2
            "$@" &
            pg=$!
            postmaster() { head -n 1 "$dir/data/postmaster.pid" 2>/dev/null; }
            running() { p="$(postmaster)"; [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
            stop() { p="$(postmaster)"; if [ -n "$p" ]; then kill -INT "$p" 2>/dev/null; fi; }
            trap 'stop' TERM INT HUP
            while kill -0 "$jvm" 2>/dev/null && [ -d "$dir/data" ]; do
              if ! kill -0 "$pg" 2>/dev/null && ! running && [ ! -f "$dir/restarting" ]; then break; fi
              sleep 1
            done
            stop
            wait "$pg" 2>/dev/null
            i=0; while running && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
            # while the JVM lives, it reads the log and deletes the directory itself
            if ! kill -0 "$jvm" 2>/dev/null; then rm -rf "$dir"; fi
            """;

    static void awaitReady(String url, java.util.function.BooleanSupplier serverAlive, Path data, Path log, Path bin)
            throws ProviderUnavailableException, InterruptedException {
        String name = "local PostgreSQL binaries";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection c = DriverManager.getConnection(url, SUPERUSER, "")) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            if (!serverAlive.getAsBoolean()) {
                String logText = tail(log);
                stop(data.getParent());
                throw new ProviderUnavailableException(name + ": postgres from " + bin + " did not start: " + logText);
            }
            Thread.sleep(100);
        }
        stop(data.getParent());
        throw new ProviderUnavailableException(name + ": postgres from " + bin + " did not accept connections within 60 s ("
                + (last == null ? "" : last.getMessage()) + "): " + tail(log), last);
    }

    /** When running as root: the command prefix that runs a command as an unprivileged user. */
    private static List<String> runAsPrefix(Path dir) throws ProviderUnavailableException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return List.of();
        }
        String user = run(List.of("id", "-u", SUPERUSER)).isPresent() ? SUPERUSER : "nobody";
        try {
            UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal owner = lookup.lookupPrincipalByName(user);
            Files.setOwner(dir, owner);
        } catch (IOException e) {
            throw new ProviderUnavailableException("local PostgreSQL binaries: running as root, but cannot hand "
                    + dir + " to the unprivileged user '" + user + "' (" + e + ")", e);
        }
        Path runuser = Path.of("/usr/sbin/runuser");
        if (Files.isExecutable(runuser)) {
            return List.of(runuser.toString(), "-u", user, "--");
        }
        return List.of("/usr/bin/sudo", "-n", "-u", user, "--");
    }

    /** Stops the cluster in dir (fast shutdown) and deletes the directory. */
    static void stop(Path dir) {
        Path pidFile = dir.resolve("data").resolve("postmaster.pid");
        try {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                Optional<ProcessHandle> handle = ProcessHandle.of(pid);
                if (handle.isPresent()) {
                    run(List.of("kill", "-INT", Long.toString(pid)));
                    handle.get().onExit().get(15, TimeUnit.SECONDS);
                }
            }
        } catch (Exception e) {
            // best effort: the watchdog and the next start's reaper clean up the rest
        }
        deleteQuietly(dir);
    }

    /** Removes clusters left behind by JVMs that no longer run. */
    static void reapStaleClusters() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, DIR_PREFIX + "*")) {
            for (Path dir : dirs) {
                Path ownerFile = dir.resolve("owner.pid");
                try {
                    long owner = Long.parseLong(Files.readString(ownerFile).trim());
                    if (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                    Path pidFile = dir.resolve("data").resolve("postmaster.pid");
                    if (Files.exists(pidFile)) {
                        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    }
                    deleteQuietly(dir);
                } catch (IOException | RuntimeException e) {
                    // not ours or half-written: leave it
                }
            }
        } catch (IOException e) {
            // temp dir unreadable: nothing to reap
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }

    /** Runs a short command; its standard output when it exits with 0. */
    static Optional<String> run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
