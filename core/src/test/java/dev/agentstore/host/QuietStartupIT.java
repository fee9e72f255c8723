package dev.agentstore.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a host application sees in its logs when it builds a store: each case starts a fresh JVM (so
 * jOOQ's once-per-JVM logo would show) without the build's {@code -Dorg.jooq.no-logo} switches, and
 * captures its stdout and stderr together.
 */
class QuietStartupIT {

    private static final String SIMPLE_AT_INFO = "-Dorg.slf4j.simpleLogger.defaultLogLevel=info";

    @Test
    void building_on_a_new_database_logs_one_info_line_with_slf4j_simple() throws Exception {
        TestDatabase db = TestPostgres.shared().createEmptyDatabase();

        List<String> out = run(classpath(true), SIMPLE_AT_INFO, "dataSource", db);

        assertThat(out).hasSize(1);
        assertThat(out.get(0)).contains("INFO", "agentstore ready", "migrated from version none");
    }

    @Test
    void building_on_a_migrated_database_logs_one_info_line_and_nothing_from_flyway_or_jooq() throws Exception {
        TestDatabase db = TestPostgres.shared().createDatabase("agentstore", 3);

        List<String> out = run(classpath(true), SIMPLE_AT_INFO, "dataSource", db);

        assertThat(out).hasSize(1);
        assertThat(out.get(0)).contains("INFO", "agentstore ready").doesNotContain("migrated");
    }

    @Test
    void building_with_an_own_pool_logs_nothing_but_agentstore_and_hikaricp_lines() throws Exception {
        TestDatabase db = TestPostgres.shared().createDatabase("agentstore", 3);

        List<String> out = run(classpath(true), SIMPLE_AT_INFO, "url", db);

        assertThat(out.stream().filter(l -> l.contains("agentstore ready"))).hasSize(1);
        assertThat(out).allSatisfy(l -> assertThat(l).containsAnyOf("agentstore ready", "com.zaxxer.hikari"));
        assertThat(String.join("\n", out)).doesNotContainIgnoringCase("flyway").doesNotContain("jOOQ", "tip");
    }

    @Test
    void without_an_slf4j_provider_nothing_but_slf4js_own_notice_reaches_the_console() throws Exception {
        TestDatabase db = TestPostgres.shared().createEmptyDatabase();

        List<String> out = run(classpath(false), "-Dunused=1", "dataSource", db);

        // SLF4J itself says once that it found no provider (its "SLF4J(W): ..." lines); Flyway no longer
        // falls back to java.util.logging on stderr, and jOOQ prints no logo or tip
        assertThat(out).allSatisfy(l -> assertThat(l).startsWith("SLF4J"));
    }

    @Test
    void log_sql_shows_each_statement_with_its_duration_at_debug_and_never_a_bound_value() throws Exception {
        TestDatabase db = TestPostgres.shared().createDatabase("agentstore", 3);

        List<String> out = run(classpath(true), "-Dorg.slf4j.simpleLogger.log.dev.agentstore.sql=debug", "dataSource", db, "logSql");

        List<String> sql = out.stream().filter(l -> l.contains("DEBUG dev.agentstore.sql")).toList();
        assertThat(sql).anySatisfy(l -> assertThat(l).containsIgnoringCase("insert into").contains("conversation_session"))
                .anySatisfy(l -> assertThat(l).containsIgnoringCase("conversation_message"))
                .allSatisfy(l -> assertThat(l).containsPattern("\\d+\\.\\d\\d ms"));
        assertThat(String.join("\n", out)).doesNotContain(StartupProgram.SECRET);
    }

    private static String classpath(boolean withSlf4jSimple) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> withSlf4jSimple || !e.contains("slf4j-simple"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The program's output lines, without the marker; fails when it did not get to the marker. */
    private static List<String> run(String classpath, String property, String mode, TestDatabase db, String... more)
            throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", property,
                "-cp", classpath, StartupProgram.class.getName(), mode, db.jdbcUrl(), db.user(), db.password()));
        command.addAll(List.of(more));
        Path log = Files.createTempFile("agentstore-startup", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the program ended").isTrue();
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("exit code; output:%n%s", String.join("\n", lines)).isZero();
            assertThat(lines).as("output").contains(StartupProgram.MARKER);
            return lines.stream().filter(l -> !l.equals(StartupProgram.MARKER)).toList();
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
