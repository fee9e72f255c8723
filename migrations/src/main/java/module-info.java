/**
 * agentstore's schema: the Flyway SQL migrations and the one configuration that applies them
 * ({@link dev.agentstore.migrations.AgentStoreMigrations}), plus the committed schema snapshot.
 *
 * <p>The scripts' package is opened, because Flyway lists and reads them as resources of this module
 * ({@code classpath:dev/agentstore/migrations}). Flyway 13 has no module descriptor: its jars are
 * automatic modules named after their files ({@code flyway.core}, {@code flyway.database.postgresql}).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.agentstore.migrations {
    // AgentStoreMigrations.configure returns Flyway's FluentConfiguration
    requires transitive flyway.core;
    requires transitive java.sql;
    // PostgreSQL support is a Flyway plugin found through ServiceLoader: resolve it with this module
    requires flyway.database.postgresql;
    requires org.slf4j;

    exports dev.agentstore.migrations;
    // the SQL scripts, read by Flyway through the class loader
    opens dev.agentstore.migrations;
}
