package dev.agentstore.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.AgentStore;
import dev.agentstore.Health;
import dev.agentstore.SchemaMigration;
import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code health()} shows agentstore's migration history for an ops page: applied and pending. */
class MigrationHistoryIT {

    @Test
    void a_migrated_schema_reports_every_migration_applied_with_its_time_and_none_pending() {
        TestDatabase db = TestPostgres.shared().createDatabase("agentstore", 3);
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).build()) {
            Health health = store.health();

            assertThat(health.migrations()).isNotEmpty().allSatisfy(m -> {
                assertThat(m.state()).isEqualTo(SchemaMigration.State.APPLIED);
                assertThat(m.installedOn()).isBefore(Instant.now().plusSeconds(1));
                assertThat(m.executionTime()).isNotNull();
            });
            assertThat(health.migrations().get(0).version()).isEqualTo("1");
            assertThat(health.migrations().get(0).description()).isEqualTo("create schema");
            assertThat(health.pendingMigrations()).isEmpty();
            assertThat(health.appliedMigrations()).hasSameSizeAs(health.migrations());
            assertThat(health.report()).contains("migrations      " + health.migrations().size() + " applied, 0 pending");
        }
    }

    @Test
    void an_unmigrated_schema_reports_every_migration_of_this_library_pending() {
        TestDatabase db = TestPostgres.shared().createEmptyDatabase();
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).embeddingDimension(3)
                .validateOnStart(false).build()) {
            Health before = store.health();
            store.migrate();
            Health after = store.health();

            assertThat(before.schemaVersion()).isNull();
            assertThat(before.migrations()).isNotEmpty()
                    .allSatisfy(m -> assertThat(m.state()).isEqualTo(SchemaMigration.State.PENDING))
                    .allSatisfy(m -> assertThat(m.installedOn()).isNull());
            assertThat(before.report()).contains("0 applied, " + before.migrations().size() + " pending");
            assertThat(after.pendingMigrations()).isEmpty();
            assertThat(after.appliedMigrations()).extracting(SchemaMigration::version)
                    .containsExactlyElementsOf(before.migrations().stream().map(SchemaMigration::version).toList());
        }
    }
}
