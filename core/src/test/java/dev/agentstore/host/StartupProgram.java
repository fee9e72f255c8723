package dev.agentstore.host;

import dev.agentstore.AgentStore;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What a host does at start-up, run in a fresh JVM by {@link QuietStartupIT}: build a store (from a JDBC
 * URL or from the host's data source), migrating on start, run a first jOOQ query, and print nothing
 * itself but a final marker.
 * Arguments: {@code url|dataSource}, JDBC URL, user, password, and optionally {@code logSql} (then it
 * also appends a message whose content must never reach the log).
 */
public final class StartupProgram {

    /** The line printed after {@code build()} returned. */
    static final String MARKER = "== built ==";
    /** Message content that must never appear in a log. */
    static final String SECRET = "top-secret-message-content";

    private StartupProgram() {
    }

    public static void main(String[] args) {
        AgentStore.Builder builder = AgentStore.builder().embeddingDimension(3).migrateOnStart(true);
        if (args[0].equals("url")) {
            builder.jdbcUrl(args[1]).user(args[2]).password(args[3]).poolSize(2);
        } else {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(args[1]);
            ds.setUser(args[2]);
            ds.setPassword(args[3]);
            builder.dataSource(ds);
        }
        boolean logSql = args.length > 4 && args[4].equals("logSql");
        builder.logSql(logSql);
        try (AgentStore store = builder.build()) {
            if (logSql) {
                store.useTransaction(tx -> {
                    var chats = tx.conversations("t");
                    chats.addMessage(chats.open(dev.agentstore.conversation.NewSession.create()).id(),
                            dev.agentstore.conversation.NewMessage.user(SECRET));
                });
            }
            // a first jOOQ query: where jOOQ would print its logo, tip and PostgreSQL version warning
            store.dsl().selectOne().fetch();
            System.out.println(MARKER);
        }
    }
}
