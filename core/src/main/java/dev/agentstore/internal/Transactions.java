package dev.agentstore.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * One transaction on one connection of the store, with exactly the statements of a hand-written
 * transaction: {@code setAutoCommit(false)}, the work, {@code commit} (or {@code rollback}). jOOQ's
 * {@code transactionResult} costs an extra round trip per transaction (it asks for the isolation
 * level), which shows on hot paths such as search and recall.
 *
 * <p>When the connection is already inside a transaction ({@code AgentStore.inTransaction}, a
 * connection passed to {@code AgentStore.joining}, or a host data source handing out the connection
 * of its own transaction), the work joins it inside a savepoint: released on success, rolled back to on
 * failure, so a failed call leaves nothing behind even when the host goes on; nothing is committed
 * here. Settings made with {@code SET LOCAL} then last until the outer transaction ends. jOOQ
 * transactions of the store behave the same ({@link JoiningTransactionProvider}).
 */
public final class Transactions {

    private Transactions() {
    }

    /**
     * Runs work in one transaction and returns its result. Any exception rolls everything back and is
     * rethrown unchanged (translate it at the boundary).
     */
    public static <T> T inTransaction(StoreContext context, Function<DSLContext, T> work) {
        return inJdbcTransaction(context,
                connection -> work.apply(DSL.using(context.dsl().configuration().derive(connection))));
    }

    /** Work on a plain JDBC connection, inside the transaction. */
    @FunctionalInterface
    public interface JdbcWork<T> {
        /** Runs the work; the connection is not to be closed or committed. */
        T apply(Connection connection) throws SQLException;
    }

    /**
     * Like {@link #inTransaction(StoreContext, Function)}, with the plain connection (for statements
     * rendered once and executed over JDBC). A {@link SQLException} arrives wrapped in jOOQ's
     * {@code DataAccessException}; translate it at the boundary.
     */
    public static <T> T inJdbcTransaction(StoreContext context, JdbcWork<T> work) {
        return context.dsl().connectionResult(connection -> runJdbc(connection, work));
    }

    private static <T> T runJdbc(Connection connection, JdbcWork<T> work) throws SQLException {
        if (!connection.getAutoCommit()) {
            return inSavepoint(connection, work);
        }
        connection.setAutoCommit(false);
        try {
            T result = work.apply(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                connection.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static <T> T inSavepoint(Connection connection, JdbcWork<T> work) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        T result;
        try {
            result = work.apply(connection);
        } catch (SQLException | RuntimeException | Error e) {
            try {
                connection.rollback(savepoint);
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        connection.releaseSavepoint(savepoint);
        return result;
    }
}
