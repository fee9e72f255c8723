package dev.agentstore;

import dev.agentstore.internal.SqlErrors;
import dev.agentstore.migrations.AgentStoreMigrations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/** agentstore's migrations, applied and pending, for {@link AgentStore#health()}: Flyway's own view. */
final class MigrationHistory {

    private MigrationHistory() {
    }

    static List<SchemaMigration> read(DataSource migrationSource, String schema, int dimension) {
        MigrationInfo[] all;
        try {
            all = AgentStoreMigrations.configure(migrationSource, schema, dimension).load().info().all();
        } catch (FlywayException e) {
            throw new SchemaValidationException("cannot read the migration history of agentstore schema '" + schema + "': "
                    + SqlErrors.serverMessage(e), e);
        }
        List<SchemaMigration> out = new ArrayList<>(all.length);
        for (MigrationInfo m : all) {
            if (m.getVersion() == null || (m.getType() != null && m.getType().isSynthetic())) {
                continue; // Flyway's own "schema created" marker
            }
            SchemaMigration.State state = state(m);
            out.add(new SchemaMigration(m.getVersion().getVersion(), m.getDescription(), state,
                    m.getInstalledOn() == null ? null : m.getInstalledOn().toInstant(),
                    m.getExecutionTime() == null ? null : Duration.ofMillis(m.getExecutionTime())));
        }
        return out;
    }

    private static SchemaMigration.State state(MigrationInfo m) {
        MigrationState s = m.getState();
        if (s.isFailed()) {
            return SchemaMigration.State.FAILED;
        }
        if (s == MigrationState.FUTURE_SUCCESS) {
            return SchemaMigration.State.NEWER_THAN_LIBRARY;
        }
        return s.isApplied() ? SchemaMigration.State.APPLIED : SchemaMigration.State.PENDING;
    }
}
