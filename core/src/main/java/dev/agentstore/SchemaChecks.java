package dev.agentstore;

import dev.agentstore.internal.SqlErrors;
import dev.agentstore.migrations.AgentStoreMigrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * What {@link AgentStore} checks and runs against the database before it serves calls: migrating the schema,
 * and validating that pgvector, the schema version and the embedding dimension fit this library.
 * Every failure names what is wrong and what to do.
 */
final class SchemaChecks {

    private SchemaChecks() {
    }

    static MigrationResult migrate(DataSource dataSource, String schema, int dimension) {
        try (Connection c = dataSource.getConnection()) {
            Privileges.checkMigration(c, schema);
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "check the privileges for migrating schema '" + schema + "'");
        }
        try {
            MigrateResult r = flyway(dataSource, schema, dimension).migrate();
            return new MigrationResult(r.migrationsExecuted, r.initialSchemaVersion, r.targetSchemaVersion == null
                    ? r.initialSchemaVersion : r.targetSchemaVersion);
        } catch (FlywayException e) {
            throw new SchemaValidationException("cannot migrate agentstore schema '" + schema + "': "
                    + SqlErrors.serverMessage(e), e);
        }
    }

    static Flyway flyway(DataSource dataSource, String schema, int dimension) {
        return AgentStoreMigrations.configure(dataSource, schema, dimension).load();
    }

    /**
     * Checks that the database fits this store; returns the embedding dimension of the schema. Holds at
     * most one connection at a time (Flyway's check needs connections of its own).
     */
    static int validate(DataSource dataSource, DataSource migrationSource, String schema, Integer configuredDimension) {
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
            Privileges.checkRuntime(c, schema);
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
                            + dbDimension + ") (" + AgentStore.ENV_EMBEDDING_DIMENSION + "), or use another schema for "
                            + configuredDimension + "-dimension embeddings");
        }
        return dbDimension;
    }

    static void checkVersion(DataSource dataSource, String schema, int dimension) {
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
                    + AgentStore.ENV_MIGRATE_ON_START + "=true)");
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
                    + "call AgentStore.migrate(), or build with migrateOnStart(true) (" + AgentStore.ENV_MIGRATE_ON_START + "=true)");
        }
    }

    /** The store dimension of the schema (its memory embeddings; chunks have one per knowledge base), or null when not migrated. */
    static Integer schemaDimension(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT a.atttypmod FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid "
                        + "JOIN pg_namespace n ON n.oid = t.relnamespace "
                        + "WHERE n.nspname = ? AND t.relname = 'memory' AND a.attname = 'embedding' AND NOT a.attisdropped")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    static String schemaVersion(Connection c, String schema) throws SQLException {
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

    static String queryString(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter != null) {
                ps.setString(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
