/**
 * agentstore's core: conversations, documents and knowledge search, memory, agents and runs on
 * PostgreSQL + pgvector.
 *
 * <p>The module exports the supported API (the capability packages, {@code dev.agentstore.jooq} and
 * the generated tables in {@code dev.agentstore.schema}) and nothing else: {@code dev.agentstore.internal}
 * is not exported, so a host on the module path cannot compile against it or reflect into it. On the
 * class path the same jar works unchanged (the boundary is then only documented, not enforced).
 *
 * <p>Every dependency must be on the module path too. Two of them are automatic modules named after
 * their jar files ({@code flyway.core}, {@code pgvector}); their Maven artifacts always carry these
 * names, so the names are stable in practice.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.agentstore.core {
    // in signatures of the API: DataSource/Connection, DSLContext and the generated tables, jackson's
    // TypeReference (MemoryEntry.valueAs)
    requires transitive java.sql;
    requires transitive org.jooq;
    requires transitive com.fasterxml.jackson.databind;

    // implementation only
    requires dev.agentstore.migrations;
    requires flyway.core;
    requires com.zaxxer.hikari;
    requires org.postgresql.jdbc;
    requires pgvector;
    requires org.slf4j;
    requires java.logging;

    exports dev.agentstore;
    exports dev.agentstore.agents;
    exports dev.agentstore.conversation;
    exports dev.agentstore.document;
    exports dev.agentstore.knowledge;
    exports dev.agentstore.lifecycle;
    exports dev.agentstore.memory;
    exports dev.agentstore.observe;
    exports dev.agentstore.jooq;
    exports dev.agentstore.schema;
    exports dev.agentstore.schema.tables;
    exports dev.agentstore.schema.tables.records;
}
