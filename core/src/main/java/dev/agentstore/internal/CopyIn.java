package dev.agentstore.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.sql.Statement;
import org.jooq.DSLContext;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Streams rows into a table by binary COPY, inside the caller's transaction. PostgreSQL refuses
 * {@code COPY FROM} into a table whose row-level security applies to the current role ("COPY FROM not
 * supported with row-level security"); with {@code staged} the rows first go into a temporary copy of
 * the table (dropped at commit at the latest), and one {@code INSERT ... SELECT} then moves them, so the
 * policies check every row. Unsupported API.
 */
public final class CopyIn {

    /** Writes the COPY stream (header, rows, trailer) to {@code out}. */
    @FunctionalInterface
    public interface Rows {
        /** Writes every row. */
        void write(OutputStream out) throws IOException;
    }

    private static final String STAGE = "agentstore_copy_stage";

    private CopyIn() {
    }

    /**
     * @param tx the transaction's context
     * @param table the rendered, qualified target table (from generated code or the knowledge layout)
     * @param columns the column list, as in the rows
     * @param staged whether to stage through a temporary table (row-level security in force)
     * @param rows writes the binary COPY stream
     */
    public static void copy(DSLContext tx, String table, String columns, boolean staged, Rows rows) {
        tx.connection(c -> {
            String target = staged ? "pg_temp." + STAGE : table;
            if (staged) {
                try (Statement s = c.createStatement()) {
                    s.execute("drop table if exists pg_temp." + STAGE);
                    s.execute("create temp table " + STAGE + " (like " + table + " including defaults) on commit drop");
                }
            }
            PGConnection pg = c.unwrap(PGConnection.class);
            try (PGCopyOutputStream out = new PGCopyOutputStream(pg,
                    "copy " + target + " (" + columns + ") from stdin (format binary)", 1 << 16)) {
                rows.write(out);
            } catch (IOException e) {
                throw new SQLException("cannot stream rows to PostgreSQL: " + e.getMessage(), e);
            }
            if (staged) {
                try (Statement s = c.createStatement()) {
                    s.execute("insert into " + table + " (" + columns + ") select " + columns + " from " + target);
                    s.execute("drop table " + target);
                }
            }
        });
    }
}
