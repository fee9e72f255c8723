package dev.agentstore;

import dev.agentstore.migrations.AgentStoreMigrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the privileges of the connecting role before agentstore relies on them, so that a missing one
 * fails at once with its name and the GRANT to run (instead of Flyway retrying for ten seconds, or the
 * first write failing in production). The README's "Privileges" section lists the same.
 */
final class Privileges {

    private Privileges() {
    }

    /**
     * What migrating needs that the catalog can tell before Flyway starts: CREATE on the database when
     * the schema does not exist yet, else USAGE and CREATE on the schema, and read/write access to the
     * history table. (pgvector's extension needs a superuser unless it exists; the first migration says so.)
     */
    static void checkMigration(Connection c, String schema) throws SQLException {
        String role = string(c, "SELECT current_user", null);
        String database = string(c, "SELECT current_database()", null);
        if (string(c, "SELECT nspname FROM pg_namespace WHERE nspname = ?", schema) == null) {
            if (!bool(c, "SELECT has_database_privilege(current_database(), 'CREATE')", null)) {
                throw new MissingPrivilegeException(role, "role '" + role + "' cannot migrate agentstore: schema '" + schema
                        + "' does not exist and creating it needs CREATE on database '" + database + "'. Run as the database"
                        + " owner or a superuser either GRANT CREATE ON DATABASE " + ident(database) + " TO " + ident(role)
                        + "; or CREATE SCHEMA " + ident(schema) + " AUTHORIZATION " + ident(role) + "; then migrate again",
                        List.of("CREATE SCHEMA " + ident(schema) + " AUTHORIZATION " + ident(role) + ";"));
            }
            return;
        }
        List<String> missing = new ArrayList<>();
        for (String p : List.of("USAGE", "CREATE")) {
            if (!bool(c, "SELECT has_schema_privilege(?, '" + p + "')", schema)) {
                missing.add(p + " on schema " + schema);
            }
        }
        if (!missing.isEmpty()) {
            String grant = "GRANT USAGE, CREATE ON SCHEMA " + ident(schema) + " TO " + ident(role) + ";";
            throw new MissingPrivilegeException(role, "role '" + role + "' cannot migrate agentstore schema '" + schema
                    + "': it lacks " + String.join(", ", missing) + ". Run as the schema's owner: " + grant
                    + " (migrations that change existing tables also need their owner: migrate as the role that owns them)",
                    List.of(grant));
        }
        String history = ident(schema) + "." + AgentStoreMigrations.HISTORY_TABLE;
        if (string(c, "SELECT to_regclass(?)::text", history) != null) {
            List<String> lacking = new ArrayList<>();
            for (String p : List.of("SELECT", "INSERT", "UPDATE", "DELETE")) {
                if (!bool(c, "SELECT has_table_privilege(?, '" + p + "')", history)) {
                    lacking.add(p);
                }
            }
            if (!lacking.isEmpty()) {
                String grant = "GRANT SELECT, INSERT, UPDATE, DELETE ON " + history + " TO " + ident(role) + ";";
                throw new MissingPrivilegeException(role, "role '" + role + "' cannot migrate agentstore schema '" + schema
                        + "': it lacks " + String.join(", ", lacking) + " on " + history + ", Flyway's history. Run as the "
                        + "schema's owner: " + grant, List.of(grant));
            }
        }
    }

    /**
     * What the store needs at run time: USAGE on its schema and on the schema holding pgvector, SELECT,
     * INSERT, UPDATE and DELETE on each of its tables, SELECT on the history, USAGE on sequences and
     * EXECUTE on functions (except trigger functions and those whose comment starts with "migration only").
     * Silent when the schema does not exist (validation reports "not migrated").
     */
    static void checkRuntime(Connection c, String schema) throws SQLException {
        if (string(c, "SELECT nspname FROM pg_namespace WHERE nspname = ?", schema) == null) {
            return;
        }
        String role = string(c, "SELECT current_user", null);
        String s = ident(schema);
        String r = ident(role);
        List<String> missing = new ArrayList<>();
        Set<String> grants = new LinkedHashSet<>();
        if (!bool(c, "SELECT has_schema_privilege(?, 'USAGE')", schema)) {
            missing.add("USAGE on schema " + schema);
            grants.add("GRANT USAGE ON SCHEMA " + s + " TO " + r + ";");
        }
        String vectorSchema = string(c, "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                + "WHERE e.extname = 'vector'", null);
        if (vectorSchema != null && !bool(c, "SELECT has_schema_privilege(?, 'USAGE')", vectorSchema)) {
            missing.add("USAGE on schema " + vectorSchema + " (pgvector's types and operators)");
            grants.add("GRANT USAGE ON SCHEMA " + ident(vectorSchema) + " TO " + r + ";");
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT c.relname, p.priv FROM pg_class c CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) p(priv) "
                        + "WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = ?) "
                        + "AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
                        + "AND (c.relname <> ? OR p.priv = 'SELECT') "
                        + "AND NOT has_table_privilege(c.oid, p.priv) ORDER BY c.relname, array_position(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE'], p.priv)")) {
            ps.setString(1, schema);
            ps.setString(2, AgentStoreMigrations.HISTORY_TABLE);
            List<String> tables = new ArrayList<>();
            String lastTable = null;
            StringBuilder line = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    if (!table.equals(lastTable)) {
                        if (line != null) {
                            tables.add(line.toString());
                        }
                        line = new StringBuilder(rs.getString(2));
                        lastTable = table;
                        line.insert(0, schema + "." + table + ": ");
                        if (table.equals(AgentStoreMigrations.HISTORY_TABLE)) {
                            grants.add("GRANT SELECT ON " + s + "." + table + " TO " + r + ";");
                        } else {
                            grants.add("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + s + " TO " + r + ";");
                        }
                    } else {
                        line.append(", ").append(rs.getString(2));
                    }
                }
            }
            if (line != null) {
                tables.add(line.toString());
            }
            missing.addAll(tables);
        }
        List<String> sequences = names(c, "SELECT c.relname FROM pg_class c WHERE c.relkind = 'S' "
                + "AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = ?) "
                + "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'i') "
                + "AND CASE WHEN c.relkind = 'S' THEN NOT has_sequence_privilege(c.oid, 'USAGE') ELSE false END ORDER BY 1", schema);
        if (!sequences.isEmpty()) {
            missing.add("USAGE on sequences " + String.join(", ", sequences));
            grants.add("GRANT USAGE ON ALL SEQUENCES IN SCHEMA " + s + " TO " + r + ";");
        }
        List<String> functions = names(c, "SELECT p.oid::regprocedure::text FROM pg_proc p "
                + "WHERE p.pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = ?) "
                // trigger functions run without the caller's EXECUTE; "migration only" ones are not for the runtime role
                + "AND p.prorettype <> 'trigger'::regtype "
                + "AND coalesce(obj_description(p.oid, 'pg_proc'), '') NOT LIKE 'migration only%' "
                + "AND NOT has_function_privilege(p.oid, 'EXECUTE') ORDER BY 1", schema);
        if (!functions.isEmpty()) {
            missing.add("EXECUTE on functions " + String.join(", ", functions));
            grants.add("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA " + s + " TO " + r + ";");
        }
        if (!missing.isEmpty()) {
            throw new MissingPrivilegeException(role, "role '" + role + "' lacks privileges agentstore needs at run time: "
                    + String.join("; ", missing) + ". Run as the owner of schema '" + schema + "': " + String.join(" ", grants),
                    List.copyOf(grants));
        }
    }

    /** A quoted identifier when the name needs it (role names may hold upper case or dashes). */
    static String ident(String name) {
        return name.matches("[a-z_][a-z0-9_]*") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String string(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter != null) {
                ps.setString(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static boolean bool(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter != null) {
                ps.setString(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static List<String> names(Connection c, String sql, String parameter) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
