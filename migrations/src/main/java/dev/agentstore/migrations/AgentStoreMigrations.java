package dev.agentstore.migrations;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * How agentstore's migrations are applied: the one place that knows their classpath location, the
 * schema history table and the placeholders. Both the library ({@code AgentStore.migrate()}) and the
 * test kit use it, so a database migrated by either is the same.
 *
 * <pre>{@code
 * Flyway flyway = AgentStoreMigrations.configure(dataSource, "agentstore", 1536).load();
 * flyway.migrate();
 * }</pre>
 *
 * <p>The migrations live under {@value #LOCATION}: outside Flyway's and Spring Boot's default
 * {@code classpath:db/migration} (and every folder below it, which Flyway scans too), so a host
 * application's own Flyway never sees them. They record their history in {@value #HISTORY_TABLE}
 * inside agentstore's schema, apart from the host's {@code flyway_schema_history}.
 *
 * <p>Builds of 0.1.0-SNAPSHOT before 2026-12-01 kept the scripts at {@value #LEGACY_LOCATION}. Flyway's history records a
 * script's version, description and checksum, not its folder, so a database migrated from there
 * validates and migrates with this configuration unchanged: nothing re-runs, no checksum differs.
 */
public final class AgentStoreMigrations {

    /**
     * Classpath location of agentstore's SQL migrations: a folder of their own, outside Flyway's and
     * Spring Boot's default {@code classpath:db/migration}.
     */
    public static final String LOCATION = "classpath:dev/agentstore/migrations";

    /**
     * Where builds of 0.1.0-SNAPSHOT before 2026-12-01 kept the scripts (inside the default location,
     * so a host's Flyway picked them up). Nothing is there any more; kept to document the upgrade.
     */
    public static final String LEGACY_LOCATION = "classpath:db/migration/agentstore";

    /** The schema agentstore's tables live in unless configured otherwise. */
    public static final String DEFAULT_SCHEMA = "agentstore";

    /** The dimension of embedding columns unless configured otherwise (OpenAI's text-embedding-3-small). */
    public static final int DEFAULT_EMBEDDING_DIMENSION = 1536;

    /** pgvector's limit for indexed {@code vector} columns (HNSW and IVFFlat index up to 2,000 dimensions). */
    public static final int MAX_EMBEDDING_DIMENSION = 2000;

    /** Flyway's schema history table, inside agentstore's schema. */
    public static final String HISTORY_TABLE = "agentstore_schema_history";

    /** Placeholder holding the schema name. */
    public static final String SCHEMA_PLACEHOLDER = "schema";

    /** Placeholder holding the embedding dimension. */
    public static final String DIMENSION_PLACEHOLDER = "embedding_dimension";

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private AgentStoreMigrations() {
    }

    /**
     * Returns a Flyway configuration for agentstore's migrations; call {@code load()} on it.
     *
     * @param dataSource where to migrate; not closed by Flyway
     * @param schema the schema to create and migrate: lower-case letters, digits and underscores,
     *     starting with a letter or underscore, at most 63 characters
     * @param embeddingDimension dimension of every embedding column, 1 to {@value #MAX_EMBEDDING_DIMENSION}
     * @throws IllegalArgumentException if the schema name or dimension is out of range
     */
    public static FluentConfiguration configure(DataSource dataSource, String schema, int embeddingDimension) {
        Objects.requireNonNull(dataSource, "dataSource");
        checkSchemaName(schema);
        checkDimension(embeddingDimension);
        FluentConfiguration configuration = Flyway.configure(AgentStoreMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .table(HISTORY_TABLE)
                .placeholders(Map.of(
                        SCHEMA_PLACEHOLDER, schema,
                        DIMENSION_PLACEHOLDER, Integer.toString(embeddingDimension)))
                .loggers(FlywayToSlf4j.class.getName())
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .cleanDisabled(true);
        // on the module path Flyway cannot list a named module's folder: hand it the scripts
        ModuleMigrations.ofThisModule().ifPresent(scripts -> configuration
                .resourceProvider(scripts)
                .javaMigrationClassProvider(scripts));
        return configuration;
    }

    /**
     * Checks a schema name.
     *
     * @throws IllegalArgumentException naming the allowed form
     */
    public static String checkSchemaName(String schema) {
        if (schema == null || !SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must be 1 to 63 lower-case letters, digits or underscores, "
                    + "starting with a letter or underscore, but was " + (schema == null ? "null" : "'" + schema + "'"));
        }
        return schema;
    }

    /**
     * Checks an embedding dimension.
     *
     * @throws IllegalArgumentException naming the allowed range
     */
    public static int checkDimension(int embeddingDimension) {
        if (embeddingDimension < 1 || embeddingDimension > MAX_EMBEDDING_DIMENSION) {
            throw new IllegalArgumentException("embeddingDimension must be between 1 and " + MAX_EMBEDDING_DIMENSION
                    + " (pgvector indexes at most " + MAX_EMBEDDING_DIMENSION + " dimensions), but was " + embeddingDimension);
        }
        return embeddingDimension;
    }
}
