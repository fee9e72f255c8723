package dev.agentstore.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import org.jooq.Configuration;
import org.jooq.ConnectionProvider;
import org.jooq.TransactionContext;
import org.jooq.TransactionProvider;
import org.jooq.exception.DataAccessException;

/**
 * The store's jOOQ transactions ({@code dsl.transactionResult(...)}): on a connection in auto-commit
 * mode it begins, commits (or rolls back) and hands the connection back, like jOOQ's default. On a
 * connection already inside a transaction (the store's own {@code inTransaction}, a connection the host
 * passed to {@code joining}, or a host data source handing out the connection of its transaction) it
 * <em>joins</em>: the work runs inside a savepoint, released on success and rolled back to on failure,
 * and the outer transaction is never committed here. A failed document write therefore leaves nothing
 * behind even when the host catches the exception and commits the rest of its transaction.
 */
public final class JoiningTransactionProvider implements TransactionProvider {

    private static final Object STATE = new Object();

    private static final class State {
        final ConnectionProvider source;
        final Connection connection;
        final Savepoint savepoint; // null: this provider began the transaction
        boolean done;

        State(ConnectionProvider source, Connection connection, Savepoint savepoint) {
            this.source = source;
            this.connection = connection;
            this.savepoint = savepoint;
        }
    }

    @Override
    public void begin(TransactionContext ctx) {
        Configuration configuration = ctx.configuration();
        ConnectionProvider source = configuration.connectionProvider();
        Connection c = source.acquire();
        State state;
        try {
            if (c.getAutoCommit()) {
                c.setAutoCommit(false);
                state = new State(source, c, null);
            } else {
                state = new State(source, c, c.setSavepoint());
            }
        } catch (SQLException e) {
            source.release(c);
            throw new DataAccessException("cannot begin a transaction: " + e.getMessage(), e);
        }
        configuration.set(new BoundConnection(c));
        ctx.data(STATE, state);
    }

    @Override
    public void commit(TransactionContext ctx) {
        State state = (State) ctx.data(STATE);
        try {
            if (state.savepoint == null) {
                state.connection.commit();
            } else {
                state.connection.releaseSavepoint(state.savepoint);
            }
        } catch (SQLException e) {
            DataAccessException failure = new DataAccessException("cannot commit: " + e.getMessage(), e);
            try {
                rollback(ctx);
            } catch (RuntimeException suppressed) {
                failure.addSuppressed(suppressed);
            }
            throw failure;
        }
        finish(state);
    }

    @Override
    public void rollback(TransactionContext ctx) {
        State state = (State) ctx.data(STATE);
        if (state == null || state.done) {
            return;
        }
        try {
            if (state.savepoint == null) {
                state.connection.rollback();
            } else {
                state.connection.rollback(state.savepoint);
            }
        } catch (SQLException e) {
            throw new DataAccessException("cannot roll back: " + e.getMessage(), e);
        } finally {
            finish(state);
        }
    }

    private static void finish(State state) {
        state.done = true;
        if (state.savepoint == null) {
            try {
                state.connection.setAutoCommit(true);
            } catch (SQLException e) {
                throw new DataAccessException("cannot restore auto-commit: " + e.getMessage(), e);
            } finally {
                state.source.release(state.connection);
            }
        }
    }
}
