package dev.agentstore.examples;

import dev.agentstore.AgentStore;
import dev.agentstore.conversation.ConversationHistory;
import dev.agentstore.conversation.HistoricMessage;
import dev.agentstore.conversation.ImportResult;
import dev.agentstore.conversation.ImportedSession;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.document.ChunkInput;
import dev.agentstore.document.DocumentPipeline;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.document.NewDocument;
import dev.agentstore.document.PipelineDocument;
import dev.agentstore.lifecycle.ErasureResult;
import dev.agentstore.lifecycle.TenantCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * DataLifecycle: the life of a tenant's data around the capabilities. Imports a chat history that
 * already exists elsewhere (twice: the second run adds nothing), runs an upload pipeline in which a
 * worker claims documents and processes them with a lease, erases one user everywhere, and prints the
 * tenant's counts.
 *
 * <p>Run: {@code mvn -q -pl examples -am -DskipTests package exec:exec -Dexample=DataLifecycle}
 */
public final class DataLifecycle {

    private DataLifecycle() {
    }

    public static void main(String[] args) {
        try (AgentStore store = ExampleDatabase.builder(LocalEmbeddings.DIMENSION).build()) {
            LocalEmbeddings model = LocalEmbeddings.load();

            // 1. history from the old system: sessions by their own ids, messages with their own timestamps
            List<ImportedSession> legacy = new ArrayList<>();
            for (String user : List.of("alice", "bob")) {
                Instant t = Instant.parse("2025-03-01T09:00:00Z");
                legacy.add(ImportedSession.of("legacy-" + user, NewSession.of(user, "support-bot"), List.of(
                        HistoricMessage.of(NewMessage.user("Where is my order?"), t),
                        HistoricMessage.of(NewMessage.assistant("It left the warehouse this morning."), t.plusSeconds(4)))));
            }
            ConversationHistory history = store.conversations("acme").history();
            ImportResult first = history.importSessions(legacy);
            ImportResult again = history.importSessions(legacy);
            System.out.printf("import: %d sessions, %d messages; again: %d sessions, %d messages%n",
                    first.sessionsCreated(), first.messagesInserted(), again.sessionsCreated(), again.messagesInserted());

            // 2. uploads registered as pending, then processed by a worker holding a lease
            Documents documents = store.documents("acme");
            KnowledgeBase kb = documents.createKnowledgeBase(KnowledgeBaseSpec.of("uploads", LocalEmbeddings.DIMENSION));
            DocumentPipeline pipeline = documents.pipeline();
            pipeline.register(kb.id(), NewDocument.of("uploads/returns.txt").withTitle("Returns").withUser("alice"));
            pipeline.register(kb.id(), NewDocument.of("uploads/shipping.txt").withTitle("Shipping").withUser("bob"));
            for (PipelineDocument doc : pipeline.claim("worker-1", 10, Duration.ofMinutes(5))) {
                List<ChunkInput> chunks = List.of(ChunkInput.of(doc.title() + ": read the policy in the help centre."));
                documents.ingest(doc.knowledgeBaseId(), doc.input(chunks), model::embedAll);
                System.out.printf("processed %s (attempt %d)%n", doc.sourceUri(), doc.attempts());
            }
            System.out.printf("expired leases recovered: %d%n", pipeline.recoverExpired(3).retried().size());

            // 3. alice leaves: everything of hers goes, bob's stays
            ErasureResult erased = store.erasure("acme").eraseUser("alice");
            System.out.printf("erased alice: %d sessions, %d messages, %d documents%n", erased.deletedFrom("conversation_session"),
                    erased.deletedFrom("conversation_message"), erased.deletedFrom("document"));

            TenantCounts counts = store.counts("acme").tenant();
            System.out.printf("acme now: %s sessions, %s messages, %s documents, %s chunks%n", counts.sessions(),
                    counts.messages(), counts.documents(), counts.chunks());
        }
    }
}
