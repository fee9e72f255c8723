package dev.agentstore.examples.host;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The host application's own Flyway: Flyway's defaults ({@code classpath:db/migration}, history in
 * {@code public.flyway_schema_history}), exactly what Spring Boot would run. agentstore's scripts live
 * elsewhere ({@code classpath:dev/agentstore/migrations}), so this sees the host's scripts only.
 *
 * <p>Order: the host's scripts reference agentstore's tables, so agentstore migrates first — build the
 * store with {@code migrateOnStart(true)} (or call {@code store.migrate()}) before {@link #migrate}.
 */
public final class HostMigrations {

    private HostMigrations() {
    }

    /** Applies the host's pending migrations; call after agentstore's. */
    public static MigrateResult migrate(DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).load().migrate();
    }
}
