package dev.agentstore.testkit;

/** One way of getting a PostgreSQL server with pgvector. */
interface PostgresProvider {

    /** A short name for messages, e.g. "explicit JDBC URL". */
    String name();

    /**
     * Yields a running server.
     *
     * @throws ProviderUnavailableException when this provider cannot work here; its message says why
     *     and how to make it work
     */
    ServerCoordinates start() throws ProviderUnavailableException;
}
