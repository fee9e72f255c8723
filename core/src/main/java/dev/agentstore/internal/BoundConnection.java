package dev.agentstore.internal;

import java.sql.Connection;
import org.jooq.ConnectionProvider;

/**
 * jOOQ's view of the one connection of a transaction: every statement of a store view bound to it
 * runs there, and nothing is closed or committed here. Once {@link #end() ended} (the store's own
 * transaction is over and the connection back in the pool), every further use fails instead of
 * running on a connection someone else may hold by now. Thread-safe; a connection itself is not, so
 * use one transaction from one thread at a time.
 */
public final class BoundConnection implements ConnectionProvider {

    private final Connection connection;
    private volatile boolean ended;

    /** @param connection the transaction's connection; not closed by this provider */
    public BoundConnection(Connection connection) {
        this.connection = connection;
    }

    /** The connection, for plain JDBC work. */
    public Connection connection() {
        return check();
    }

    @Override
    public Connection acquire() {
        return check();
    }

    @Override
    public void release(Connection released) {
        // the transaction's owner closes it
    }

    /** Marks the transaction over: later calls on its view fail with an explanation. */
    public void end() {
        ended = true;
    }

    private Connection check() {
        if (ended) {
            throw new IllegalStateException("this transaction has ended: the AgentStore handed to inTransaction/useTransaction "
                    + "(and every facade taken from it) works only inside the callback; use the store itself afterwards");
        }
        return connection;
    }
}
