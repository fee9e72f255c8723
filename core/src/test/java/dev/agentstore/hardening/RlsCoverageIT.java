package dev.agentstore.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.AgentStore;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every table of agentstore's schema, and every partition the storage functions create at run time,
 * has row-level security enabled and the tenant policy: a table added by a later migration without
 * them (or without tenant_id) fails this test.
 */
@AgentStoreTest(dimension = 3)
class RlsCoverageIT {

    /** Flyway's history: no tenant data. */
    private static final String HISTORY = "agentstore_schema_history";

    /** Tables (and partitions) of the schema lacking RLS, the policy or a policy of the expected form, with the reason. */
    static List<String> uncovered(Connection c, String schema) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT t.relname, t.relrowsecurity,
                       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped),
                       (SELECT pg_get_expr(p.polqual, p.polrelid) || ' / ' || pg_get_expr(p.polwithcheck, p.polrelid)
                          FROM pg_policy p WHERE p.polrelid = t.oid AND p.polname = 'agentstore_tenant_isolation'
                           AND p.polcmd = '*' AND p.polpermissive),
                       (SELECT count(*) FROM pg_policy p WHERE p.polrelid = t.oid)
                FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname = ? AND t.relkind IN ('r', 'p') AND t.relname <> ?
                ORDER BY t.relname""")) {
            ps.setString(1, schema);
            ps.setString(2, HISTORY);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    String policy = rs.getString(4);
                    if (!rs.getBoolean(3)) {
                        problems.add(table + ": no tenant_id column");
                    }
                    if (!rs.getBoolean(2)) {
                        problems.add(table + ": row-level security not enabled");
                    }
                    String expected = "(tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))";
                    if (policy == null) {
                        problems.add(table + ": no policy agentstore_tenant_isolation FOR ALL");
                    } else if (!policy.equals(expected + " / " + expected)) {
                        problems.add(table + ": policy agentstore_tenant_isolation is " + policy);
                    }
                    if (rs.getInt(5) != 1) {
                        problems.add(table + ": " + rs.getInt(5) + " policies (permissive policies are OR-ed: only the tenant policy may exist)");
                    }
                }
            }
        }
        return problems;
    }

    @Test
    void every_table_of_the_migrated_schema_has_rls_and_the_tenant_policy(TestDatabase db) throws SQLException {
        try (Connection c = db.connect()) {
            assertThat(tableCount(c, db.schema())).as("tables checked").isGreaterThanOrEqualTo(8);
            assertThat(uncovered(c, db.schema())).isEmpty();
        }
    }

    @Test
    void partitions_created_at_run_time_are_covered_too(TestDatabase db) throws SQLException {
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).build()) {
            store.documents("acme").createKnowledgeBase(KnowledgeBaseSpec.of("first", 3));
            store.documents("globex").createKnowledgeBase(KnowledgeBaseSpec.of("second", 3));
        }
        try (Connection c = db.connect()) {
            assertThat(uncovered(c, db.schema())).isEmpty();
        }
    }

    @Test
    void the_check_itself_reports_a_table_without_rls_or_with_an_extra_policy(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("CREATE TABLE \"" + db.schema() + "\".side_door (tenant_id text, secret text)");
            s.execute("CREATE TABLE \"" + db.schema() + "\".no_tenant (secret text)");
            s.execute("CREATE POLICY everything ON \"" + db.schema() + "\".memory USING (true)");
            assertThat(uncovered(c, db.schema())).containsExactlyInAnyOrder(
                    "memory: 2 policies (permissive policies are OR-ed: only the tenant policy may exist)",
                    "no_tenant: no tenant_id column", "no_tenant: row-level security not enabled",
                    "no_tenant: no policy agentstore_tenant_isolation FOR ALL",
                    "no_tenant: 0 policies (permissive policies are OR-ed: only the tenant policy may exist)",
                    "side_door: row-level security not enabled", "side_door: no policy agentstore_tenant_isolation FOR ALL",
                    "side_door: 0 policies (permissive policies are OR-ed: only the tenant policy may exist)");
            try (PreparedStatement ps = c.prepareStatement("SELECT \"" + db.schema() + "\".agentstore_secure_tables()")) {
                ps.execute();
            }
            assertThat(uncovered(c, db.schema())).as("the sweep that runs after every migration fixes a table with tenant_id")
                    .doesNotContain("side_door: row-level security not enabled", "side_door: no policy agentstore_tenant_isolation FOR ALL");
            c.rollback();
        }
    }

    private static int tableCount(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE n.nspname = ? AND t.relkind IN ('r', 'p')")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
