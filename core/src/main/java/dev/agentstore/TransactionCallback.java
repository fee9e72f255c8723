package dev.agentstore;

/**
 * Work inside one transaction that returns a value; see {@link AgentStore#inTransaction}.
 *
 * @param <T> the result
 * @param <X> the checked exception the work may throw; it passes through unchanged after the rollback
 */
@FunctionalInterface
public interface TransactionCallback<T, X extends Exception> {

    /**
     * Runs the work.
     *
     * @param tx the store bound to the transaction: everything done through it (capabilities,
     *     {@link AgentStore#dsl()}) is part of the transaction; valid only until the callback returns
     * @return the value {@code inTransaction} returns
     * @throws X to roll the transaction back
     */
    T run(AgentStore tx) throws X;
}
