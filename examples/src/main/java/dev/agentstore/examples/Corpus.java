package dev.agentstore.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The small corpus bundled with the examples: a few dozen short Markdown texts, written for agentstore, about a
 * made-up outdoor shop ("Northwind Trails") and outdoor advice, each on one clearly distinct topic. See
 * {@code src/main/resources/corpus/README.md} for the file format.
 *
 * <p>The documents are read from the classpath through {@code corpus/index.txt}, because a directory inside a jar
 * cannot be listed.
 */
public final class Corpus {

    /** The URI scheme of a corpus document's source: {@code corpus:/tents/tent-care.md}. */
    public static final String SCHEME = "corpus";

    private static final String ROOT = "corpus/";
    private static final String INDEX = ROOT + "index.txt";
    private static final String CATEGORY_PREFIX = "category:";

    private Corpus() {
    }

    /**
     * Loads every document listed in the corpus index, in index order.
     *
     * @return the documents, never empty
     * @throws IllegalStateException if the index or a listed document is missing or malformed (a packaging bug)
     */
    public static List<CorpusDocument> load() {
        List<CorpusDocument> documents = new ArrayList<>();
        for (String path : index()) {
            documents.add(parse(SCHEME + ":/" + path, read(ROOT + path)));
        }
        if (documents.isEmpty()) {
            throw new IllegalStateException(INDEX + " lists no documents");
        }
        return List.copyOf(documents);
    }

    /**
     * The document paths listed in {@code corpus/index.txt}, relative to {@code corpus/}; comment lines
     * ({@code #}) and blank lines are skipped.
     */
    static List<String> index() {
        List<String> paths = new ArrayList<>();
        for (String line : read(INDEX).split("\n")) {
            String path = line.strip();
            if (!path.isEmpty() && !path.startsWith("#")) {
                paths.add(path);
            }
        }
        return List.copyOf(paths);
    }

    /**
     * Parses one corpus file: a {@code # Title} first line, an optional {@code category: name} line, then the
     * body.
     *
     * @param source   the document's source URI, used in error messages
     * @param markdown the file content
     * @throws IllegalStateException if the title line is missing or the body is empty
     */
    static CorpusDocument parse(String source, String markdown) {
        List<String> lines = markdown.replace("\r\n", "\n").lines().toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("# ") || lines.get(0).substring(2).isBlank()) {
            throw new IllegalStateException(source + ": the first line must be the title, '# Title'");
        }
        String title = lines.get(0).substring(2).strip();
        int body = 1;
        String category = null;
        if (lines.size() > 1 && lines.get(1).toLowerCase(Locale.ROOT).startsWith(CATEGORY_PREFIX)) {
            category = lines.get(1).substring(CATEGORY_PREFIX.length()).strip();
            if (category.isEmpty()) {
                throw new IllegalStateException(source + ": the category line names no category");
            }
            body = 2;
        }
        String text = String.join("\n", lines.subList(body, lines.size())).strip();
        if (text.isEmpty()) {
            throw new IllegalStateException(source + ": the document has a title but no text");
        }
        return new CorpusDocument(source, title, category, text);
    }

    private static String read(String resource) {
        try (InputStream in = Corpus.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("corpus resource not found on the classpath: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read corpus resource " + resource, e);
        }
    }
}
