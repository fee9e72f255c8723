package dev.agentstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The provider that works on these machines: local binaries, no Docker. */
class LocalClusterProviderIT {

    private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)/");

    private static Path clusterDirOf(String jdbcUrl) throws Exception {
        Matcher m = PORT.matcher(jdbcUrl);
        assertThat(m.find()).isTrue();
        String port = m.group(1);
        try (var dirs = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")), LocalClusterProvider.DIR_PREFIX + "*")) {
            for (Path dir : dirs) {
                if (Files.exists(dir.resolve(".s.PGSQL." + port))) {
                    return dir;
                }
            }
        }
        throw new AssertionError("no cluster directory with a socket for port " + port);
    }

    @Test
    void starts_a_cluster_with_pgvector_on_loopback_and_deletes_it_when_stopped() throws Exception {
        LocalClusterProvider provider = new LocalClusterProvider(Settings.system());

        ServerCoordinates server = provider.start();

        assertThat(server.adminJdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
        try (Connection c = DriverManager.getConnection(server.adminJdbcUrl(), server.user(), server.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION vector");
            try (ResultSet rs = s.executeQuery("SELECT '[1,2,3]'::vector <-> '[1,2,4]'::vector, current_setting('listen_addresses')")) {
                rs.next();
                assertThat(rs.getDouble(1)).isEqualTo(1.0);
                assertThat(rs.getString(2)).isEqualTo("127.0.0.1");
            }
        }
        Path dir = clusterDirOf(server.adminJdbcUrl());

        LocalClusterProvider.stop(dir);

        assertThat(dir).doesNotExist();
    }

    @Test
    void a_cluster_whose_jvm_is_killed_is_stopped_and_deleted_by_its_watchdog() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StartClusterMain.class.getName())
                .redirectErrorStream(true).start();
        String url;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            url = out.lines().filter(l -> l.startsWith("URL ")).findFirst().orElseThrow().substring(4);
        }
        Path dir = clusterDirOf(url);
        assertThat(dir).exists();

        child.destroyForcibly(); // SIGKILL: no shutdown hook runs
        child.waitFor(10, TimeUnit.SECONDS);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Files.exists(dir) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(dir).as("cluster directory after its JVM was killed").doesNotExist();
        assertThat(canConnect(url)).as("server still accepting connections").isFalse();
    }

    @Test
    void a_test_cluster_restarts_on_the_same_port_and_data_and_the_watchdog_keeps_the_new_postmaster() throws Exception {
        Path dir;
        String url;
        try (TestCluster cluster = TestCluster.start()) {
            TestPostgres server = cluster.server();
            url = server.jdbcUrl();
            dir = clusterDirOf(url);
            try (Connection c = server.connectAdmin(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('before the restart')");
            }
            long before = postmasterPid(dir);

            cluster.stopServer();
            assertThat(canConnect(url)).as("connections while the server is down").isFalse();
            cluster.startServer();

            assertThat(postmasterPid(dir)).as("a new postmaster").isNotEqualTo(before);
            Thread.sleep(2_500); // the watchdog looks every second: it must leave the new postmaster alone
            try (Connection c = DriverManager.getConnection(url, server.user(), server.password()); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("before the restart");
            }
            cluster.restart(java.time.Duration.ofMillis(200));
            assertThat(canConnect(url)).as("after restart(outage)").isTrue();
        }
        assertThat(dir).as("cluster directory after close").doesNotExist();
        assertThat(canConnect(url)).as("server after close").isFalse();
    }

    @Test
    void a_restarted_cluster_whose_jvm_is_killed_is_stopped_and_deleted_by_its_watchdog() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StartClusterMain.class.getName(),
                "restart").redirectErrorStream(true).start();
        String url;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            url = out.lines().filter(l -> l.startsWith("URL ")).findFirst().orElseThrow().substring(4);
        }
        Path dir = clusterDirOf(url);
        assertThat(canConnect(url)).as("the restarted server").isTrue();

        child.destroyForcibly(); // SIGKILL: no shutdown hook runs; the restarted postmaster is the JVM's orphan now
        child.waitFor(10, TimeUnit.SECONDS);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Files.exists(dir) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(dir).as("cluster directory after its JVM was killed").doesNotExist();
        assertThat(canConnect(url)).as("restarted server still accepting connections").isFalse();
    }

    private static long postmasterPid(Path dir) throws Exception {
        return Long.parseLong(Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).get(0).trim());
    }

    private static boolean canConnect(String url) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Started in a child JVM by the tests above: starts (and with "restart" restarts) a cluster, prints its URL, waits to be killed. */
    public static final class StartClusterMain {
        public static void main(String[] args) throws Exception {
            LocalCluster cluster = new LocalClusterProvider(new Settings(k -> null, Map.<String, String>of()::get)).startLocal();
            if (args.length > 0 && args[0].equals("restart")) {
                cluster.restart(java.time.Duration.ofMillis(200));
            }
            System.out.println("URL " + cluster.coordinates().adminJdbcUrl());
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    @Test
    void the_explicit_url_provider_uses_a_running_server() throws Exception {
        TestPostgres shared = TestPostgres.shared();
        ExplicitUrlProvider provider = new ExplicitUrlProvider(new Settings(k -> null, Map.of(
                ExplicitUrlProvider.URL_ENV, shared.jdbcUrl(),
                ExplicitUrlProvider.USER_ENV, shared.user())::get));

        ServerCoordinates server = provider.start();

        assertThat(server.adminJdbcUrl()).isEqualTo(shared.jdbcUrl());
        assertThat(server.provider()).isEqualTo("explicit JDBC URL");
    }

    @Test
    void an_explicit_url_nobody_listens_on_says_it_cannot_connect() {
        ExplicitUrlProvider provider = new ExplicitUrlProvider(new Settings(k -> null, Map.of(
                ExplicitUrlProvider.URL_ENV, "jdbc:postgresql://127.0.0.1:1/postgres?connectTimeout=2")::get));

        org.assertj.core.api.Assertions.assertThatThrownBy(provider::start)
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("cannot connect to jdbc:postgresql://127.0.0.1:1/postgres")
                .hasMessageContaining("check the URL");
    }

    @Test
    void clusters_left_by_dead_jvms_are_reaped_on_the_next_start() throws Exception {
        Path stale = Files.createTempDirectory(LocalClusterProvider.DIR_PREFIX);
        Files.writeString(stale.resolve("owner.pid"), "2147483646"); // no such process
        Files.createDirectories(stale.resolve("data"));

        LocalClusterProvider.reapStaleClusters();

        assertThat(stale).doesNotExist();
        assertThat(List.of(stale)).isNotEmpty();
    }
}
