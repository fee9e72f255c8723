package dev.agentstore.examples;

import dev.agentstore.AgentStore;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchRequest;
import java.util.List;

/**
 * QuickStart: the whole library in a dozen lines. Connects (to {@code AGENTSTORE_JDBC_URL}, or to the embedded
 * default, a throw-away PostgreSQL with pgvector, when it is not set), migrates, prints the health report, ingests
 * the bundled corpus (36 short texts of the fictional outdoor shop "Northwind Trails", split into overlapping
 * chunks and embedded in-process by the real all-MiniLM-L6-v2 model, see {@link LocalEmbeddings}), then runs one
 * semantic search for a question worded differently from its answer and prints the top hits with their scores
 * (cosine similarity) and document titles.
 *
 * <p>Run: {@code mvn -q -pl examples -am -DskipTests package exec:exec -Dexample=QuickStart}
 */
public final class QuickStart {

    private QuickStart() {
    }

    public static void main(String[] args) {
        LocalEmbeddings model = LocalEmbeddings.load(); // all-MiniLM-L6-v2: 384 dimensions, in-process
        try (AgentStore store = ExampleDatabase.builder(384).build()) {
            System.out.println(store.health().report());
            Documents documents = store.documents("northwind");
            KnowledgeBase kb = documents.findKnowledgeBase("shop")
                    .orElseGet(() -> documents.createKnowledgeBase(KnowledgeBaseSpec.of("shop", 384)));
            List<DocumentInput> corpus = Corpus.load().stream()
                    .map(d -> DocumentInput.of(d.source(), TextSplitter.split(d.text(), 500, 100)).withTitle(d.title()))
                    .toList();
            documents.ingestAll(kb.id(), corpus, model::embedAll); // embeds only texts never seen before
            float[] question = model.embed("How do I get my money back for boots that don't fit?");
            for (SearchHit hit : store.knowledge("northwind").search(SearchRequest.vector(question).limit(3).build())) {
                System.out.printf("%.3f  %s%n", hit.score(), hit.document().title());
            }
        }
    }
}
