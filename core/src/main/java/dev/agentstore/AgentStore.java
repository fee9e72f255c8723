package dev.agentstore;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.agentstore.agents.Agents;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.document.Documents;
import dev.agentstore.internal.BoundConnection;
import dev.agentstore.internal.Facades;
import dev.agentstore.internal.JooqDefaults;
import dev.agentstore.internal.JoiningTransactionProvider;
import dev.agentstore.internal.JooqCompatibility;
import dev.agentstore.internal.Limits;
import dev.agentstore.knowledge.Knowledge;
import dev.agentstore.lifecycle.Erasure;
import dev.agentstore.lifecycle.ErasureResult;
import dev.agentstore.lifecycle.StoreCounts;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.SqlLog;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.internal.Timing;
import dev.agentstore.memory.Memory;
import dev.agentstore.migrations.AgentStoreMigrations;
import dev.agentstore.observe.StoreObserver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.MappedSchema;
import org.jooq.conf.RenderMapping;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of agentstore: one per application and database, built once, shared by all threads.
 *
 * <pre>{@code
 * try (AgentStore store = AgentStore.builder()
 *         .jdbcUrl("jdbc:postgresql://localhost:5432/app").user("app").password(secret)
 *         .migrateOnStart(true)
 *         .build()) {
 *     System.out.println(store.health());
 * }
 * }</pre>
 *
 * <p>Built either from the application's {@link DataSource} (then agentstore never closes it) or
 * from a JDBC URL (then agentstore owns a HikariCP pool and {@link #close()} closes it). Settings can
 * also come from environment variables ({@link Builder#fromEnvironment()}).
 *
 * <p>On {@link Builder#build()} the store checks that the database fits: pgvector installed, the
 * schema migrated to the version this library expects, and the embedding dimension the same as
 * configured. {@link #migrate()} applies agentstore's Flyway migrations on request.
 *
 * <p>Thread-safe and immutable.
 */
public final class AgentStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentStore.class);

    /** Environment variable: the JDBC URL. */
    public static final String ENV_JDBC_URL = "AGENTSTORE_JDBC_URL";
    /** Environment variable: the database user. */
    public static final String ENV_JDBC_USER = "AGENTSTORE_JDBC_USER";
    /** Environment variable: the database password. */
    public static final String ENV_JDBC_PASSWORD = "AGENTSTORE_JDBC_PASSWORD";
    /** Environment variable: the schema name. */
    public static final String ENV_SCHEMA = "AGENTSTORE_SCHEMA";
    /** Environment variable: the embedding dimension. */
    public static final String ENV_EMBEDDING_DIMENSION = "AGENTSTORE_EMBEDDING_DIMENSION";
    /** Environment variable: the maximum pool size. */
    public static final String ENV_POOL_SIZE = "AGENTSTORE_POOL_SIZE";
    /** Environment variable: the minimum number of idle connections. */
    public static final String ENV_POOL_MIN_IDLE = "AGENTSTORE_POOL_MIN_IDLE";
    /** Environment variable: how long to wait for a pooled connection, in milliseconds. */
    public static final String ENV_CONNECTION_TIMEOUT_MS = "AGENTSTORE_CONNECTION_TIMEOUT_MS";
    /** Environment variable: {@code true} to migrate on start. */
    public static final String ENV_MIGRATE_ON_START = "AGENTSTORE_MIGRATE_ON_START";

    private final DataSource dataSource;
    /** What statements run on: the data source, or with {@code logSql(true)} a wrapper logging them. */
    private final DataSource connections;
    private final boolean logSql;
    /** What Flyway connects through: Flyway holds two connections at once, so never a small pool of ours. */
    private final DataSource migrationSource;
    private final HikariDataSource ownedPool;
    private final String schema;
    private final int embeddingDimension;
    private final StoreContext context;
    /** For a view bound to one transaction's connection, that connection; null for the store itself. */
    private final BoundConnection bound;
    /** The store's observer (told when the store closes); null for none and for views. */
    private final StoreObserver observer;

    private AgentStore(DataSource dataSource, DataSource migrationSource, HikariDataSource ownedPool, String schema,
            int embeddingDimension, Limits limits, Clock clock, boolean rowLevelSecurity, boolean logSql,
            StoreObserver observer) {
        this.dataSource = dataSource;
        this.connections = logSql ? SqlLog.wrap(dataSource) : dataSource;
        this.logSql = logSql;
        this.migrationSource = migrationSource;
        this.ownedPool = ownedPool;
        this.schema = schema;
        this.embeddingDimension = embeddingDimension;
        this.context = new StoreContext(createDsl(connections, schema), connections, rowLevelSecurity, schema,
                embeddingDimension, limits, clock);
        Timing.install(context, observer);
        this.bound = null;
        this.observer = observer;
    }

    /** A view of {@code store} whose every statement runs on {@code connection}. */
    private AgentStore(AgentStore store, BoundConnection connection) {
        this.dataSource = store.dataSource;
        this.connections = store.connections;
        this.logSql = store.logSql;
        this.migrationSource = store.migrationSource;
        this.ownedPool = null;
        this.schema = store.schema;
        this.embeddingDimension = store.embeddingDimension;
        this.context = store.context.bound(connection);
        this.bound = connection;
        this.observer = null;
    }

    /**
     * A new builder with the defaults.
     *
     * @return a new builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A store configured only from environment variables ({@value #ENV_JDBC_URL} and the others named by
     * the {@code ENV_} constants).
     *
     * @return a store configured only from environment variables
     * @throws IllegalArgumentException when a variable is missing or malformed
     */
    public static AgentStore fromEnvironment() {
        return builder().fromEnvironment().build();
    }

    private static DSLContext createDsl(DataSource dataSource, String schema) {
        Settings settings = new Settings()
                .withExecuteLogging(false)
                .withRenderFormatted(false);
        if (!schema.equals(AgentStoreMigrations.DEFAULT_SCHEMA)) {
            settings.withRenderMapping(new RenderMapping().withSchemata(
                    new MappedSchema().withInput(AgentStoreMigrations.DEFAULT_SCHEMA).withOutput(schema)));
        }
        // one transaction mechanism for every capability: jOOQ transactions join a surrounding one
        return DSL.using(new DefaultConfiguration().set(dataSource).set(SQLDialect.POSTGRES).set(settings)
                .set(new JoiningTransactionProvider()));
    }

    /**
     * Applies agentstore's migrations that the database lacks (creating the schema and, when allowed,
     * the pgvector extension). A second call is a no-op. The database user needs the right to create
     * the schema; creating the extension needs a superuser unless it already exists.
     *
     * @return how many migrations ran and the schema version now
     * @throws MissingPrivilegeException before anything changes, when the role may not create the schema
     *     (or create in it, or write the history), naming the GRANT to run
     * @throws SchemaValidationException when a migration fails, e.g. pgvector cannot be created
     */
    public MigrationResult migrate() {
        MigrationResult result = SchemaChecks.migrate(migrationSource, schema, embeddingDimension);
        if (result.migrationsExecuted() > 0) {
            LOG.info("agentstore migrated schema '{}' from version {} to {} ({} migrations)", schema,
                    result.fromVersion() == null ? "none" : result.fromVersion(), result.toVersion(), result.migrationsExecuted());
        }
        return result;
    }

    /**
     * A snapshot of the database and pool: server and pgvector versions, schema version, agentstore's
     * migrations (applied, with when and how long they ran, and pending), and pool statistics when the
     * data source is a HikariCP pool. Reading the migration history asks Flyway (two short-lived
     * connections of the migration source and a classpath scan, some tens of milliseconds): poll it
     * seconds apart, not per request.
     *
     * @return a snapshot of the database and pool
     * @throws AgentStoreException when the database cannot be reached
     */
    public Health health() {
        String server;
        String pgvector;
        String version;
        try (Connection c = dataSource.getConnection()) {
            server = SchemaChecks.queryString(c, "SHOW server_version", null);
            pgvector = SchemaChecks.queryString(c, "SELECT extversion FROM pg_extension WHERE extname = 'vector'", null);
            version = SchemaChecks.schemaVersion(c, schema);
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "read the health report");
        }
        // after closing the connection above: Flyway takes connections of its own
        List<SchemaMigration> migrations = MigrationHistory.read(migrationSource, schema, embeddingDimension);
        return new Health(server, pgvector, schema, version, embeddingDimension, currentPoolStats(), migrations);
    }

    /**
     * The connection pool's statistics now, read from HikariCP's pool MXBean without a database round trip
     * (cheap enough for a gauge that is read on every metrics scrape).
     *
     * @return the statistics of the store's own pool, or of the host's data source when it is a HikariCP pool;
     *         empty for any other data source
     */
    public Optional<PoolStats> poolStats() {
        return Optional.ofNullable(currentPoolStats());
    }

    private PoolStats currentPoolStats() {
        HikariDataSource pool = ownedPool != null ? ownedPool
                : dataSource instanceof HikariDataSource h ? h : null;
        if (pool == null || pool.getHikariPoolMXBean() == null) {
            return null;
        }
        HikariPoolMXBean mx = pool.getHikariPoolMXBean();
        return new PoolStats(mx.getActiveConnections(), mx.getIdleConnections(), mx.getThreadsAwaitingConnection(),
                mx.getTotalConnections(), pool.getMaximumPoolSize());
    }

    /**
     * jOOQ's context over this store's data source, for queries the repository API does not offer.
     * The generated tables of {@code dev.agentstore.schema} are mapped to this store's schema.
     * Not tenant-scoped: when the store connects as the tables' owner (or a superuser), filter every
     * query by {@code TENANT_ID} yourself; when it connects as a runtime role bound by row-level
     * security ({@link #rowLevelSecurity()}), this context sees no row of agentstore's tables at all.
     * Use {@link #dsl(TenantId)} for one tenant's rows.
     *
     * @return jOOQ's context over this store's data source, for queries the repository API does not offer
     */
    public DSLContext dsl() {
        return context.dsl();
    }

    /**
     * jOOQ's context for queries of one tenant: every transaction on it (each statement in auto-commit
     * mode) first sets the tenant ({@code set_config('agentstore.tenant', tenant, true)}, transaction-local,
     * in the same round trip). When the store's role is bound by row-level security
     * ({@link #rowLevelSecurity()}), PostgreSQL then shows and accepts only this tenant's rows, whatever
     * the query says: another tenant's rows are invisible, and inserting or updating a row of another
     * tenant fails ({@code new row violates row-level security policy}). When it is not bound (the store
     * connects as the owner or a superuser), the setting has no effect: filter by {@code TENANT_ID}.
     *
     * <p>JDBC batches and plain (non-prepared) statements in auto-commit mode are not supported on its
     * connections. A query that itself changes {@code agentstore.tenant} changes the tenant: this protects
     * against mistakes in host queries, not against host code that means to read another tenant.
     *
     * @param tenant the tenant id
     * @return jOOQ's context for queries of one tenant
     * @throws NullPointerException when tenant is null
     */
    public DSLContext dsl(TenantId tenant) {
        return context.dsl(TenantId.require(tenant).value());
    }

    /**
     * {@link #dsl(TenantId)} for {@code TenantId.of(tenant)}.
     *
     * @param tenant the tenant id
     * @return the DSL context
     * @throws InvalidInputException when the tenant id is invalid
     */
    public DSLContext dsl(String tenant) {
        return dsl(TenantId.of(tenant));
    }

    /**
     * Whether PostgreSQL enforces tenant isolation for this store's database role: the role is neither the
     * owner of agentstore's tables, nor a superuser, nor has {@code BYPASSRLS}, so the row-level security
     * policies of schema version 8 apply to it. Then every call of the capability facades sets its tenant
     * for the database, and a query that forgets a tenant filter still sees one tenant only. Detected by
     * {@link Builder#build()}; see the README section "Guarantees" for how to create such a role.
     *
     * @return whether PostgreSQL enforces tenant isolation for this store's database role
     */
    public boolean rowLevelSecurity() {
        return context.rowLevelSecurity();
    }

    /**
     * The schema agentstore's tables live in.
     *
     * @return the schema agentstore's tables live in
     */
    public String schema() {
        return schema;
    }

    /**
     * The dimension of every embedding this store holds.
     *
     * @return the dimension of every embedding this store holds
     */
    public int embeddingDimension() {
        return embeddingDimension;
    }

    /**
     * Whether {@link #close()} closes a pool this store created (false for a host data source).
     *
     * @return whether {@link #close()} closes a pool this store created (false for a host data source)
     */
    public boolean ownsPool() {
        return ownedPool != null;
    }

    /**
     * Erasure of one tenant's data: everything of a user ({@code eraseUser}), of an agent
     * ({@code eraseAgent}) or of the whole tenant, in batches of short transactions.
     *
     * @param tenant the tenant id
     * @return erasure of one tenant's data
     * @throws NullPointerException when tenant is null
     */
    public Erasure erasure(TenantId tenant) {
        TenantId t = TenantId.require(tenant);
        return Facades.create(Erasure.class, context.forTenant(t.value()), t);
    }

    /**
     * {@link #erasure(TenantId)} for {@code TenantId.of(tenant)}.
     *
     * @param tenant the tenant id
     * @return the erasure
     * @throws InvalidInputException when the tenant id is invalid
     */
    public Erasure erasure(String tenant) {
        return erasure(TenantId.of(tenant));
    }

    /**
     * Erases every row of this tenant in every capability (an organisation leaving); same as
     * {@code erasure(tenant).eraseTenant()}.
     *
     * @param tenant the tenant id
     * @return rows deleted per table
     * @throws NullPointerException when tenant is null
     */
    public ErasureResult erase(TenantId tenant) {
        return erasure(tenant).eraseTenant();
    }

    /**
     * Store-wide recovery of documents whose processing lease expired, every tenant in one call, in
     * batches, with counts per tenant (for an operator or a scheduler; works for the runtime role bound by
     * row-level security too). Per tenant: {@code documents(tenant).pipeline().recoverExpired(...)}.
     *
     * @return store-wide recovery of documents whose processing lease expired, every tenant in one call, in
     *         batches, with counts per tenant
     */
    public dev.agentstore.document.LeaseRecovery leaseRecovery() {
        return Facades.create(dev.agentstore.document.LeaseRecovery.class, context);
    }

    /**
     * Cheap counts of one tenant's rows per capability (estimated from PostgreSQL's statistics where
     * exact counts would scan) and the store's table and index sizes.
     *
     * @param tenant the tenant id
     * @return cheap counts of one tenant's rows per capability
     * @throws NullPointerException when tenant is null
     */
    public StoreCounts counts(TenantId tenant) {
        TenantId t = TenantId.require(tenant);
        return Facades.create(StoreCounts.class, context.forTenant(t.value()), t);
    }

    /**
     * {@link #counts(TenantId)} for {@code TenantId.of(tenant)}.
     *
     * @param tenant the tenant id
     * @return the store counts
     * @throws InvalidInputException when the tenant id is invalid
     */
    public StoreCounts counts(String tenant) {
        return counts(TenantId.of(tenant));
    }

    /**
     * The chat history of one tenant: sessions, messages, feedback, retention and statistics.
     *
     * @param tenant the tenant id
     * @return the chat history of one tenant: sessions, messages, feedback, retention and statistics
     * @throws NullPointerException when tenant is null
     */
    public Conversations conversations(TenantId tenant) {
        TenantId t = TenantId.require(tenant);
        return Facades.create(Conversations.class, context.forTenant(t.value()), t);
    }

    /**
     * The chat history of one tenant, by tenant id.
     *
     * @param tenant the tenant id
     * @return the chat history of one tenant, by tenant id
     * @throws InvalidInputException when the tenant id is null, blank, too long or has control characters
     */
    public Conversations conversations(String tenant) {
        return conversations(TenantId.of(tenant));
    }

    /**
     * Agent memory (key/value state and semantic memories) of one tenant. Cheap to call; the facade is
     * thread-safe and may be kept.
     *
     * @param tenant the tenant id
     * @return agent memory (key/value state and semantic memories) of one tenant
     * @throws NullPointerException when tenant is null
     */
    public Memory memory(TenantId tenant) {
        TenantId t = TenantId.require(tenant);
        return Facades.create(Memory.class, context.forTenant(t.value()), t);
    }

    /**
     * Agent memory of the tenant with this id; same as {@code memory(TenantId.of(tenant))}.
     *
     * @param tenant the tenant id
     * @return agent memory of the tenant with this id; same as {@code memory(TenantId.of(tenant))}
     * @throws InvalidInputException when the tenant id is blank, too long or has control characters
     */
    public Memory memory(String tenant) {
        return memory(TenantId.of(tenant));
    }

    /**
     * Knowledge bases, documents and deduplicated chunks of one tenant, with idempotent ingestion.
     * Cheap to call; the returned object is thread-safe and may be kept.
     *
     * @param tenant the tenant id
     * @return knowledge bases, documents and deduplicated chunks of one tenant, with idempotent ingestion
     * @throws NullPointerException when tenant is null
     */
    public Documents documents(TenantId tenant) {
        TenantId t = TenantId.require(tenant);
        return Facades.create(Documents.class, context.forTenant(t.value()), t);
    }

    /**
     * {@link #documents(TenantId)} for {@code TenantId.of(tenant)}.
     *
     * @param tenant the tenant id
     * @return the documents
     * @throws InvalidInputException when the tenant id is invalid
     */
    public Documents documents(String tenant) {
        return documents(TenantId.of(tenant));
    }

    /**
     * Knowledge search (vector, full-text, hybrid) over the knowledge bases of one tenant.
     *
     * @param tenant the tenant id
     * @return knowledge search (vector, full-text, hybrid) over the knowledge bases of one tenant
     * @throws NullPointerException when tenant is null
     */
    public Knowledge knowledge(TenantId tenant) {
        TenantId t = TenantId.require(tenant);
        return Facades.create(Knowledge.class, context.forTenant(t.value()), t);
    }

    /**
     * Knowledge search for the tenant with this id.
     *
     * @param tenant the tenant id
     * @return knowledge search for the tenant with this id
     * @throws InvalidInputException when the tenant id is null, blank or too long
     */
    public Knowledge knowledge(String tenant) {
        return knowledge(TenantId.of(tenant));
    }

    /**
     * The agent registry of one tenant: agents, versions, teams, recorded runs and their statistics.
     *
     * @param tenant the tenant id
     * @return the agent registry of one tenant
     * @throws NullPointerException when tenant is null
     */
    public Agents agents(TenantId tenant) {
        TenantId t = TenantId.require(tenant);
        return Facades.create(Agents.class, context.forTenant(t.value()), t);
    }

    /**
     * The agent registry of the tenant with this id.
     *
     * @param tenant the tenant id
     * @return the agent registry of the tenant with this id
     * @throws InvalidInputException when the tenant id is null, blank or too long
     */
    public Agents agents(String tenant) {
        return agents(TenantId.of(tenant));
    }

    /**
     * Runs {@code work} in one database transaction and returns its result: everything done through
     * the {@code tx} store it receives — messages, documents, memories, searches, and the host's own
     * statements through {@code tx.dsl()} — commits together when the work returns, and rolls back
     * together when it throws (the exception passes through unchanged, checked ones included).
     *
     * <pre>{@code
     * MessageId id = store.inTransaction(tx -> {
     * Message m = tx.conversations(tenant).addMessage(session, NewMessage.user("hello"));
     * tx.dsl().insertInto(AUDIT).set(AUDIT.MESSAGE_ID, m.id().value()).execute();
     * return m.id();
     * });
     * }</pre>
     *
     * <p>The capabilities keep their guarantees inside: a message's sequence number is taken under the
     * session's lock (held until the end of the transaction, so it stays gapless when the transaction
     * rolls back), and each capability call that fails is undone up to a savepoint of its own, so it
     * leaves no half-written document, turn or memory even if the work catches its exception and goes on.
     *
     * <p>Calling {@code inTransaction} on {@code tx} (or on a {@link #joining} view) nests: the inner work
     * runs inside a savepoint of the same transaction; if it throws, only its changes are undone. When
     * the data source hands out a connection already inside a transaction (e.g. Spring's
     * {@code TransactionAwareDataSourceProxy}), the work joins that transaction the same way and
     * nothing is committed here. {@code tx} is valid only inside the callback and on its thread;
     * {@link #migrate()} and {@link #health()} on it use connections of their own.
     *
     * @param <T> the type of the value
     * @param <X> the exception type
     * @param work the work to run
     * @return the t
     * @throws X what the work throws, after the rollback
     * @throws AgentStoreException when the transaction cannot begin or commit (the cause kept)
     * @throws NullPointerException when work is null
     */
    public <T, X extends Exception> T inTransaction(TransactionCallback<T, X> work) throws X {
        return StoreTransactions.inTransaction(this, work);
    }

    /**
     * {@link #inTransaction} for work that returns nothing.
     *
     * @param <X> the exception type
     * @param work the work to run
     * @throws X what the work throws, after the rollback
     * @throws AgentStoreException when the transaction cannot begin or commit
     * @throws NullPointerException when work is null
     */
    public <X extends Exception> void useTransaction(TransactionConsumer<X> work) throws X {
        Objects.requireNonNull(work, "work");
        StoreTransactions.inTransaction(this, tx -> {
            work.accept(tx);
            return null;
        });
    }

    /**
     * A view of this store that runs every statement on {@code connection}, inside the transaction the
     * host manages there (plain JDBC, or the connection of a Spring, Jakarta or jOOQ transaction):
     * agentstore never commits, rolls back or closes it. Each capability call joins through a savepoint
     * of its own (so a failed call leaves nothing half-written); {@link #inTransaction} on the view nests
     * the same way. The view is cheap, not thread-safe (a JDBC connection is not) and valid as long as
     * the connection is; in auto-commit mode each call commits on its own.
     *
     * <pre>{@code
     * try (Connection c = hostDataSource.getConnection()) {
     * c.setAutoCommit(false);
     * store.joining(c).conversations(tenant).addMessage(session, NewMessage.user("hi"));
     * insertHostRow(c);
     * c.commit();
     * }
     * }</pre>
     *
     * @param connection the connection
     * @return a view of this store that runs every statement on {@code connection}, inside the transaction the
     *         host manages there
     * @throws NullPointerException when connection is null
     */
    public AgentStore joining(Connection connection) {
        Objects.requireNonNull(connection, "connection");
        return new AgentStore(this, new BoundConnection(logSql ? SqlLog.wrap(connection) : connection));
    }

    /** A view bound to one transaction's connection (see {@link StoreTransactions}). */
    AgentStore boundTo(BoundConnection connection) {
        return new AgentStore(this, connection);
    }

    /** The connection this view is bound to, or null for the store itself. */
    BoundConnection boundConnection() {
        return bound;
    }

    /** Where the store's statements get their connections (logging them with {@code logSql(true)}). */
    DataSource connections() {
        return connections;
    }

    /** What the capability facades share; unsupported API. */
    StoreContext context() {
        return context;
    }

    /** Closes the pool this store created from a JDBC URL; a host data source is left open. Idempotent. */
    @Override
    public void close() {
        if (observer != null) {
            try {
                observer.storeClosed(this);
            } catch (RuntimeException e) {
                LOG.warn("the store observer {} failed when the store closed (ignored)", observer, e);
            }
        }
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    @Override
    public String toString() {
        return "AgentStore[schema=" + schema + ", embeddingDimension=" + embeddingDimension
                + ", " + (bound != null ? "bound to one connection" : ownedPool != null ? "own pool " + ownedPool.getPoolName()
                : "host data source") + "]";
    }

    // ------------------------------------------------------------------------------------------
    // start-up validation

    // ------------------------------------------------------------------------------------------

    /**
     * Configures and builds an {@link AgentStore}. Setters reject impossible values at once with an
     * {@link IllegalArgumentException} naming the option and its bounds; {@link #build()} checks the
     * whole configuration and the database. Not thread-safe; one builder builds one store.
     */
    public static final class Builder {

        /** Default maximum pool size of a pool the store creates. */
        public static final int DEFAULT_POOL_SIZE = 10;
        /** Default wait for a pooled connection. */
        public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(30);
        /** Default limit of message content, in characters. */
        public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1_000_000;
        /** Default limit of one chunk's text, in characters. */
        public static final int DEFAULT_MAX_CHUNK_LENGTH = 100_000;
        /** Default limit of a semantic memory's content, in characters. */
        public static final int DEFAULT_MAX_MEMORY_LENGTH = 100_000;
        /** Default limit of the JSON text of one metadata object, in characters. */
        public static final int DEFAULT_MAX_METADATA_LENGTH = Limits.DEFAULT_MAX_METADATA_LENGTH;
        /** Default limit of the JSON text of one key/value memory entry, in characters. */
        public static final int DEFAULT_MAX_MEMORY_VALUE_LENGTH = Limits.DEFAULT_MAX_MEMORY_VALUE_LENGTH;
        /** Default number of texts per call of a host embedding function. */
        public static final int DEFAULT_EMBEDDING_BATCH_SIZE = 64;
        /** Default of {@link #ingestLease(Duration)}. */
        public static final Duration DEFAULT_INGEST_LEASE = Limits.DEFAULT_INGEST_LEASE;
        /** Shortest {@link #ingestLease(Duration)}. */
        public static final Duration MIN_INGEST_LEASE = Duration.ofSeconds(1);
        /** Longest {@link #ingestLease(Duration)}. */
        public static final Duration MAX_INGEST_LEASE = Duration.ofDays(1);

        private DataSource dataSource;
        private String jdbcUrl;
        private String user;
        private String password;
        private String schema = AgentStoreMigrations.DEFAULT_SCHEMA;
        private Integer embeddingDimension;
        private int poolSize = DEFAULT_POOL_SIZE;
        private Integer minimumIdle;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private boolean migrateOnStart;
        private boolean validateOnStart = true;
        private boolean requireRowLevelSecurity;
        private int maxMessageLength = DEFAULT_MAX_MESSAGE_LENGTH;
        private int maxChunkLength = DEFAULT_MAX_CHUNK_LENGTH;
        private int maxMemoryLength = DEFAULT_MAX_MEMORY_LENGTH;
        private int embeddingBatchSize = DEFAULT_EMBEDDING_BATCH_SIZE;
        private int maxMetadataLength = DEFAULT_MAX_METADATA_LENGTH;
        private int maxMemoryValueLength = DEFAULT_MAX_MEMORY_VALUE_LENGTH;
        private int bulkLoadThreshold = Limits.DEFAULT_BULK_LOAD_THRESHOLD;
        private int maxIndexRanges = Limits.DEFAULT_MAX_INDEX_RANGES;
        private int exactSearchMaxChunks = Limits.DEFAULT_EXACT_SEARCH_MAX_CHUNKS;
        private int indexBuildMemoryMb = Limits.DEFAULT_INDEX_BUILD_MEMORY_MB;
        private int indexBuildWorkers = Limits.defaultIndexBuildWorkers();
        private Duration ingestLease = DEFAULT_INGEST_LEASE;
        private Clock clock = Clock.systemUTC();
        private boolean logSql;
        private StoreObserver observer;

        private Builder() {
        }

        /**
         * Uses the application's data source; the store never closes it. Excludes {@link #jdbcUrl(String)}.
         * Migrating and validating through Flyway hold two connections at once, so a pool needs at least two.
         *
         * @param dataSource the data source
         * @return this builder
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * Makes the store create (and close) a HikariCP pool for this URL. Excludes {@link #dataSource(DataSource)}.
         *
         * @param jdbcUrl {@code jdbc:postgresql://host[:port]/database[?parameters]}
         * @return this builder
         */
        public Builder jdbcUrl(String jdbcUrl) {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:, but was "
                        + (jdbcUrl == null ? "null" : "'" + redact(jdbcUrl) + "'"));
            }
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /**
         * The database user of {@link #jdbcUrl(String)}.
         *
         * @param user the user id
         * @return this builder
         */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /**
         * The password of {@link #user(String)}; never logged or shown by {@code toString()}.
         *
         * @param password the password
         * @return this builder
         */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * The schema agentstore's tables live in (default {@value AgentStoreMigrations#DEFAULT_SCHEMA}).
         *
         * @param schema 1 to 63 lower-case letters, digits or underscores, not starting with a digit
         * @return this builder
         */
        public Builder schema(String schema) {
            this.schema = AgentStoreMigrations.checkSchemaName(schema);
            return this;
        }

        /**
         * The dimension of every embedding. When unset, the store takes it from the migrated schema, and a
         * first migration uses {@value AgentStoreMigrations#DEFAULT_EMBEDDING_DIMENSION}. When set, it must
         * match the schema.
         *
         * @param dimension 1 to {@value AgentStoreMigrations#MAX_EMBEDDING_DIMENSION}
         * @return this builder
         */
        public Builder embeddingDimension(int dimension) {
            this.embeddingDimension = AgentStoreMigrations.checkDimension(dimension);
            return this;
        }

        /**
         * Maximum size of the pool the store creates (default {@value #DEFAULT_POOL_SIZE}); 1 to 1000.
         *
         * @param poolSize the maximum pool size
         * @return this builder
         */
        public Builder poolSize(int poolSize) {
            this.poolSize = positive(poolSize, 1000, "poolSize");
            return this;
        }

        /**
         * Minimum idle connections of the pool the store creates (default: the pool size); 0 to the pool size.
         *
         * @param minimumIdle the idle connections kept
         * @return this builder
         */
        public Builder minimumIdle(int minimumIdle) {
            if (minimumIdle < 0) {
                throw new IllegalArgumentException("minimumIdle must be 0 or more, but was " + minimumIdle);
            }
            this.minimumIdle = minimumIdle;
            return this;
        }

        /**
         * How long to wait for a pooled connection (default 30 s); at least 250 ms.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder connectionTimeout(Duration timeout) {
            if (timeout == null || timeout.toMillis() < 250) {
                throw new IllegalArgumentException("connectionTimeout must be at least 250 ms, but was " + timeout);
            }
            this.connectionTimeout = timeout;
            return this;
        }

        /**
         * Whether {@link #build()} applies pending migrations first (default false).
         *
         * @param migrate whether to migrate
         * @return this builder
         */
        public Builder migrateOnStart(boolean migrate) {
            this.migrateOnStart = migrate;
            return this;
        }

        /**
         * Whether {@link #build()} checks pgvector, the schema version and the dimension (default true).
         * Turn off only when something else guarantees them; the store then trusts the configured dimension.
         *
         * @param validate whether to validate
         * @return this builder
         */
        public Builder validateOnStart(boolean validate) {
            this.validateOnStart = validate;
            return this;
        }

        /**
         * Whether {@link #build()} fails unless PostgreSQL enforces tenant isolation for the store's role
         * (default false): the role must not own the tables, be a superuser or have {@code BYPASSRLS}.
         * Turn it on in production deployments that rely on {@link AgentStore#rowLevelSecurity()}.
         *
         * @param require whether to require it
         * @return this builder
         */
        public Builder requireRowLevelSecurity(boolean require) {
            this.requireRowLevelSecurity = require;
            return this;
        }

        /**
         * Longest message content accepted, in characters (default {@value #DEFAULT_MAX_MESSAGE_LENGTH}).
         *
         * @param characters the limit in characters
         * @return this builder
         */
        public Builder maxMessageLength(int characters) {
            this.maxMessageLength = positive(characters, Integer.MAX_VALUE, "maxMessageLength");
            return this;
        }

        /**
         * Longest chunk text accepted, in characters (default {@value #DEFAULT_MAX_CHUNK_LENGTH}).
         *
         * @param characters the limit in characters
         * @return this builder
         */
        public Builder maxChunkLength(int characters) {
            this.maxChunkLength = positive(characters, Integer.MAX_VALUE, "maxChunkLength");
            return this;
        }

        /**
         * Longest semantic memory content accepted, in characters (default {@value #DEFAULT_MAX_MEMORY_LENGTH}).
         *
         * @param characters the limit in characters
         * @return this builder
         */
        public Builder maxMemoryLength(int characters) {
            this.maxMemoryLength = positive(characters, Integer.MAX_VALUE, "maxMemoryLength");
            return this;
        }

        /**
         * Longest JSON text of one metadata object accepted, in characters (default
         * {@value #DEFAULT_MAX_METADATA_LENGTH}): the metadata of sessions, messages (and their sources),
         * knowledge bases, documents, chunks and memories. Larger values are refused with
         * {@link InvalidInputException} before SQL; nothing is written.
         *
         * @param characters the limit in characters
         * @return this builder
         */
        public Builder maxMetadataLength(int characters) {
            this.maxMetadataLength = positive(characters, Integer.MAX_VALUE, "maxMetadataLength");
            return this;
        }

        /**
         * Longest JSON text of one key/value memory entry accepted, in characters (default
         * {@value #DEFAULT_MAX_MEMORY_VALUE_LENGTH}). Larger values are refused with
         * {@link InvalidInputException} before SQL; nothing is written.
         *
         * @param characters the limit in characters
         * @return this builder
         */
        public Builder maxMemoryValueLength(int characters) {
            this.maxMemoryValueLength = positive(characters, Integer.MAX_VALUE, "maxMemoryValueLength");
            return this;
        }

        /**
         * Texts per call of a host embedding function (default {@value #DEFAULT_EMBEDDING_BATCH_SIZE}); 1 to 10,000.
         *
         * @param size the size
         * @return this builder
         */
        public Builder embeddingBatchSize(int size) {
            this.embeddingBatchSize = positive(size, 10_000, "embeddingBatchSize");
            return this;
        }

        /**
         * Chunk positions from which {@code Documents.ingestAll} loads the call as a new segment of the
         * knowledge base and builds its indexes after the load, in one transaction (default
         * {@value Limits#DEFAULT_BULK_LOAD_THRESHOLD}); smaller calls write row by row into the live index. 1 to 10,000,000.
         *
         * @param chunks the chunks, in order
         * @return this builder
         */
        public Builder bulkLoadThreshold(int chunks) {
            this.bulkLoadThreshold = positive(chunks, 10_000_000, "bulkLoadThreshold");
            return this;
        }

        /**
         * Index ranges a knowledge base may have besides its live one before a bulk load compacts them into
         * one (default {@value Limits#DEFAULT_MAX_INDEX_RANGES}); 1 to 100. Each range adds one index scan to every search.
         *
         * @param ranges the number of index ranges
         * @return this builder
         */
        public Builder maxIndexRanges(int ranges) {
            this.maxIndexRanges = positive(ranges, 100, "maxIndexRanges");
            return this;
        }

        /**
         * Knowledge bases holding fewer chunks than this are searched exactly, by a scan of their own
         * partition (default {@value Limits#DEFAULT_EXACT_SEARCH_MAX_CHUNKS}); 1 to 1,000,000.
         *
         * @param chunks the chunks, in order
         * @return this builder
         */
        public Builder exactSearchMaxChunks(int chunks) {
            this.exactSearchMaxChunks = positive(chunks, 1_000_000, "exactSearchMaxChunks");
            return this;
        }

        /**
         * {@code maintenance_work_mem} for the index builds of bulk loads and compactions, in MB, set for
         * that transaction only (default {@value Limits#DEFAULT_INDEX_BUILD_MEMORY_MB}); 64 to 65,536.
         *
         * @param megabytes the memory in megabytes
         * @return this builder
         */
        public Builder indexBuildMemoryMb(int megabytes) {
            if (megabytes < 64 || megabytes > 65_536) {
                throw new IllegalArgumentException("indexBuildMemoryMb must be between 64 and 65536, but was " + megabytes);
            }
            this.indexBuildMemoryMb = megabytes;
            return this;
        }

        /**
         * {@code max_parallel_maintenance_workers} for the index builds of bulk loads and compactions, set for
         * that transaction only: parallel workers that build the HNSW graph next to the building backend (the
         * server's {@code max_parallel_workers} and {@code max_worker_processes} still cap them). Default: the
         * processors of this machine minus one, at most 8 (1 on a 2-core machine); set it for the database
         * server's machine when that differs. 0 to 64; 0 builds in the backend alone.
         *
         * @param workers the number of workers
         * @return this builder
         */
        public Builder indexBuildWorkers(int workers) {
            if (workers < 0 || workers > 64) {
                throw new IllegalArgumentException("indexBuildWorkers must be between 0 and 64, but was " + workers);
            }
            this.indexBuildWorkers = workers;
            return this;
        }

        /**
         * The processing lease an ordinary {@code Documents.ingest} of an existing document holds while it
         * embeds (default 10 minutes; 1 second to 1 day). The ingest renews it after every embedding batch
         * that ends past half of it, so only one embedding call longer than the lease, or a dead host, lets it
         * expire; {@code DocumentPipeline.recoverExpired} then marks the document failed.
         *
         * @param lease how long the lease lasts
         * @return this builder
         */
        public Builder ingestLease(Duration lease) {
            Objects.requireNonNull(lease, "ingestLease");
            if (lease.compareTo(MIN_INGEST_LEASE) < 0 || lease.compareTo(MAX_INGEST_LEASE) > 0) {
                throw new IllegalArgumentException("ingestLease must be between " + MIN_INGEST_LEASE + " and " + MAX_INGEST_LEASE
                        + ", but was " + lease);
            }
            this.ingestLease = lease;
            return this;
        }

        /**
         * The clock for timestamps computed in Java, e.g. retention cut-offs (default UTC system clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Whether to log every statement the store runs, with its duration, at DEBUG on logger
         * {@value SqlLog#LOGGER} (default false), for troubleshooting. Only the SQL text with its
         * {@code ?} placeholders is logged, never the bound values (message text, embeddings, memories).
         * Off, the store adds nothing; on, each execution costs one level check while DEBUG is disabled.
         *
         * @param log whether to log
         * @return this builder
         */
        public Builder logSql(boolean log) {
            this.logSql = log;
            return this;
        }

        /**
         * Tells an observer the duration and outcome of every timed operation of the store (see
         * {@link dev.agentstore.observe.Operation}), e.g. {@code agentstore-micrometer}'s Micrometer timers, and
         * lets it register gauges over the pool when the store is built. Default none: then no operation reads the
         * clock or allocates anything for timing.
         *
         * @param observer the observer, or null for none
         * @return this builder
         */
        public Builder observer(StoreObserver observer) {
            this.observer = observer;
            return this;
        }

        /**
         * Reads the settings present in the process environment: {@value #ENV_JDBC_URL}, {@value #ENV_JDBC_USER},
         * {@value #ENV_JDBC_PASSWORD}, {@value #ENV_SCHEMA}, {@value #ENV_EMBEDDING_DIMENSION}, {@value #ENV_POOL_SIZE},
         * {@value #ENV_POOL_MIN_IDLE}, {@value #ENV_CONNECTION_TIMEOUT_MS}, {@value #ENV_MIGRATE_ON_START}. Unset
         * variables leave the builder's value alone.
         *
         * @return this builder
         * @throws IllegalArgumentException naming the variable when a value is malformed
         */
        public Builder fromEnvironment() {
            return fromEnvironment(System.getenv());
        }

        /**
         * Like {@link #fromEnvironment()}, from the given variables.
         *
         * @param env the environment variables
         * @return this builder
         */
        public Builder fromEnvironment(Map<String, String> env) {
            Function<String, String> get = k -> {
                String v = env.get(k);
                return v == null || v.isBlank() ? null : v.trim();
            };
            if (get.apply(ENV_JDBC_URL) != null) {
                envSetting(ENV_JDBC_URL, () -> jdbcUrl(get.apply(ENV_JDBC_URL)));
            }
            if (get.apply(ENV_JDBC_USER) != null) {
                user(get.apply(ENV_JDBC_USER));
            }
            if (env.get(ENV_JDBC_PASSWORD) != null) {
                password(env.get(ENV_JDBC_PASSWORD));
            }
            if (get.apply(ENV_SCHEMA) != null) {
                envSetting(ENV_SCHEMA, () -> schema(get.apply(ENV_SCHEMA)));
            }
            if (get.apply(ENV_EMBEDDING_DIMENSION) != null) {
                envSetting(ENV_EMBEDDING_DIMENSION, () -> embeddingDimension(envInt(ENV_EMBEDDING_DIMENSION, get.apply(ENV_EMBEDDING_DIMENSION))));
            }
            if (get.apply(ENV_POOL_SIZE) != null) {
                envSetting(ENV_POOL_SIZE, () -> poolSize(envInt(ENV_POOL_SIZE, get.apply(ENV_POOL_SIZE))));
            }
            if (get.apply(ENV_POOL_MIN_IDLE) != null) {
                envSetting(ENV_POOL_MIN_IDLE, () -> minimumIdle(envInt(ENV_POOL_MIN_IDLE, get.apply(ENV_POOL_MIN_IDLE))));
            }
            if (get.apply(ENV_CONNECTION_TIMEOUT_MS) != null) {
                envSetting(ENV_CONNECTION_TIMEOUT_MS, () -> connectionTimeout(
                        Duration.ofMillis(envInt(ENV_CONNECTION_TIMEOUT_MS, get.apply(ENV_CONNECTION_TIMEOUT_MS)))));
            }
            String migrate = get.apply(ENV_MIGRATE_ON_START);
            if (migrate != null) {
                if (!migrate.equalsIgnoreCase("true") && !migrate.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException(ENV_MIGRATE_ON_START + " must be true or false, but was '" + migrate + "'");
                }
                migrateOnStart(Boolean.parseBoolean(migrate));
            }
            return this;
        }

        private static void envSetting(String variable, Runnable apply) {
            try {
                apply.run();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("environment variable " + variable + ": " + e.getMessage(), e);
            }
        }

        private static int envInt(String variable, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number, but was '" + value + "'");
            }
        }

        private static int positive(int value, int max, String name) {
            if (value < 1 || value > max) {
                throw new IllegalArgumentException(name + " must be between 1 and " + max + ", but was " + value);
            }
            return value;
        }

        /**
         * Checks the configuration, creates the pool (for a JDBC URL), migrates (when asked) and validates
         * the database.
         *
         * @return the agent store
         * @throws IllegalArgumentException when the configuration is incomplete or contradictory
         * @throws AgentStoreException when the jOOQ on the classpath is older than the one agentstore was
         * built against (the message names both versions and the {@code jooq.version} fix)
         * @throws SchemaValidationException when the database does not fit (with what to run or change)
         * @throws AgentStoreException when the database cannot be reached
         */
        public AgentStore build() {
            JooqCompatibility.check();
            if (dataSource != null && jdbcUrl != null) {
                throw new IllegalArgumentException("give either dataSource(...) or jdbcUrl(...), not both");
            }
            if (dataSource == null && jdbcUrl == null) {
                throw new IllegalArgumentException("no database: call dataSource(yourDataSource), or jdbcUrl(\"jdbc:postgresql://host/db\")"
                        + " with user(...) and password(...), or set " + ENV_JDBC_URL + " and use fromEnvironment()");
            }
            if (dataSource != null && (minimumIdle != null || poolSize != DEFAULT_POOL_SIZE)) {
                throw new IllegalArgumentException("poolSize and minimumIdle configure the pool agentstore creates from jdbcUrl;"
                        + " configure the pool of your own dataSource instead");
            }
            if (minimumIdle != null && minimumIdle > poolSize) {
                throw new IllegalArgumentException("minimumIdle (" + minimumIdle + ") must not exceed poolSize (" + poolSize + ")");
            }
            JooqDefaults.quietUnlessConfigured();
            HikariDataSource pool = dataSource == null ? createPool() : null;
            DataSource ds = pool != null ? pool : dataSource;
            DataSource migrationSource = pool != null ? unpooled() : dataSource;
            try {
                Integer dimension = embeddingDimension;
                MigrationResult migrated = null;
                if (migrateOnStart) {
                    int forMigration = dimension != null ? dimension : existingDimension(ds);
                    migrated = SchemaChecks.migrate(migrationSource, schema, forMigration);
                }
                if (validateOnStart) {
                    dimension = SchemaChecks.validate(ds, migrationSource, schema, dimension);
                } else if (dimension == null) {
                    dimension = AgentStoreMigrations.DEFAULT_EMBEDDING_DIMENSION;
                }
                boolean rls = rowLevelSecurityActive(ds, schema, requireRowLevelSecurity);
                Limits limits = new Limits(maxMessageLength, maxChunkLength, maxMemoryLength, embeddingBatchSize,
                        maxMetadataLength, maxMemoryValueLength, bulkLoadThreshold, maxIndexRanges, exactSearchMaxChunks,
                        indexBuildMemoryMb, indexBuildWorkers, ingestLease);
                AgentStore store = new AgentStore(ds, migrationSource, pool, schema, dimension, limits, clock, rls, logSql, observer);
                // the one INFO line of a start-up
                LOG.info("agentstore ready: schema '{}', {} dimensions, {}{}", schema, dimension,
                        pool != null ? "own pool of " + poolSize : "host data source",
                        migrated == null || migrated.migrationsExecuted() == 0 ? ""
                                : ", migrated from version " + (migrated.fromVersion() == null ? "none" : migrated.fromVersion())
                                        + " to " + migrated.toVersion() + " (" + migrated.migrationsExecuted() + " migrations)");
                if (observer != null) {
                    try {
                        observer.storeOpened(store);
                    } catch (RuntimeException e) {
                        LOG.warn("the store observer {} failed when the store opened (ignored)", observer, e);
                    }
                }
                return store;
            } catch (RuntimeException e) {
                if (pool != null) {
                    pool.close();
                }
                throw e;
            }
        }

        /** Whether the row-level security policies apply to the data source's role; fails when required but not. */
        private static boolean rowLevelSecurityActive(DataSource ds, String schema, boolean required) {
            try (Connection c = ds.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT coalesce(row_security_active(to_regclass(?)), false), "
                            + "current_user, (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user)")) {
                ps.setString(1, "\"" + schema + "\".conversation_session");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    boolean active = rs.getBoolean(1);
                    if (required && !active) {
                        throw new SchemaValidationException("requireRowLevelSecurity(true), but PostgreSQL does not enforce the"
                                + " tenant policies for user '" + rs.getString(2) + "' on schema '" + schema + "': "
                                + (rs.getBoolean(3) ? "it is a superuser or has BYPASSRLS"
                                        : "it owns the tables, or the schema is older than version 8")
                                + "; connect as a runtime role (see agentstore_grant_runtime_role in the README, Guarantees)");
                    }
                    return active;
                }
            } catch (SQLException e) {
                throw SqlErrors.translate(e, "check row-level security for schema '" + schema + "'");
            }
        }

        /** The dimension of an already migrated schema, else the default, for a migration without a configured one. */
        private int existingDimension(DataSource ds) {
            try (Connection c = ds.getConnection()) {
                Integer d = SchemaChecks.schemaDimension(c, schema);
                return d != null ? d : AgentStoreMigrations.DEFAULT_EMBEDDING_DIMENSION;
            } catch (SQLException e) {
                throw SqlErrors.translate(e, "read the embedding dimension of schema '" + schema + "'");
            }
        }

        /** Connections outside the pool for Flyway, which needs two at once. */
        private DataSource unpooled() {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(jdbcUrl);
            if (user != null) {
                ds.setUser(user);
            }
            if (password != null) {
                ds.setPassword(password);
            }
            return ds;
        }

        private HikariDataSource createPool() {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(jdbcUrl);
            config.setUsername(user);
            config.setPassword(password);
            config.setMaximumPoolSize(poolSize);
            config.setMinimumIdle(minimumIdle != null ? minimumIdle : poolSize);
            config.setConnectionTimeout(connectionTimeout.toMillis());
            config.setPoolName(SqlErrors.POOL_NAME);
            try {
                return new HikariDataSource(config);
            } catch (RuntimeException e) {
                throw new AgentStoreException("cannot connect to " + redact(jdbcUrl) + " as user '" + user + "': "
                        + SqlErrors.serverMessage(e) + "; check the URL, user and password (" + ENV_JDBC_URL + ", "
                        + ENV_JDBC_USER + ", " + ENV_JDBC_PASSWORD + ")", e);
            }
        }

        private static String redact(String url) {
            return url.replaceAll("(?i)(password=)[^&]*", "$1***");
        }

        @Override
        public String toString() {
            return "AgentStore.Builder[" + (jdbcUrl != null ? "jdbcUrl=" + redact(jdbcUrl) + ", user=" + user
                    + ", password=" + (password == null ? "null" : "***") : "dataSource=" + dataSource)
                    + ", schema=" + schema + ", embeddingDimension=" + embeddingDimension + ", poolSize=" + poolSize
                    + ", migrateOnStart=" + migrateOnStart + ", logSql=" + logSql + "]";
        }
    }
}
