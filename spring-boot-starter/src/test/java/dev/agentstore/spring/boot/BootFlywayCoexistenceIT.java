package dev.agentstore.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentstore.AgentStore;
import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An application with its own Flyway migrations (Spring Boot's FlywayAutoConfiguration, default
 * {@code classpath:db/migration}) and agentstore migrating on start, on one fresh database: each applies
 * exactly its own scripts and keeps its own history.
 */
class BootFlywayCoexistenceIT {

    @Test
    void boot_flyway_applies_only_the_application_scripts_and_agentstore_only_its_own() throws Exception {
        TestDatabase db = TestPostgres.shared().createEmptyDatabase();
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(db.jdbcUrl());
            ds.setUsername(db.user());
            ds.setPassword(db.password());
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class, AgentStoreAutoConfiguration.class))
                    .withBean(DataSource.class, () -> ds)
                    .withPropertyValues("agentstore.migrate-on-start=true", "agentstore.embedding-dimension=4")
                    .run(ctx -> {
                        assertThat(ctx).hasNotFailed();
                        assertThat(ctx.getBean(AgentStore.class).health().ok()).isTrue();
                        assertHistories(ds);
                    });
        }
    }

    private static void assertHistories(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                assertThat(strings(s, "SELECT script FROM public.flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank"))
                        .containsExactly("V1__create_app_note.sql");
                assertThat(strings(s, "SELECT to_regclass('public.app_note')::text")).containsExactly("app_note");
                List<String> agentstoreScripts = strings(s,
                        "SELECT script FROM agentstore.agentstore_schema_history WHERE version IS NOT NULL ORDER BY installed_rank");
                assertThat(agentstoreScripts).isNotEmpty().doesNotContain("V1__create_app_note.sql");
                assertThat(agentstoreScripts.get(0)).isEqualTo("V1__create_schema.sql");
                assertThat(strings(s, "SELECT to_regclass('public.chunk')::text")).containsOnlyNulls();
        }
    }

    private static List<String> strings(Statement s, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
