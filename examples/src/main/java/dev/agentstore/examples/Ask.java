package dev.agentstore.examples;

import dev.agentstore.AgentStore;
import dev.agentstore.document.BulkIngestResult;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchRequest;
import java.io.PrintStream;
import java.util.List;

/**
 * Ask: a question in, the top passages of the bundled corpus out, found by HYBRID search: the nearest chunks by
 * meaning (all-MiniLM-L6-v2 embeddings, see {@link LocalEmbeddings}) and the best chunks by words (PostgreSQL
 * full-text search) fused by their scores in one SQL statement.
 *
 * <p>It first ingests the corpus (36 short texts of the fictional outdoor shop "Northwind Trails") and prints how
 * many chunks it embedded: all of them into a new database, none when the same database is used again
 * ({@code AGENTSTORE_JDBC_URL}), because ingestion only embeds text the knowledge base has never seen.
 *
 * <p>Run: {@code mvn -q -pl examples -am -DskipTests package exec:exec -Dexample=Ask
 * -Dexample.args="can I rent a tent for the weekend"} (the arguments together are the question); without
 * arguments it asks {@link #SAMPLE_QUESTIONS}.
 */
public final class Ask {

    /** What Ask asks when given no question. */
    static final List<String> SAMPLE_QUESTIONS = List.of(
            "I forgot my password and can't log in",
            "can I rent a tent for the weekend?",
            "what should I do if a thunderstorm catches me on a ridge?");

    /** Hits shown per question. */
    static final int TOP = 3;

    private static final String TENANT = "northwind";

    private Ask() {
    }

    public static void main(String[] args) {
        List<String> questions = args.length == 0 ? SAMPLE_QUESTIONS : List.of(String.join(" ", args));
        try (AgentStore store = ExampleDatabase.builder(LocalEmbeddings.DIMENSION).build()) {
            run(store, questions, System.out);
        }
    }

    /** Ingests the corpus into {@code store} (embedding only new text), then answers each question. */
    static void run(AgentStore store, List<String> questions, PrintStream out) {
        LocalEmbeddings model = LocalEmbeddings.load();
        BulkIngestResult ingested = ingestCorpus(store, model);
        out.printf("corpus: %d documents new, %d changed, %d unchanged; %d chunks embedded in %d ms%n",
                ingested.documentsCreated(), ingested.documentsUpdated(), ingested.documentsUnchanged(),
                ingested.textsEmbedded(), ingested.duration().toMillis());
        for (String question : questions) {
            out.println();
            out.println("Q: " + question);
            SearchRequest request = SearchRequest.hybrid(question, model.embed(question)).limit(TOP).build();
            for (SearchHit hit : store.knowledge(TENANT).search(request)) {
                out.printf("  %.4f  %-45s %s%n", hit.score(), hit.document().title(), excerpt(hit.text(), 70));
            }
        }
    }

    /** Ingests the bundled corpus into the "corpus" knowledge base, chunked by {@link TextSplitter}. */
    static BulkIngestResult ingestCorpus(AgentStore store, LocalEmbeddings model) {
        Documents documents = store.documents(TENANT);
        KnowledgeBase kb = documents.findKnowledgeBase("corpus").orElseGet(() -> documents.createKnowledgeBase(
                KnowledgeBaseSpec.of("corpus", LocalEmbeddings.DIMENSION).withEmbeddingModel("all-MiniLM-L6-v2-q")));
        List<DocumentInput> corpus = Corpus.load().stream()
                .map(d -> DocumentInput.of(d.source(), TextSplitter.split(d.text(), 500, 100)).withTitle(d.title()))
                .toList();
        return documents.ingestAll(kb.id(), corpus, model::embedAll);
    }

    /** The first {@code max} characters of a text on one line, with an ellipsis when cut. */
    static String excerpt(String text, int max) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= max ? line : line.substring(0, max - 1).stripTrailing() + "…";
    }
}
