package dev.agentstore;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.document.Documents;
import dev.agentstore.internal.JooqCompatibility;
import dev.agentstore.internal.Limits;
import dev.agentstore.knowledge.Knowledge;
import dev.agentstore.lifecycle.Erasure;
import dev.agentstore.lifecycle.ErasureResult;
import dev.agentstore.lifecycle.StoreCounts;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.memory.Memory;
import dev.agentstore.migrations.AgentStoreMigrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.MappedSchema;
import org.jooq.conf.RenderMapping;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.postgresql.ds.PGSimpleDataSource;

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
    /** What Flyway connects through: Flyway holds two connections at once, so never a small pool of ours. */
    private final DataSource migrationSource;
    private final HikariDataSource ownedPool;
    private final String schema;
    private final int embeddingDimension;
    private final StoreContext context;

    private AgentStore(DataSource dataSource, DataSource migrationSource, HikariDataSource ownedPool, String schema,
            int embeddingDimension, Limits limits, Clock clock) {
        this.dataSource = dataSource;
        this.migrationSource = migrationSource;
        this.ownedPool = ownedPool;
        this.schema = schema;
        this.embeddingDimension = embeddingDimension;
        this.context = new StoreContext(createDsl(dataSource, schema), schema, embeddingDimension, limits, clock);
    }

    /** A new builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A store configured only from environment variables ({@value #ENV_JDBC_URL} and the others named by
     * the {@code ENV_} constants).
     *
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
        return DSL.using(dataSource, SQLDialect.POSTGRES, settings);
    }

    /**
     * Applies agentstore's migrations that the database lacks (creating the schema and, when allowed,
     * the pgvector extension). A second call is a no-op. The database user needs the right to create
     * the schema; creating the extension needs a superuser unless it already exists.
     *
     * @return how many migrations ran and the schema version now
     * @throws SchemaValidationException when a migration fails, e.g. pgvector cannot be created
     */
    public MigrationResult migrate() {
        return migrate(migrationSource, schema, embeddingDimension);
    }

    private static MigrationResult migrate(DataSource dataSource, String schema, int dimension) {
        try {
            MigrateResult r = flyway(dataSource, schema, dimension).migrate();
            return new MigrationResult(r.migrationsExecuted, r.initialSchemaVersion, r.targetSchemaVersion == null
                    ? r.initialSchemaVersion : r.targetSchemaVersion);
        } catch (FlywayException e) {
            throw new SchemaValidationException("cannot migrate agentstore schema '" + schema + "': "
                    + SqlErrors.serverMessage(e), e);
        }
    }

    private static Flyway flyway(DataSource dataSource, String schema, int dimension) {
        return AgentStoreMigrations.configure(dataSource, schema, dimension).load();
    }

    /**
     * A snapshot of the database and pool: server and pgvector versions, schema version, and pool
     * statistics when the data source is a HikariCP pool.
     *
     * @throws AgentStoreException when the database cannot be reached
     */
    public Health health() {
        try (Connection c = dataSource.getConnection()) {
            String server = queryString(c, "SHOW server_version", null);
            String pgvector = queryString(c, "SELECT extversion FROM pg_extension WHERE extname = 'vector'", null);
            String version = schemaVersion(c, schema);
            return new Health(server, pgvector, schema, version, embeddingDimension, poolStats());
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "read the health report");
        }
    }

    private PoolStats poolStats() {
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
     * Filter every query by {@code TENANT_ID} yourself: this context is not tenant-scoped.
     */
    public DSLContext dsl() {
        return context.dsl();
    }

    /** The schema agentstore's tables live in. */
    public String schema() {
        return schema;
    }

    /** The dimension of every embedding this store holds. */
    public int embeddingDimension() {
        return embeddingDimension;
    }

    /** Whether {@link #close()} closes a pool this store created (false for a host data source). */
    public boolean ownsPool() {
        return ownedPool != null;
    }

    /**
     * Erasure of one tenant's data: everything of a user ({@code eraseUser}), of an agent
     * ({@code eraseAgent}) or of the whole tenant, in batches of short transactions.
     *
     * @throws NullPointerException when tenant is null
     */
    public Erasure erasure(TenantId tenant) {
        return new Erasure(context, TenantId.require(tenant));
    }

    /**
     * {@link #erasure(TenantId)} for {@code TenantId.of(tenant)}.
     *
     * @throws InvalidInputException when the tenant id is invalid
     */
    public Erasure erasure(String tenant) {
        return erasure(TenantId.of(tenant));
    }

    /**
     * Erases every row of this tenant in every capability (an organisation leaving); same as
     * {@code erasure(tenant).eraseTenant()}.
     *
     * @return rows deleted per table
     * @throws NullPointerException when tenant is null
     */
    public ErasureResult erase(TenantId tenant) {
        return erasure(tenant).eraseTenant();
    }

    /**
     * Cheap counts of one tenant's rows per capability (estimated from PostgreSQL's statistics where
     * exact counts would scan) and the store's table and index sizes.
     *
     * @throws NullPointerException when tenant is null
     */
    public StoreCounts counts(TenantId tenant) {
        return new StoreCounts(context, TenantId.require(tenant));
    }

    /**
     * {@link #counts(TenantId)} for {@code TenantId.of(tenant)}.
     *
     * @throws InvalidInputException when the tenant id is invalid
     */
    public StoreCounts counts(String tenant) {
        return counts(TenantId.of(tenant));
    }

    /**
     * The chat history of one tenant: sessions, messages, feedback, retention and statistics.
     *
     * @throws NullPointerException when tenant is null
     */
    public Conversations conversations(TenantId tenant) {
        return new Conversations(context, TenantId.require(tenant));
    }

    /**
     * The chat history of one tenant, by tenant id.
     *
     * @throws InvalidInputException when the tenant id is null, blank, too long or has control characters
     */
    public Conversations conversations(String tenant) {
        return conversations(TenantId.of(tenant));
    }

    /**
     * Agent memory (key/value state and semantic memories) of one tenant. Cheap to call; the facade is
     * thread-safe and may be kept.
     *
     * @throws NullPointerException when tenant is null
     */
    public Memory memory(TenantId tenant) {
        return new Memory(context, TenantId.require(tenant));
    }

    /**
     * Agent memory of the tenant with this id; same as {@code memory(TenantId.of(tenant))}.
     *
     * @throws InvalidInputException when the tenant id is blank, too long or has control characters
     */
    public Memory memory(String tenant) {
        return memory(TenantId.of(tenant));
    }

    /**
     * Knowledge bases, documents and deduplicated chunks of one tenant, with idempotent ingestion.
     * Cheap to call; the returned object is thread-safe and may be kept.
     *
     * @throws NullPointerException when tenant is null
     */
    public Documents documents(TenantId tenant) {
        return new Documents(context, TenantId.require(tenant));
    }

    /**
     * {@link #documents(TenantId)} for {@code TenantId.of(tenant)}.
     *
     * @throws InvalidInputException when the tenant id is invalid
     */
    public Documents documents(String tenant) {
        return documents(TenantId.of(tenant));
    }

    /**
     * Knowledge search (vector, full-text, hybrid) over the knowledge bases of one tenant.
     *
     * @throws NullPointerException when tenant is null
     */
    public Knowledge knowledge(TenantId tenant) {
        return new Knowledge(context, TenantId.require(tenant));
    }

    /**
     * Knowledge search for the tenant with this id.
     *
     * @throws InvalidInputException when the tenant id is null, blank or too long
     */
    public Knowledge knowledge(String tenant) {
        return knowledge(TenantId.of(tenant));
    }

    /** What the capability facades share; unsupported API. */
    StoreContext context() {
        return context;
    }

    /** Closes the pool this store created from a JDBC URL; a host data source is left open. Idempotent. */
    @Override
    public void close() {
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    @Override
    public String toString() {
        return "AgentStore[schema=" + schema + ", embeddingDimension=" + embeddingDimension
                + ", " + (ownedPool != null ? "own pool " + ownedPool.getPoolName() : "host data source") + "]";
    }

    // ------------------------------------------------------------------------------------------
    // start-up validation

    /**
     * Checks that the database fits this store; returns the embedding dimension of the schema. Holds at
     * most one connection at a time (Flyway's check needs connections of its own).
     */
    private static int validate(DataSource dataSource, DataSource migrationSource, String schema, Integer configuredDimension) {
        Integer dbDimension;
        try (Connection c = dataSource.getConnection()) {
            String database = queryString(c, "SELECT current_database()", null);
            if (queryString(c, "SELECT extversion FROM pg_extension WHERE extname = 'vector'", null) == null) {
                throw new SchemaValidationException("the pgvector extension is not installed in database '" + database
                        + "': run AgentStore.migrate() (or builder.migrateOnStart(true)) as a superuser, or ask one to run "
                        + "CREATE EXTENSION vector; if the server lacks pgvector, install it (scripts/install-pgvector.sh)");
            }
            if (queryString(c, "SELECT to_regtype('vector')::text", null) == null) {
                throw new SchemaValidationException("the pgvector type 'vector' is not on the search_path of this connection "
                        + "(search_path = " + queryString(c, "SHOW search_path", null) + "): add the schema holding the "
                        + "pgvector extension to the search_path of the database user");
            }
            dbDimension = schemaDimension(c, schema);
        } catch (SQLException e) {
            throw new SchemaValidationException("cannot validate agentstore schema '" + schema + "': "
                    + SqlErrors.serverMessage(e), e);
        }
        checkVersion(migrationSource, schema, dbDimension == null ? AgentStoreMigrations.DEFAULT_EMBEDDING_DIMENSION : dbDimension);
        if (dbDimension == null) {
            throw new SchemaValidationException("schema '" + schema + "' has no chunk table although its history says it"
                    + " is migrated: the schema was changed by hand; migrate into a new schema");
        }
        if (configuredDimension != null && configuredDimension.intValue() != dbDimension.intValue()) {
            throw new DimensionMismatchException("schema '" + schema + "'", configuredDimension, dbDimension,
                    "the schema was migrated for embeddings of " + dbDimension + " dimensions: set embeddingDimension("
                            + dbDimension + ") (" + ENV_EMBEDDING_DIMENSION + "), or use another schema for "
                            + configuredDimension + "-dimension embeddings");
        }
        return dbDimension;
    }

    private static void checkVersion(DataSource dataSource, String schema, int dimension) {
        MigrationInfoService info;
        try {
            info = flyway(dataSource, schema, dimension).info();
        } catch (FlywayException e) {
            throw new SchemaValidationException("cannot read the migration history of agentstore schema '" + schema + "': "
                    + SqlErrors.serverMessage(e), e);
        }
        MigrationInfo current = info.current();
        String expected = Arrays.stream(info.all())
                .filter(m -> m.getState() != MigrationState.FUTURE_SUCCESS && m.getVersion() != null)
                .max(Comparator.comparing(MigrationInfo::getVersion))
                .map(m -> m.getVersion().getVersion()).orElse("?");
        if (current == null) {
            throw new SchemaValidationException("agentstore schema '" + schema + "' is not migrated (this library expects"
                    + " version " + expected + "): call AgentStore.migrate(), or build with migrateOnStart(true) ("
                    + ENV_MIGRATE_ON_START + "=true)");
        }
        for (MigrationInfo m : info.all()) {
            if (m.getState() == MigrationState.FAILED) {
                throw new SchemaValidationException("agentstore schema '" + schema + "': migration " + m.getVersion()
                        + " failed earlier and left the schema half-migrated; repair or recreate the schema, then migrate");
            }
            if (m.getState() == MigrationState.FUTURE_SUCCESS) {
                throw new SchemaValidationException("agentstore schema '" + schema + "' is at version "
                        + current.getVersion() + ", newer than this library knows (it expects " + expected
                        + "): upgrade agentstore to the version that migrated this database");
            }
        }
        if (info.pending().length > 0) {
            throw new SchemaValidationException("agentstore schema '" + schema + "' is at version " + current.getVersion()
                    + ", but this library expects version " + expected + " (" + info.pending().length + " pending migrations): "
                    + "call AgentStore.migrate(), or build with migrateOnStart(true) (" + ENV_MIGRATE_ON_START + "=true)");
        }
    }

    /** The dimension of the schema's chunk embeddings, or null when the schema has no chunk table. */
    private static Integer schemaDimension(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT a.atttypmod FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid "
                        + "JOIN pg_namespace n ON n.oid = t.relnamespace "
                        + "WHERE n.nspname = ? AND t.relname = 'chunk' AND a.attname = 'embedding' AND NOT a.attisdropped")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    private static String schemaVersion(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?)::text")) {
            ps.setString(1, "\"" + schema + "\"." + AgentStoreMigrations.HISTORY_TABLE);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return null;
                }
            }
        }
        // schema is checked against [a-z_][a-z0-9_]* and the table name is a constant
        return queryString(c, "SELECT version FROM \"" + schema + "\"." + AgentStoreMigrations.HISTORY_TABLE
                + " WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1", null);
    }

    private static String queryString(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter != null) {
                ps.setString(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

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
        private int maxMessageLength = DEFAULT_MAX_MESSAGE_LENGTH;
        private int maxChunkLength = DEFAULT_MAX_CHUNK_LENGTH;
        private int maxMemoryLength = DEFAULT_MAX_MEMORY_LENGTH;
        private int embeddingBatchSize = DEFAULT_EMBEDDING_BATCH_SIZE;
        private int maxMetadataLength = DEFAULT_MAX_METADATA_LENGTH;
        private int maxMemoryValueLength = DEFAULT_MAX_MEMORY_VALUE_LENGTH;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Uses the application's data source; the store never closes it. Excludes {@link #jdbcUrl(String)}.
         * Migrating and validating through Flyway hold two connections at once, so a pool needs at least two.
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * Makes the store create (and close) a HikariCP pool for this URL. Excludes {@link #dataSource(DataSource)}.
         *
         * @param jdbcUrl {@code jdbc:postgresql://host[:port]/database[?parameters]}
         */
        public Builder jdbcUrl(String jdbcUrl) {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:, but was "
                        + (jdbcUrl == null ? "null" : "'" + redact(jdbcUrl) + "'"));
            }
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /** The database user of {@link #jdbcUrl(String)}. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** The password of {@link #user(String)}; never logged or shown by {@code toString()}. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * The schema agentstore's tables live in (default {@value AgentStoreMigrations#DEFAULT_SCHEMA}).
         *
         * @param schema 1 to 63 lower-case letters, digits or underscores, not starting with a digit
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
         */
        public Builder embeddingDimension(int dimension) {
            this.embeddingDimension = AgentStoreMigrations.checkDimension(dimension);
            return this;
        }

        /** Maximum size of the pool the store creates (default {@value #DEFAULT_POOL_SIZE}); 1 to 1000. */
        public Builder poolSize(int poolSize) {
            this.poolSize = positive(poolSize, 1000, "poolSize");
            return this;
        }

        /** Minimum idle connections of the pool the store creates (default: the pool size); 0 to the pool size. */
        public Builder minimumIdle(int minimumIdle) {
            if (minimumIdle < 0) {
                throw new IllegalArgumentException("minimumIdle must be 0 or more, but was " + minimumIdle);
            }
            this.minimumIdle = minimumIdle;
            return this;
        }

        /** How long to wait for a pooled connection (default 30 s); at least 250 ms. */
        public Builder connectionTimeout(Duration timeout) {
            if (timeout == null || timeout.toMillis() < 250) {
                throw new IllegalArgumentException("connectionTimeout must be at least 250 ms, but was " + timeout);
            }
            this.connectionTimeout = timeout;
            return this;
        }

        /** Whether {@link #build()} applies pending migrations first (default false). */
        public Builder migrateOnStart(boolean migrate) {
            this.migrateOnStart = migrate;
            return this;
        }

        /**
         * Whether {@link #build()} checks pgvector, the schema version and the dimension (default true).
         * Turn off only when something else guarantees them; the store then trusts the configured dimension.
         */
        public Builder validateOnStart(boolean validate) {
            this.validateOnStart = validate;
            return this;
        }

        /** Longest message content accepted, in characters (default {@value #DEFAULT_MAX_MESSAGE_LENGTH}). */
        public Builder maxMessageLength(int characters) {
            this.maxMessageLength = positive(characters, Integer.MAX_VALUE, "maxMessageLength");
            return this;
        }

        /** Longest chunk text accepted, in characters (default {@value #DEFAULT_MAX_CHUNK_LENGTH}). */
        public Builder maxChunkLength(int characters) {
            this.maxChunkLength = positive(characters, Integer.MAX_VALUE, "maxChunkLength");
            return this;
        }

        /** Longest semantic memory content accepted, in characters (default {@value #DEFAULT_MAX_MEMORY_LENGTH}). */
        public Builder maxMemoryLength(int characters) {
            this.maxMemoryLength = positive(characters, Integer.MAX_VALUE, "maxMemoryLength");
            return this;
        }

        /**
         * Longest JSON text of one metadata object accepted, in characters (default
         * {@value #DEFAULT_MAX_METADATA_LENGTH}): the metadata of sessions, messages (and their sources),
         * knowledge bases, documents, chunks and memories. Larger values are refused with
         * {@link InvalidInputException} before SQL; nothing is written.
         */
        public Builder maxMetadataLength(int characters) {
            this.maxMetadataLength = positive(characters, Integer.MAX_VALUE, "maxMetadataLength");
            return this;
        }

        /**
         * Longest JSON text of one key/value memory entry accepted, in characters (default
         * {@value #DEFAULT_MAX_MEMORY_VALUE_LENGTH}). Larger values are refused with
         * {@link InvalidInputException} before SQL; nothing is written.
         */
        public Builder maxMemoryValueLength(int characters) {
            this.maxMemoryValueLength = positive(characters, Integer.MAX_VALUE, "maxMemoryValueLength");
            return this;
        }

        /** Texts per call of a host embedding function (default {@value #DEFAULT_EMBEDDING_BATCH_SIZE}); 1 to 10,000. */
        public Builder embeddingBatchSize(int size) {
            this.embeddingBatchSize = positive(size, 10_000, "embeddingBatchSize");
            return this;
        }

        /** The clock for timestamps computed in Java, e.g. retention cut-offs (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Reads the settings present in the process environment: {@value #ENV_JDBC_URL}, {@value #ENV_JDBC_USER},
         * {@value #ENV_JDBC_PASSWORD}, {@value #ENV_SCHEMA}, {@value #ENV_EMBEDDING_DIMENSION}, {@value #ENV_POOL_SIZE},
         * {@value #ENV_POOL_MIN_IDLE}, {@value #ENV_CONNECTION_TIMEOUT_MS}, {@value #ENV_MIGRATE_ON_START}. Unset
         * variables leave the builder's value alone.
         *
         * @throws IllegalArgumentException naming the variable when a value is malformed
         */
        public Builder fromEnvironment() {
            return fromEnvironment(System.getenv());
        }

        /** Like {@link #fromEnvironment()}, from the given variables. */
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
         * @throws IllegalArgumentException when the configuration is incomplete or contradictory
         * @throws AgentStoreException when the jOOQ on the classpath is older than the one agentstore was
         *         built against (the message names both versions and the {@code jooq.version} fix)
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
            HikariDataSource pool = dataSource == null ? createPool() : null;
            DataSource ds = pool != null ? pool : dataSource;
            DataSource migrationSource = pool != null ? unpooled() : dataSource;
            try {
                Integer dimension = embeddingDimension;
                if (migrateOnStart) {
                    int forMigration = dimension != null ? dimension : existingDimension(ds);
                    migrate(migrationSource, schema, forMigration);
                }
                if (validateOnStart) {
                    dimension = validate(ds, migrationSource, schema, dimension);
                } else if (dimension == null) {
                    dimension = AgentStoreMigrations.DEFAULT_EMBEDDING_DIMENSION;
                }
                Limits limits = new Limits(maxMessageLength, maxChunkLength, maxMemoryLength, embeddingBatchSize,
                        maxMetadataLength, maxMemoryValueLength);
                return new AgentStore(ds, migrationSource, pool, schema, dimension, limits, clock);
            } catch (RuntimeException e) {
                if (pool != null) {
                    pool.close();
                }
                throw e;
            }
        }

        /** The dimension of an already migrated schema, else the default, for a migration without a configured one. */
        private int existingDimension(DataSource ds) {
            try (Connection c = ds.getConnection()) {
                Integer d = schemaDimension(c, schema);
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
                    + ", migrateOnStart=" + migrateOnStart + "]";
        }
    }
}
