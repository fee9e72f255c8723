package dev.agentstore;

/**
 * Work inside one transaction that returns nothing; see {@link AgentStore#useTransaction}.
 *
 * @param <X> the checked exception the work may throw; it passes through unchanged after the rollback
 */
@FunctionalInterface
public interface TransactionConsumer<X extends Exception> {

    /**
     * Runs the work.
     *
     * @param tx the store bound to the transaction; valid only until the callback returns
     * @throws X to roll the transaction back
     */
    void accept(AgentStore tx) throws X;
}
