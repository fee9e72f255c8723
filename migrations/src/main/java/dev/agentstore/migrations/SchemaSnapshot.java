package dev.agentstore.migrations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A human-readable, stably ordered SQL text of agentstore's schema as the database has it: tables with
 * their columns, constraints, row-level security and policies, indexes, sequences, views, functions and
 * triggers. Maintainers commit it ({@value #RESOURCE} in this jar) next to the generated jOOQ classes
 * and review it in diffs; the build fails when it no longer matches the migrations, and the
 * {@code agentstore verify} command compares a live database with it.
 *
 * <pre>{@code
 * try (Connection c = dataSource.getConnection()) {
 *     String live = SchemaSnapshot.of(c, "agentstore", 1536);
 *     List<String> differences = SchemaSnapshot.diff(SchemaSnapshot.committed(), live);
 * }
 * }</pre>
 *
 * <p>What is left out, so that the text depends on the migrations only: Flyway's history table, the
 * per-knowledge-base partitions (and their indexes) that agentstore creates at run time, owners,
 * grants, and server versions. The schema name is written as {@code ${schema}} and the configured
 * embedding dimension inside {@code vector(…)} / {@code halfvec(…)} types (and in V1's knowledge-base
 * dimension check) as {@code ${embedding_dimension}}, as in the migration scripts, so databases migrated with other values
 * compare equal. Stateless and thread-safe.
 */
public final class SchemaSnapshot {

    /**
     * Resource holding the snapshot of the schema the migrations in this jar create. It lies outside
     * any Java package, so it can be read on the module path too (a resource-only package
     * {@code dev.agentstore.schema} here would split core's package of the same name). In the source
     * tree it is {@code migrations/src/main/resources/dev/agentstore/schema/schema.sql}.
     */
    public static final String RESOURCE = "META-INF/agentstore/schema.sql";

    private static final String HEADER = "-- agentstore schema snapshot: what the migrations create, in a stable order.\n"
            + "-- Generated; do not edit. Regenerate with: mvn -pl codegen -am -Pregenerate -DskipTests process-classes\n";

    private SchemaSnapshot() {
    }

    /**
     * Reads the snapshot of the schema the migrations of this jar create.
     *
     * @return the text of {@value #RESOURCE}
     * @throws IllegalStateException if the resource is missing from the classpath (a broken build)
     */
    public static String committed() {
        try (InputStream in = SchemaSnapshot.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the schema snapshot " + RESOURCE + " is missing from agentstore-migrations; "
                        + "rebuild the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * Writes the snapshot of a live schema.
     *
     * @param connection an open connection; it is neither closed nor changed (read-only catalog queries)
     * @param schema the schema agentstore lives in
     * @param embeddingDimension the store's configured dimension, written as {@code ${embedding_dimension}}
     * @return the snapshot text, ending with a newline
     * @throws SQLException if a catalog query fails
     * @throws IllegalArgumentException if the schema does not exist
     */
    public static String of(Connection connection, String schema, int embeddingDimension) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        AgentStoreMigrations.checkSchemaName(schema);
        if (rows(connection, "select 1 from pg_namespace where nspname = ?", schema).isEmpty()) {
            throw new IllegalArgumentException("schema '" + schema + "' does not exist in this database; "
                    + "migrate it first (agentstore migrate, or AgentStore.migrate())");
        }
        StringBuilder out = new StringBuilder(HEADER);
        for (String[] t : rows(connection, """
                select c.oid::text, c.relname, c.relkind::text,
                       coalesce(pg_get_partkeydef(c.oid), ''),
                       c.relrowsecurity::text, c.relforcerowsecurity::text,
                       coalesce(obj_description(c.oid, 'pg_class'), '')
                from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = ? and c.relkind in ('r', 'p') and not c.relispartition
                  and c.relname <> ?
                order by c.relname""", schema, AgentStoreMigrations.HISTORY_TABLE)) {
            table(connection, out, t);
        }
        for (String[] s : rows(connection, """
                select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = ? and c.relkind = 'S' order by 1""", schema)) {
            out.append("\nCREATE SEQUENCE ").append(s[0]).append(";\n");
        }
        for (String[] v : rows(connection, """
                select c.relname, pg_get_viewdef(c.oid, true), c.relkind::text
                from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = ? and c.relkind in ('v', 'm') order by 1""", schema)) {
            out.append('\n').append("m".equals(v[2]) ? "CREATE MATERIALIZED VIEW " : "CREATE VIEW ")
                    .append(v[0]).append(" AS\n").append(v[1].stripTrailing()).append('\n');
        }
        for (String[] f : rows(connection, """
                select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', pg_get_functiondef(p.oid)
                from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                where n.nspname = ? and p.prokind in ('f', 'p')
                  and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
                order by 1""", schema)) {
            out.append('\n').append(f[1].stripTrailing()).append(";\n");
        }
        return normalise(out.toString(), schema, embeddingDimension);
    }

    private static void table(Connection connection, StringBuilder out, String[] t) throws SQLException {
        String oid = t[0];
        out.append("\nCREATE TABLE ").append(t[1]).append(" (\n");
        List<String> lines = new ArrayList<>();
        for (String[] c : rows(connection, """
                select a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull::text,
                       coalesce(pg_get_expr(d.adbin, d.adrelid), ''), a.attgenerated::text
                from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
                where a.attrelid = ?::oid and a.attnum > 0 and not a.attisdropped
                order by a.attnum""", oid)) {
            StringBuilder col = new StringBuilder("  ").append(c[0]).append(' ').append(c[1]);
            if ("s".equals(c[4])) {
                col.append(" GENERATED ALWAYS AS (").append(c[3]).append(") STORED");
            } else if (!c[3].isEmpty()) {
                col.append(" DEFAULT ").append(c[3]);
            }
            if ("true".equals(c[2])) {
                col.append(" NOT NULL");
            }
            lines.add(col.toString());
        }
        for (String[] k : rows(connection, """
                select conname, pg_get_constraintdef(oid, true) from pg_constraint
                where conrelid = ?::oid and contype <> 'n' order by
                  case contype when 'p' then 0 when 'u' then 1 when 'f' then 2 when 'x' then 3 else 4 end, conname""", oid)) {
            lines.add("  CONSTRAINT " + k[0] + " " + k[1]);
        }
        out.append(String.join(",\n", lines)).append("\n)");
        if (!t[3].isEmpty()) {
            out.append(" PARTITION BY ").append(t[3]);
        }
        out.append(";\n");
        if (!t[6].isEmpty()) {
            out.append("COMMENT ON TABLE ").append(t[1]).append(" IS '").append(t[6].replace("'", "''")).append("';\n");
        }
        if ("true".equals(t[4])) {
            out.append("ALTER TABLE ").append(t[1]).append(" ENABLE ROW LEVEL SECURITY;\n");
        }
        if ("true".equals(t[5])) {
            out.append("ALTER TABLE ").append(t[1]).append(" FORCE ROW LEVEL SECURITY;\n");
        }
        for (String[] p : rows(connection, """
                select polname, case polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE'
                         when 'd' then 'DELETE' else 'ALL' end,
                       case when polpermissive then 'PERMISSIVE' else 'RESTRICTIVE' end,
                       coalesce((select string_agg(case when r = 0 then 'public' else pg_get_userbyid(r) end, ', ' order by 1)
                                 from unnest(polroles) r), 'public'),
                       coalesce(pg_get_expr(polqual, polrelid), ''), coalesce(pg_get_expr(polwithcheck, polrelid), '')
                from pg_policy where polrelid = ?::oid order by polname""", oid)) {
            out.append("CREATE POLICY ").append(p[0]).append(" ON ").append(t[1]).append(" AS ").append(p[2])
                    .append(" FOR ").append(p[1]).append(" TO ").append(p[3]);
            if (!p[4].isEmpty()) {
                out.append(" USING (").append(p[4]).append(')');
            }
            if (!p[5].isEmpty()) {
                out.append(" WITH CHECK (").append(p[5]).append(')');
            }
            out.append(";\n");
        }
        for (String[] i : rows(connection, """
                select pg_get_indexdef(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indexrelid
                where i.indrelid = ?::oid
                  and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid and k.conrelid = i.indrelid)
                order by c.relname""", oid)) {
            out.append(i[0]).append(";\n");
        }
        for (String[] g : rows(connection, """
                select pg_get_triggerdef(oid, true) from pg_trigger
                where tgrelid = ?::oid and not tgisinternal order by tgname""", oid)) {
            out.append(g[0]).append(";\n");
        }
    }

    /** Writes the schema name and the configured dimension as the migrations' placeholders. */
    static String normalise(String text, String schema, int embeddingDimension) {
        String s = text.replace("\"" + schema + "\".", "${schema}.").replace(" " + schema + ".", " ${schema}.")
                .replace("(" + schema + ".", "(${schema}.").replace("'" + schema + "'", "'${schema}'")
                .replace("nextval('" + schema + ".", "nextval('${schema}.")
                .replace("search_path TO '" + schema, "search_path TO '${schema}")
                .replace("search_path TO " + schema, "search_path TO ${schema}");
        Matcher m = Pattern.compile("\\b(vector|halfvec)\\(" + embeddingDimension + "\\)").matcher(s);
        s = m.replaceAll("$1(\\${embedding_dimension})");
        // V1's check that knowledge bases use the store's dimension
        s = s.replace("(embedding_dimension = " + embeddingDimension + ")", "(embedding_dimension = ${embedding_dimension})");
        // V2's default dimension of new knowledge bases is the store's
        s = s.replace("embedding_dimension integer DEFAULT " + embeddingDimension + " ",
                "embedding_dimension integer DEFAULT ${embedding_dimension} ");
        return s.endsWith("\n") ? s : s + "\n";
    }

    /**
     * Compares two snapshots line by line.
     *
     * @return the differing lines, each prefixed with {@code -} (only in {@code expected}) or {@code +}
     *     (only in {@code actual}) and its line number; empty when they are equal
     */
    public static List<String> diff(String expected, String actual) {
        List<String> a = expected.lines().toList();
        List<String> b = actual.lines().toList();
        // longest common subsequence: snapshots are a few hundred lines
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add("-" + (i + 1) + ": " + a.get(i++));
            } else {
                out.add("+" + (j + 1) + ": " + b.get(j++));
            }
        }
        return out;
    }

    private static List<String[]> rows(Connection connection, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                List<String[]> out = new ArrayList<>();
                while (rs.next()) {
                    String[] row = new String[n];
                    for (int k = 0; k < n; k++) {
                        row[k] = rs.getString(k + 1);
                    }
                    out.add(row);
                }
                return out;
            }
        }
    }
}
