package dev.agentstore.cli;

import dev.agentstore.AgentStore;
import dev.agentstore.Health;
import dev.agentstore.MigrationResult;
import dev.agentstore.migrations.AgentStoreMigrations;
import dev.agentstore.migrations.SchemaSnapshot;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.jooq.ConnectionProvider;

/**
 * The {@code agentstore} command for operators: migrate a database, show its migration status and
 * health, print its schema and compare it with the schema this release expects — without writing a
 * program. It is configured from the same environment variables as {@code AgentStore.fromEnvironment()}
 * ({@value AgentStore#ENV_JDBC_URL}, {@value AgentStore#ENV_JDBC_USER}, {@value AgentStore#ENV_JDBC_PASSWORD},
 * {@value AgentStore#ENV_SCHEMA}, {@value AgentStore#ENV_EMBEDDING_DIMENSION}, …).
 *
 * <pre>
 * export AGENTSTORE_JDBC_URL=jdbc:postgresql://db:5432/app AGENTSTORE_JDBC_USER=agentstore
 * java -jar agentstore-cli-0.1.0-all.jar status
 * </pre>
 *
 * <p>Exit codes: {@value #OK} success; {@value #CHECK_FAILED} the database answered but is not as it
 * should be (pending migrations, unhealthy, schema differs); {@value #USAGE} wrong command line;
 * {@value #ERROR} the command could not run (configuration, connection, permission).
 */
public final class AgentStoreCli {

    /** Exit code: the command succeeded and the database is as it should be. */
    public static final int OK = 0;
    /** Exit code: the database answered but a check failed (pending migrations, unhealthy, schema differs). */
    public static final int CHECK_FAILED = 1;
    /** Exit code: the command line was wrong. */
    public static final int USAGE = 2;
    /** Exit code: the command could not run (configuration, connection, permission). */
    public static final int ERROR = 3;

    private static final String USAGE_TEXT = """
            usage: agentstore <command> [--help]

            commands:
              migrate   apply agentstore's pending migrations
              status    list applied and pending migrations (exit 1 when some are pending)
              health    server, pgvector, schema version, embedding dimension, pool (exit 1 when unhealthy)
              schema    print the snapshot of the live schema (tables, constraints, indexes, functions)
              verify    compare the live schema with the snapshot this release expects (exit 1 on a difference)

            configuration (environment variables, as AgentStore.fromEnvironment()):
              AGENTSTORE_JDBC_URL (required), AGENTSTORE_JDBC_USER, AGENTSTORE_JDBC_PASSWORD,
              AGENTSTORE_SCHEMA (default agentstore), AGENTSTORE_EMBEDDING_DIMENSION (default 1536)

            exit codes: 0 ok, 1 check failed, 2 usage, 3 error (configuration, connection, permission)
            """;

    private static final Map<String, String> HELP = Map.of(
            "migrate", """
                    usage: agentstore migrate
                    Applies agentstore's pending migrations to the configured database and schema (created if
                    missing) and prints how many ran and the version before and after. Needs the migration
                    role's privileges (see the README's privileges list). Exit 0 on success, 3 on failure.
                    """,
            "status", """
                    usage: agentstore status
                    Lists every migration of this release with its state (applied, pending, …) and the date it
                    was applied. Exit 0 when the schema is up to date, 1 when migrations are pending or failed.
                    """,
            "health", """
                    usage: agentstore health
                    Prints PostgreSQL's and pgvector's versions, the schema version, the embedding dimension and
                    pool statistics. Exit 0 when pgvector is installed and the schema migrated, 1 otherwise.
                    """,
            "schema", """
                    usage: agentstore schema
                    Prints the snapshot of the live schema in the format of the schema.sql committed with this
                    release: tables, constraints, indexes, sequences, views, functions, policies, in a stable
                    order, with the schema name and dimension written as the migrations' placeholders.
                    """,
            "verify", """
                    usage: agentstore verify
                    Compares the live schema with the snapshot this release expects and prints the differing
                    lines (- expected, + live). Exit 0 when they are equal, 1 when they differ.
                    """);

    private AgentStoreCli() {
    }

    /**
     * Runs a command and exits the JVM with its exit code.
     *
     * @param args the command and its options
     */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * Runs a command without exiting the JVM.
     *
     * @param args the command and its options
     * @param env the environment variables to configure the store from
     * @param out where results go
     * @param err where errors and usage go
     * @return the exit code ({@link #OK}, {@link #CHECK_FAILED}, {@link #USAGE} or {@link #ERROR})
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE_TEXT);
            return args.length == 0 ? USAGE : OK;
        }
        String command = args[0];
        if (!HELP.containsKey(command)) {
            err.println("agentstore: unknown command '" + command + "'");
            err.print(USAGE_TEXT);
            return USAGE;
        }
        if (args.length > 1) {
            if (args.length == 2 && (args[1].equals("--help") || args[1].equals("-h"))) {
                out.print(HELP.get(command));
                return OK;
            }
            err.println("agentstore " + command + ": unexpected argument '" + args[1] + "'");
            err.print(HELP.get(command));
            return USAGE;
        }
        try (AgentStore store = AgentStore.builder().fromEnvironment(env).poolSize(2).minimumIdle(0)
                .validateOnStart(false).build()) {
            return switch (command) {
                case "migrate" -> migrate(store, out);
                case "status" -> status(store, out);
                case "health" -> health(store, out);
                case "schema" -> schema(store, out);
                default -> verify(store, out);
            };
        } catch (RuntimeException e) {
            err.println("agentstore " + command + ": " + message(e));
            return ERROR;
        }
    }

    private static int migrate(AgentStore store, PrintStream out) {
        MigrationResult result = store.migrate();
        out.println("migrations applied  " + result.migrationsExecuted());
        out.println("schema version      " + orNone(result.fromVersion()) + " -> " + orNone(result.toVersion()));
        return OK;
    }

    private static int status(AgentStore store, PrintStream out) {
        MigrationInfoService info = AgentStoreMigrations
                .configure(dataSource(store.dsl().configuration().connectionProvider()), store.schema(),
                        store.embeddingDimension())
                .load()
                .info();
        boolean upToDate = true;
        out.printf("%-8s %-40s %-10s %s%n", "version", "description", "state", "applied at");
        for (MigrationInfo m : info.all()) {
            String state = m.getState().getDisplayName();
            upToDate &= m.getState().isApplied() && !m.getState().isFailed();
            out.printf("%-8s %-40s %-10s %s%n", m.getVersion(), m.getDescription(), state,
                    m.getInstalledOn() == null ? "" : m.getInstalledOn().toInstant());
        }
        MigrationInfo current = info.current();
        out.println("schema " + store.schema() + " at version " + (current == null ? "none (not migrated)" : current.getVersion())
                + (upToDate ? ", up to date" : ", NOT up to date: run 'agentstore migrate'"));
        return upToDate ? OK : CHECK_FAILED;
    }

    private static int health(AgentStore store, PrintStream out) {
        Health health = store.health();
        out.println(health.report());
        return health.ok() ? OK : CHECK_FAILED;
    }

    private static int schema(AgentStore store, PrintStream out) {
        out.print(liveSnapshot(store));
        return OK;
    }

    private static int verify(AgentStore store, PrintStream out) {
        List<String> differences = SchemaSnapshot.diff(SchemaSnapshot.committed(), liveSnapshot(store));
        if (differences.isEmpty()) {
            out.println("schema " + store.schema() + " matches the snapshot of this release");
            return OK;
        }
        out.println("schema " + store.schema() + " differs from the snapshot of this release "
                + "(- expected, + live; " + differences.size() + " lines):");
        differences.forEach(out::println);
        return CHECK_FAILED;
    }

    private static String liveSnapshot(AgentStore store) {
        return store.dsl().connectionResult(c -> {
            try {
                return SchemaSnapshot.of(c, store.schema(), store.embeddingDimension());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    private static String message(Throwable e) {
        StringBuilder m = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !m.toString().contains(c.getMessage())) {
                m.append("\n  caused by: ").append(c.getMessage());
            }
        }
        return m.toString();
    }

    private static String orNone(String version) {
        return version == null ? "none" : version;
    }

    /** Flyway wants a DataSource; hand it the store's connections (returned to the store's pool on close). */
    private static DataSource dataSource(ConnectionProvider provider) {
        return new DataSource() {
            @Override
            public Connection getConnection() {
                return provider.acquire();
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                throw new SQLFeatureNotSupportedException("the store's connections use the configured user");
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {
            }

            @Override
            public void setLoginTimeout(int seconds) {
            }

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public Logger getParentLogger() throws SQLFeatureNotSupportedException {
                throw new SQLFeatureNotSupportedException();
            }

            @Override
            public <T> T unwrap(Class<T> iface) throws SQLException {
                throw new SQLException("not a wrapper");
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }
}
