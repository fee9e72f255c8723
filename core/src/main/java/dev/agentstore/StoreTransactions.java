package dev.agentstore;

import dev.agentstore.internal.BoundConnection;
import dev.agentstore.internal.SqlErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * {@link AgentStore#inTransaction}: one connection, one transaction, a store view bound to it. A
 * connection already inside a transaction (a nested call, a joined host connection, or a host data
 * source handing out the connection of its transaction) is joined through a savepoint instead.
 */
final class StoreTransactions {

    private StoreTransactions() {
    }

    static <T, X extends Exception> T inTransaction(AgentStore store, TransactionCallback<T, X> work) throws X {
        if (work == null) {
            throw new NullPointerException("work");
        }
        BoundConnection bound = store.boundConnection();
        if (bound != null) {
            return onConnection(bound.connection(), store, work);
        }
        Connection connection;
        try {
            connection = store.connections().getConnection();
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "open a connection for a transaction");
        }
        BoundConnection mine = new BoundConnection(connection);
        try {
            return onConnection(connection, store.boundTo(mine), work);
        } finally {
            mine.end();
            try {
                connection.close();
            } catch (SQLException e) {
                // the connection is done with; a failing close loses nothing that was committed
            }
        }
    }

    private static <T, X extends Exception> T onConnection(Connection c, AgentStore view, TransactionCallback<T, X> work)
            throws X {
        boolean begin;
        try {
            begin = c.getAutoCommit();
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "begin a transaction");
        }
        return begin ? ownTransaction(c, view, work) : savepoint(c, view, work);
    }

    private static <T, X extends Exception> T ownTransaction(Connection c, AgentStore view, TransactionCallback<T, X> work)
            throws X {
        try {
            c.setAutoCommit(false);
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "begin a transaction");
        }
        try {
            T result;
            try {
                result = work.run(view);
            } catch (Throwable e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            try {
                c.commit();
            } catch (SQLException e) {
                throw SqlErrors.translate(e, "commit the transaction");
            }
            return result;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException e) {
                // the connection goes back broken; the pool validates it
            }
        }
    }

    private static <T, X extends Exception> T savepoint(Connection c, AgentStore view, TransactionCallback<T, X> work)
            throws X {
        Savepoint savepoint;
        try {
            savepoint = c.setSavepoint();
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "set a savepoint inside the surrounding transaction");
        }
        T result;
        try {
            result = work.run(view);
        } catch (Throwable e) {
            try {
                c.rollback(savepoint);
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        try {
            c.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "release the savepoint inside the surrounding transaction");
        }
        return result;
    }
}
