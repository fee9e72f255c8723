package dev.agentstore.testkit;

import dev.agentstore.migrations.AgentStoreMigrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server with pgvector for tests, examples and tools, started at most once per
 * JVM. It comes from the first provider that works, in this order:
 * <ol>
 *   <li>an explicit JDBC URL: {@code AGENTSTORE_TEST_JDBC_URL} (or {@code -Dagentstore.test.jdbcUrl}),
 *       with {@code AGENTSTORE_TEST_JDBC_USER} and {@code AGENTSTORE_TEST_JDBC_PASSWORD}; the user must
 *       be allowed to create databases. When set, no other provider is tried;</li>
 *   <li>Testcontainers with the pinned image {@value TestcontainersProvider#IMAGE}, when Docker is available;</li>
 *   <li>a throw-away cluster from the local PostgreSQL binaries (found through {@code AGENTSTORE_PG_BIN},
 *       {@code pg_config}, {@code PATH} or {@code /usr/lib/postgresql/*}{@code /bin}), deleted when the JVM exits.</li>
 * </ol>
 * {@code AGENTSTORE_TEST_PROVIDER} ({@code url}, {@code testcontainers} or {@code local}) forces one.
 * When none works, {@link NoDatabaseAvailableException} lists what was tried and how to fix each.
 *
 * <pre>{@code
 * TestDatabase db = TestPostgres.shared().createDatabase("agentstore", 1536);
 * try (Connection c = db.connect()) { ... }
 * }</pre>
 *
 * <p>Thread-safe. Each database it creates is new and isolated; migrated ones are copied from a
 * template migrated once per JVM, schema and dimension.
 */
public final class TestPostgres {

    static final String PROVIDER_ENV = "AGENTSTORE_TEST_PROVIDER";
    static final String PROVIDER_PROPERTY = "agentstore.test.provider";

    private static TestPostgres shared;

    private final ServerCoordinates server;
    private final boolean dropOnExit;
    private final Map<String, String> templates = new HashMap<>();
    private final List<String> created = new ArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    private final String jvmTag = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 30), 36);

    private TestPostgres(ServerCoordinates server, boolean dropOnExit) {
        this.server = server;
        this.dropOnExit = dropOnExit;
        if (dropOnExit) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::dropCreatedDatabases, "agentstore-testkit-drop"));
        }
    }

    /**
     * The server of this JVM, started on first use.
     *
     * @throws NoDatabaseAvailableException when no provider works, listing each attempt and its fix
     */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            shared = start(Settings.system());
        }
        return shared;
    }

    /** A server of its own (not the shared one), e.g. a {@link TestCluster}'s; its databases go with it. */
    static TestPostgres of(ServerCoordinates server) {
        return new TestPostgres(server, false);
    }

    static TestPostgres start(Settings settings) {
        ExplicitUrlProvider url = new ExplicitUrlProvider(settings);
        TestcontainersProvider containers = new TestcontainersProvider(settings);
        LocalClusterProvider local = new LocalClusterProvider(settings);
        String forced = settings.get(PROVIDER_PROPERTY, PROVIDER_ENV);
        List<PostgresProvider> chain;
        if (forced != null) {
            chain = switch (forced.toLowerCase(Locale.ROOT)) {
                case "url" -> List.of(url);
                case "testcontainers", "docker" -> List.of(containers);
                case "local" -> List.of(local);
                default -> throw new IllegalArgumentException(PROVIDER_ENV + " must be url, testcontainers or local, but was '" + forced + "'");
            };
        } else if (url.configured()) {
            chain = List.of(url); // an explicit URL that does not work is an error, never silently replaced
        } else {
            chain = List.of(containers, local);
        }
        return new TestPostgres(startFirst(chain), chain.size() == 1 && chain.get(0) == url);
    }

    static ServerCoordinates startFirst(List<? extends PostgresProvider> chain) {
        List<String> attempts = new ArrayList<>();
        for (PostgresProvider provider : chain) {
            try {
                return provider.start();
            } catch (ProviderUnavailableException e) {
                attempts.add(e.getMessage());
            }
        }
        throw new NoDatabaseAvailableException(attempts);
    }

    /** Which provider yields this server, e.g. "local PostgreSQL binaries (/usr/lib/postgresql/15/bin)". */
    public String provider() {
        return server.provider();
    }

    /** JDBC URL of the server's maintenance database, for a user that may create databases. */
    public String jdbcUrl() {
        return server.adminJdbcUrl();
    }

    /** JDBC URL of another database on this server. */
    public String jdbcUrl(String database) {
        return server.jdbcUrl(database);
    }

    /** The login of {@link #jdbcUrl()}. */
    public String user() {
        return server.user();
    }

    /** The password of {@link #user()}, possibly empty. */
    public String password() {
        return server.password();
    }

    /** Opens a connection to the maintenance database, e.g. to create roles. */
    public Connection connectAdmin() throws SQLException {
        return DriverManager.getConnection(server.adminJdbcUrl(), server.user(), server.password());
    }

    /**
     * Creates a new database with agentstore's migrations applied.
     *
     * @param schema the agentstore schema name
     * @param embeddingDimension the dimension of the embedding columns
     */
    public TestDatabase createDatabase(String schema, int embeddingDimension) {
        AgentStoreMigrations.checkSchemaName(schema);
        AgentStoreMigrations.checkDimension(embeddingDimension);
        String template = template(schema, embeddingDimension);
        String name = newName("agentstore_test");
        // CREATE DATABASE ... TEMPLATE fails while another session copies the same template
        synchronized (this) {
            execute("CREATE DATABASE " + name + " TEMPLATE " + template);
            created.add(name);
        }
        return new TestDatabase(name, server.jdbcUrl(name), server.user(), server.password(), schema, embeddingDimension);
    }

    /** Creates a new, empty database: no schema, no extension. */
    public TestDatabase createEmptyDatabase() {
        String name = newName("agentstore_empty");
        synchronized (this) {
            execute("CREATE DATABASE " + name + " TEMPLATE template0");
            created.add(name);
        }
        return new TestDatabase(name, server.jdbcUrl(name), server.user(), server.password(), null, 0);
    }

    private synchronized String template(String schema, int dimension) {
        return templates.computeIfAbsent(schema + "/" + dimension, key -> {
            String name = newName("agentstore_tpl_" + schema + "_" + dimension);
            execute("CREATE DATABASE " + name + " TEMPLATE template0");
            created.add(name);
            TestDatabase db = new TestDatabase(name, server.jdbcUrl(name), server.user(), server.password(), schema, dimension);
            AgentStoreMigrations.configure(db.dataSource(), schema, dimension).load().migrate();
            return name;
        });
    }

    private String newName(String prefix) {
        String name = (prefix + "_" + jvmTag + "_" + counter.incrementAndGet()).toLowerCase(Locale.ROOT);
        return name.length() > 63 ? name.substring(name.length() - 63) : name;
    }

    private void execute(String sql) {
        try (Connection c = connectAdmin(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test kit: '" + sql + "' failed on " + provider() + ": " + e.getMessage(), e);
        }
    }

    private synchronized void dropCreatedDatabases() {
        try (Connection c = connectAdmin(); Statement s = c.createStatement()) {
            for (String name : created) {
                try {
                    s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                } catch (SQLException e) {
                    // best effort at exit
                }
            }
        } catch (SQLException e) {
            // server gone: nothing to drop
        }
    }

    @Override
    public String toString() {
        return "TestPostgres[" + server + "]";
    }
}
