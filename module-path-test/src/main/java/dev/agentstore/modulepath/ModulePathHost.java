package dev.agentstore.modulepath;

import dev.agentstore.AgentStore;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.Message;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.Session;
import dev.agentstore.document.Documents;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchRequest;
import dev.agentstore.memory.MemoryEntry;
import dev.agentstore.memory.MemoryKey;
import dev.agentstore.memory.MemoryScope;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;

/**
 * Run on the module path ({@code java -p ... -m dev.agentstore.modulepath/dev.agentstore.modulepath.ModulePathHost
 * <jdbc url> <user> <password>}): migrates an empty database through Flyway (the scripts are resources of the
 * named module {@code dev.agentstore.migrations}), ingests and searches a document, appends to a
 * conversation, writes and reads memory and a custom jOOQ query over the generated tables, then checks that
 * {@code dev.agentstore.internal} is neither exported nor open to this module. Prints one line per check
 * and exits with 0 when every check passed, 1 otherwise.
 */
public final class ModulePathHost {

    private static final List<String> FAILURES = new ArrayList<>();

    private ModulePathHost() {
    }

    /**
     * Runs the checks.
     *
     * @param args JDBC URL, user and password of an empty database
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ModulePathHost <jdbc url> <user> <password>");
            System.exit(2);
        }
        Module core = AgentStore.class.getModule();
        check("core is a named module", core.isNamed() && core.getName().equals("dev.agentstore.core"),
                core.toString());
        check("this program is a named module", ModulePathHost.class.getModule().isNamed(),
                ModulePathHost.class.getModule().toString());

        try (AgentStore store = AgentStore.builder()
                .jdbcUrl(args[0]).user(args[1]).password(args[2])
                .schema("modulepath").embeddingDimension(3)
                .migrateOnStart(true)
                .build()) {
            check("migrated from the module path", store.health().report().contains("schema"),
                    store.health().report());

            Documents documents = store.documents("acme");
            KnowledgeBase kb = documents.createKnowledgeBase(KnowledgeBaseSpec.of("docs", 3));
            documents.ingest(kb.id(), DocumentInput.of("doc://refunds", List.of("refunds within 30 days")),
                    texts -> texts.stream().map(t -> new float[] {1, 0, 0}).toList());
            List<SearchHit> hits = store.knowledge("acme")
                    .search(SearchRequest.vector(new float[] {1, 0, 0}).limit(1).build());
            check("vector search finds the ingested chunk", hits.size() == 1
                    && "refunds within 30 days".equals(hits.get(0).text()), hits.toString());

            Conversations conversations = store.conversations("acme");
            Session session = conversations.open("user-1", "agent-1");
            conversations.addMessage(session.id(), NewMessage.user("hello"));
            List<Message> last = conversations.listLastMessages(session.id(), 10);
            check("a conversation message is appended and read back", last.size() == 1, last.toString());

            MemoryKey key = MemoryKey.of("agent-1", MemoryScope.agent(), "greeting");
            store.memory("acme").put(key, "{\"text\":\"hi\"}");
            MemoryEntry entry = store.memory("acme").get(key);
            check("a memory entry is written and read back", entry.value().contains("hi"), entry.toString());

            int sessions = store.dsl("acme").fetchCount(dev.agentstore.schema.Tables.CONVERSATION_SESSION);
            check("a jOOQ query over the exported generated tables", sessions == 1, Integer.toString(sessions));
        }

        // the boundary: internal is in the module but neither exported nor opened
        check("dev.agentstore.internal is not exported", !core.isExported("dev.agentstore.internal"), "exported");
        check("dev.agentstore.internal is not open", !core.isOpen("dev.agentstore.internal"), "open");
        check("dev.agentstore.internal is in core", core.getPackages().contains("dev.agentstore.internal"),
                core.getPackages().toString());
        Class<?> internal = Class.forName("dev.agentstore.internal.StoreContext", false, AgentStore.class.getClassLoader());
        try {
            Constructor<?>[] constructors = internal.getDeclaredConstructors();
            constructors[0].setAccessible(true);
            check("reflection into dev.agentstore.internal is refused", false, "setAccessible succeeded");
        } catch (java.lang.reflect.InaccessibleObjectException expected) {
            check("reflection into dev.agentstore.internal is refused", true, expected.getMessage());
        }
        // every other package is API: a package added to core but not to its module-info fails here
        for (String pkg : new java.util.TreeSet<>(core.getPackages())) {
            if (!pkg.equals("dev.agentstore.internal")) {
                check(pkg + " is exported", core.isExported(pkg), "add 'exports " + pkg + ";' to core's module-info.java");
            }
        }
        check("the API packages are exported", core.isExported("dev.agentstore") && core.isExported("dev.agentstore.schema"),
                core.getDescriptor().exports().toString());

        if (FAILURES.isEmpty()) {
            System.out.println("module path: all checks passed");
        } else {
            System.out.println("module path: FAILED " + FAILURES);
            System.exit(1);
        }
    }

    private static void check(String what, boolean ok, String detail) {
        System.out.println((ok ? "ok    " : "FAIL  ") + what + (ok ? "" : " (" + detail + ")"));
        if (!ok) {
            FAILURES.add(what);
        }
    }
}
