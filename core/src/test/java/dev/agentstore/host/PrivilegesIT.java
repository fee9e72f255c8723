package dev.agentstore.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.MissingPrivilegeException;
import dev.agentstore.SchemaValidationException;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.conversation.Session;
import dev.agentstore.memory.MemoryKey;
import dev.agentstore.memory.MemoryScope;
import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Roles lacking each privilege agentstore needs: every case fails at once (no Flyway retries) with a
 * message naming the privilege and the GRANT to run; the README's grants make a runtime role work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrivilegesIT {

    private static final Duration FAST = Duration.ofSeconds(5);

    private final TestPostgres server = TestPostgres.shared();
    /** role → database it has grants in (for the clean-up). */
    private final Map<String, TestDatabase> roles = new java.util.LinkedHashMap<>();

    @AfterAll
    void dropRoles() {
        // roles are server-wide; best effort, as the databases themselves are dropped when the JVM exits
        for (Map.Entry<String, TestDatabase> e : roles.entrySet()) {
            try (Connection c = e.getValue().connect(); Statement s = c.createStatement()) {
                s.execute("DROP OWNED BY " + e.getKey());
            } catch (SQLException ignored) {
                // dropped with the database
            }
            try (Connection c = server.connectAdmin(); Statement s = c.createStatement()) {
                s.execute("DROP ROLE IF EXISTS " + e.getKey());
            } catch (SQLException ignored) {
                // still referenced elsewhere; harmless on a throw-away server
            }
        }
    }

    private String newRole(TestDatabase db) throws SQLException {
        String role = "agentstore_priv_" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        try (Connection c = server.connectAdmin(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'pw' NOSUPERUSER NOCREATEDB");
        }
        roles.put(role, db);
        return role;
    }

    private static DataSource as(TestDatabase db, String role) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(db.jdbcUrl());
        ds.setUser(role);
        ds.setPassword("pw");
        return ds;
    }

    private static void asOwner(TestDatabase db, String... statements) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static Throwable buildFails(AgentStore.Builder builder) {
        long start = System.nanoTime();
        Throwable thrown = null;
        try (AgentStore store = builder.build()) {
            // not expected
        } catch (RuntimeException e) {
            thrown = e;
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("fails fast").isLessThan(FAST);
        assertThat(thrown).as("build() fails").isNotNull();
        return thrown;
    }

    @Test
    void migrating_without_create_on_the_database_names_the_grant() throws SQLException {
        TestDatabase db = server.createEmptyDatabase();
        asOwner(db, "CREATE EXTENSION vector");
        String role = newRole(db);

        Throwable e = buildFails(AgentStore.builder().dataSource(as(db, role)).embeddingDimension(3).migrateOnStart(true));

        assertThat(e).isInstanceOf(MissingPrivilegeException.class)
                .hasMessageContaining("role '" + role + "' cannot migrate agentstore")
                .hasMessageContaining("needs CREATE on database '" + db.name() + "'")
                .hasMessageContaining("GRANT CREATE ON DATABASE " + db.name() + " TO " + role)
                .hasMessageContaining("CREATE SCHEMA agentstore AUTHORIZATION " + role);
        assertThat(((MissingPrivilegeException) e).role()).isEqualTo(role);
    }

    @Test
    void migrating_into_an_existing_schema_without_create_on_it_names_the_grant() throws SQLException {
        TestDatabase db = server.createEmptyDatabase();
        String role = newRole(db);
        asOwner(db, "CREATE EXTENSION vector", "CREATE SCHEMA agentstore", "GRANT USAGE ON SCHEMA agentstore TO " + role);

        Throwable e = buildFails(AgentStore.builder().dataSource(as(db, role)).embeddingDimension(3).migrateOnStart(true));

        assertThat(e).isInstanceOf(MissingPrivilegeException.class)
                .hasMessageContaining("lacks CREATE on schema agentstore")
                .hasMessageContaining("GRANT USAGE, CREATE ON SCHEMA agentstore TO " + role + ";");
        assertThat(((MissingPrivilegeException) e).grants()).containsExactly("GRANT USAGE, CREATE ON SCHEMA agentstore TO " + role + ";");
    }

    @Test
    void migrating_without_pgvector_as_a_non_superuser_says_a_superuser_must_create_it() throws SQLException {
        TestDatabase db = server.createEmptyDatabase();
        String role = newRole(db);
        asOwner(db, "GRANT CREATE ON DATABASE " + db.name() + " TO " + role);

        Throwable e = buildFails(AgentStore.builder().dataSource(as(db, role)).embeddingDimension(3).migrateOnStart(true));

        assertThat(e).isInstanceOf(SchemaValidationException.class)
                .hasMessageContaining("only a superuser can create it")
                .hasMessageContaining("CREATE EXTENSION vector;");
    }

    @Test
    void a_runtime_role_without_usage_on_the_schema_is_told_every_grant() throws SQLException {
        TestDatabase db = server.createDatabase("agentstore", 3);
        String role = newRole(db);

        Throwable e = buildFails(AgentStore.builder().dataSource(as(db, role)));

        assertThat(e).isInstanceOf(MissingPrivilegeException.class)
                .hasMessageContaining("role '" + role + "' lacks privileges agentstore needs at run time")
                .hasMessageContaining("USAGE on schema agentstore")
                .hasMessageContaining("agentstore.conversation_message: SELECT, INSERT, UPDATE, DELETE");
        assertThat(((MissingPrivilegeException) e).grants()).contains(
                "GRANT USAGE ON SCHEMA agentstore TO " + role + ";",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA agentstore TO " + role + ";",
                "GRANT SELECT ON agentstore.agentstore_schema_history TO " + role + ";");
    }

    @Test
    void a_runtime_role_that_may_only_read_is_told_which_writes_it_lacks() throws SQLException {
        TestDatabase db = server.createDatabase("agentstore", 3);
        String role = newRole(db);
        asOwner(db, "GRANT USAGE ON SCHEMA agentstore TO " + role, "GRANT SELECT ON ALL TABLES IN SCHEMA agentstore TO " + role);

        Throwable e = buildFails(AgentStore.builder().dataSource(as(db, role)));

        assertThat(e).isInstanceOf(MissingPrivilegeException.class)
                .hasMessageContaining("agentstore.memory: INSERT, UPDATE, DELETE")
                .hasMessageNotContaining("USAGE on schema")
                .hasMessageNotContaining("agentstore_schema_history");
    }

    @Test
    void the_readme_grants_make_a_runtime_role_work_and_each_one_is_needed() throws Exception {
        TestDatabase db = server.createDatabase("agentstore", 3);
        String role = newRole(db);
        asOwner(db, readmeGrants(role, db.user()).toArray(String[]::new));

        try (AgentStore store = AgentStore.builder().dataSource(as(db, role)).build()) {
            Session s = store.conversations("t").open(NewSession.create());
            store.conversations("t").addMessage(s.id(), NewMessage.user("hi"));
            store.memory("t").put(MemoryKey.of("a", MemoryScope.agent(), "k"), "{}");
            assertThat(store.health().ok()).isTrue();
        }

        asOwner(db, "REVOKE SELECT ON agentstore.agentstore_schema_history FROM " + role);
        assertThat(buildFails(AgentStore.builder().dataSource(as(db, role))))
                .hasMessageContaining("agentstore.agentstore_schema_history: SELECT")
                .hasMessageContaining("GRANT SELECT ON agentstore.agentstore_schema_history TO " + role + ";");

        asOwner(db, "GRANT SELECT ON agentstore.agentstore_schema_history TO " + role,
                "CREATE FUNCTION agentstore.build_partition(kb uuid) RETURNS void LANGUAGE sql SECURITY DEFINER AS 'SELECT'",
                "REVOKE EXECUTE ON FUNCTION agentstore.build_partition(uuid) FROM PUBLIC, " + role);
        assertThat(buildFails(AgentStore.builder().dataSource(as(db, role))))
                .hasMessageContaining("EXECUTE on functions agentstore.build_partition(uuid)")
                .hasMessageContaining("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA agentstore TO " + role + ";");
    }

    /** The README's runtime grants block, with the test's role names. */
    private static List<String> readmeGrants(String app, String migrator) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        int start = lines.indexOf("-- runtime role grants (PrivilegesIT runs this block as written, with its own role names)");
        assertThat(start).as("the README's runtime grants block").isPositive();
        StringBuilder sql = new StringBuilder();
        for (int i = start + 1; !lines.get(i).strip().equals("```"); i++) {
            sql.append(lines.get(i)).append('\n');
        }
        List<String> statements = new ArrayList<>();
        for (String statement : sql.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip().replace("agentstore_app", app).replace("agentstore_migrator", migrator));
            }
        }
        assertThat(statements).hasSizeGreaterThan(5);
        return statements;
    }
}
