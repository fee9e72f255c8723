package dev.agentstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.migrations.AgentStoreMigrations;
import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/**
 * agentstore's migrations next to a host application's Flyway: the host's default location
 * ({@code classpath:db/migration}, which holds this module's test scripts {@code V1__create_host_tables}
 * and {@code V2__add_host_audit}) never sees agentstore's scripts, and a database migrated by 0.1.0,
 * whose scripts lived inside that default location, keeps working after the move.
 */
class HostFlywayIT {

    private static final int DIMENSION = 3;
    private static final String LEGACY_ROOT = "agentstore-0.1.0/";

    @Test
    void agentstore_scripts_are_outside_flyways_default_location() {
        ClassLoader loader = AgentStoreMigrations.class.getClassLoader();

        assertThat(AgentStoreMigrations.LOCATION).doesNotStartWith("classpath:db/migration");
        assertThat(loader.getResource("dev/agentstore/migrations/V1__create_schema.sql")).isNotNull();
        assertThat(loader.getResource("db/migration/agentstore")).as("nothing of agentstore's under db/migration").isNull();
    }

    @Test
    void a_default_configured_flyway_migrates_only_the_host_scripts() throws Exception {
        TestDatabase db = TestPostgres.shared().createDatabase(AgentStoreMigrations.DEFAULT_SCHEMA, DIMENSION);

        MigrateResult host = Flyway.configure().dataSource(db.dataSource()).load().migrate();

        assertThat(host.migrationsExecuted).isEqualTo(2);
        assertThat(host.migrations).extracting(m -> m.filepath)
                .allSatisfy(path -> assertThat(path).contains("db/migration/V").doesNotContain("agentstore"));
        try (Connection c = db.connect()) {
            assertThat(strings(c, "SELECT description FROM public.flyway_schema_history ORDER BY installed_rank"))
                    .containsExactly("create host tables", "add host audit");
            assertThat(strings(c, "SELECT to_regclass('public.host_account')::text")).containsExactly("host_account");
        }
        assertAgentStoreStillValid(db, AgentStoreMigrations.DEFAULT_SCHEMA);
    }

    @Test
    void a_spring_boot_style_flyway_next_to_the_store_migrates_only_the_host_scripts() throws Exception {
        TestDatabase db = TestPostgres.shared().createEmptyDatabase();
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).embeddingDimension(DIMENSION)
                .migrateOnStart(true).build()) {
            // Spring Boot's defaults: classpath:db/migration, flyway_schema_history, a missing location is no error
            Flyway boot = Flyway.configure().dataSource(db.dataSource())
                    .locations("classpath:db/migration").table("flyway_schema_history")
                    .failOnMissingLocations(false).load();

            MigrateResult host = boot.migrate();

            assertThat(host.migrationsExecuted).isEqualTo(2);
            assertThat(Arrays.stream(boot.info().all()).map(MigrationInfo::getDescription))
                    .containsExactly("create host tables", "add host audit");
            assertThat(store.migrate().migrationsExecuted()).as("agentstore has nothing left to run").isZero();
        }
        assertAgentStoreStillValid(db, AgentStoreMigrations.DEFAULT_SCHEMA);
    }

    @Test
    void the_shipped_v1_script_is_byte_identical_to_the_one_0_1_0_shipped() throws Exception {
        ClassLoader loader = AgentStoreMigrations.class.getClassLoader();
        try (InputStream now = loader.getResourceAsStream("dev/agentstore/migrations/V1__create_schema.sql");
                InputStream then = loader.getResourceAsStream(LEGACY_ROOT + "db/migration/agentstore/V1__create_schema.sql")) {
            assertThat(Objects.requireNonNull(now).readAllBytes()).isEqualTo(Objects.requireNonNull(then).readAllBytes());
        }
    }

    @Test
    void a_database_migrated_from_the_0_1_0_location_upgrades_without_rerun_or_checksum_error() throws Exception {
        TestDatabase db = TestPostgres.shared().createEmptyDatabase();
        String schema = "upgraded";
        // what 0.1.0's AgentStoreMigrations.configure did, with the scripts at their old place on the classpath
        URL legacyRoot = Objects.requireNonNull(getClass().getClassLoader().getResource(LEGACY_ROOT));
        try (URLClassLoader legacyJar = new URLClassLoader(new URL[] {Path.of(legacyRoot.toURI()).toUri().toURL()}, null)) {
            MigrateResult old = Flyway.configure(legacyJar).dataSource(db.dataSource())
                    .locations(AgentStoreMigrations.LEGACY_LOCATION)
                    .schemas(schema).defaultSchema(schema).createSchemas(true)
                    .table(AgentStoreMigrations.HISTORY_TABLE)
                    .placeholders(Map.of("schema", schema, "embedding_dimension", Integer.toString(DIMENSION)))
                    .load().migrate();
            assertThat(old.migrationsExecuted).isEqualTo(1);
        }
        List<String> before;
        try (Connection c = db.connect()) {
            before = strings(c, "SELECT installed_rank || ':' || version || ':' || checksum FROM upgraded."
                    + AgentStoreMigrations.HISTORY_TABLE + " ORDER BY installed_rank");
        }

        // later scripts (V2, ...) may be pending; what was applied must validate as it is
        Flyway current = AgentStoreMigrations.configure(db.dataSource(), schema, DIMENSION)
                .ignoreMigrationPatterns("*:pending").load();
        assertThat(current.validateWithResult().validationSuccessful).isTrue();
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).schema(schema)
                .migrateOnStart(true).build()) {
            assertThat(store.embeddingDimension()).isEqualTo(DIMENSION);
            assertThat(store.migrate().migrationsExecuted()).isZero();
        }

        try (Connection c = db.connect()) {
            List<String> after = strings(c, "SELECT installed_rank || ':' || version || ':' || checksum FROM upgraded."
                    + AgentStoreMigrations.HISTORY_TABLE + " ORDER BY installed_rank");
            assertThat(after).as("V1 kept its row and checksum; nothing re-ran").startsWith(before.toArray(String[]::new));
            assertThat(strings(c, "SELECT count(*) FROM upgraded." + AgentStoreMigrations.HISTORY_TABLE
                    + " WHERE version = '1'")).containsExactly("1");
            assertThat(strings(c, "SELECT bool_and(success)::text FROM upgraded." + AgentStoreMigrations.HISTORY_TABLE))
                    .containsExactly("true");
        }
        assertAgentStoreStillValid(db, schema);
    }

    private static void assertAgentStoreStillValid(TestDatabase db, String schema) {
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).schema(schema).build()) {
            assertThat(store.health().ok()).isTrue();
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
