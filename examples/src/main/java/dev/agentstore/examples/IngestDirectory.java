package dev.agentstore.examples;

import dev.agentstore.AgentStore;
import dev.agentstore.document.BulkIngestResult;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.EmbeddingFunction;
import dev.agentstore.document.IngestProgress;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * IngestDirectory: walks a folder of {@code .txt}, {@code .md} and {@code .html} files, extracts plain
 * text, splits it into overlapping chunks, and ingests every file as a document with a progress bar.
 * Then it runs again over the same files to show that nothing is embedded or written twice.
 *
 * <p>Run: {@code mvn -q -pl examples -am -DskipTests package exec:exec -Dexample=IngestDirectory
 * -Dexample.args=/path/to/folder}
 *
 * <p>The embeddings are real: the all-MiniLM-L6-v2 sentence model run in-process (see {@link LocalEmbeddings},
 * nothing is downloaded); swap in your own model in {@link #embeddingFunction()}.
 */
public final class IngestDirectory {

    /** The dimension of {@link #embeddingFunction()}'s vectors. */
    static final int DIMENSION = LocalEmbeddings.DIMENSION;

    private IngestDirectory() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("usage: IngestDirectory <folder with .txt, .md or .html files>");
            System.exit(2);
        }
        try (AgentStore store = ExampleDatabase.builder(DIMENSION).build()) {
            run(store, Path.of(args[0]), System.out);
        }
    }

    /** Ingests the folder twice, printing progress and results to {@code out}. */
    static void run(AgentStore store, Path folder, PrintStream out) throws IOException {
        List<DocumentInput> files = readFolder(folder, 800, 100);
        out.printf("%d files, %d chunks in %s%n", files.size(),
                files.stream().mapToInt(DocumentInput::chunkCount).sum(), folder);
        for (String run : List.of("first run", "second run")) {
            BulkIngestResult r = ingest(store, files, out);
            out.printf("%s: %d documents created, %d updated, %d unchanged; %d chunks stored, %d reused, %d removed;"
                    + " %d texts embedded in %d calls; %d ms%n", run, r.documentsCreated(), r.documentsUpdated(),
                    r.documentsUnchanged(), r.chunksInserted(), r.chunksReused(), r.chunksRemoved(), r.textsEmbedded(),
                    r.embeddingCalls(), r.duration().toMillis());
        }
    }

    static BulkIngestResult ingest(AgentStore store, List<DocumentInput> files, PrintStream out) {
        Documents documents = store.documents("example");
        KnowledgeBase kb = documents.findKnowledgeBase("files").orElseGet(() ->
                documents.createKnowledgeBase(KnowledgeBaseSpec.of("files", DIMENSION)
                        .withEmbeddingModel("all-MiniLM-L6-v2-q")));

        // only texts the knowledge base has never seen reach the embedding function;
        // unchanged files are skipped without a single write
        BulkIngestResult result = documents.ingestAll(kb.id(), files, embeddingFunction(),
                progress -> out.println(progressBar(progress)));

        documents.listDocuments(kb.id()).forEach(d ->
                out.printf("  %-40s %-9s %3d chunks%n", d.sourceUri(), d.status(), d.chunkCount()));
        return result;
    }

    static String progressBar(IngestProgress p) {
        int filled = (int) Math.round(p.fraction() * 30);
        return "[" + "#".repeat(filled) + " ".repeat(30 - filled) + "] " + p.documentsDone() + "/" + p.documentsTotal()
                + " documents, " + p.chunksDone() + "/" + p.chunksTotal() + " chunks";
    }

    /**
     * The embedding model: swap this one method for a real model (same dimension as the store, or
     * change {@link #DIMENSION}).
     */
    static EmbeddingFunction embeddingFunction() {
        return LocalEmbeddings.load()::embedAll;
    }

    /** Every .txt, .md and .html file under the folder as a document, its URI relative to the folder. */
    static List<DocumentInput> readFolder(Path folder, int chunkSize, int overlap) throws IOException {
        List<DocumentInput> docs = new ArrayList<>();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(folder)) {
            paths = walk.filter(Files::isRegularFile).filter(IngestDirectory::supported).sorted().toList();
        }
        for (Path p : paths) {
            String raw = Files.readString(p, StandardCharsets.UTF_8);
            String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
            String text = name.endsWith(".html") || name.endsWith(".htm") ? PlainText.fromHtml(raw) : raw;
            List<String> chunks = TextSplitter.split(text, chunkSize, overlap);
            if (chunks.isEmpty()) {
                continue; // an empty file has nothing to search
            }
            String uri = folder.relativize(p).toString().replace('\\', '/');
            docs.add(DocumentInput.of(uri, chunks)
                    .withTitle(p.getFileName().toString())
                    .withDocType(name.substring(name.lastIndexOf('.') + 1)));
        }
        return docs;
    }

    private static boolean supported(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".txt") || n.endsWith(".md") || n.endsWith(".html") || n.endsWith(".htm");
    }
}
