package dev.agentstore.examples.spring;

import dev.agentstore.examples.Corpus;
import dev.agentstore.examples.CorpusDocument;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Loads the bundled corpus into the knowledge base at start-up. Running it again on the same database
 * embeds and writes nothing: agentstore skips unchanged documents.
 */
@Component
class KnowledgeLoader implements ApplicationRunner {

    private final VectorStore vectorStore;

    KnowledgeLoader(VectorStore vectorStore) {
        this.vectorStore = vectorStore;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<Document> documents = Corpus.load().stream()
                .map(KnowledgeLoader::document)
                .toList();
        vectorStore.add(documents);
    }

    private static Document document(CorpusDocument d) {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("title", d.title());
        if (d.category() != null) {
            metadata.put("category", d.category());
        }
        return new Document(d.source(), d.title() + ". " + d.text(), metadata);
    }
}
