package dev.agentstore.benchmarks;

import dev.agentstore.examples.TextSplitter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real-text corpus of the retrieval benchmark: the Node.js API documentation (Markdown) that Debian's
 * {@code nodejs} package installs under {@code /usr/share/doc/nodejs/api} (MIT licence, see
 * {@code /usr/share/doc/nodejs/copyright}). The text is read from the package at run time; nothing of it is
 * copied into this repository except the headings named by the judged questions.
 *
 * <p>One <em>document</em> is one section of one file: the text from a heading (any level) to the next heading.
 * Its id is the file name and the path of headings down to it, e.g.
 * {@code fs.md > File system > Promises API > Class: FileHandle > filehandle.close()} (Markdown code marks
 * removed); a repeated path gets {@code #2}, {@code #3}. HTML comments and link reference definitions are
 * dropped. A document's text (heading line included) is cut by the examples' {@link TextSplitter} into chunks of
 * at most {@value #CHUNK_CHARS} characters with {@value #OVERLAP_CHARS} characters of overlap.
 */
public final class NodeDocsCorpus {

    /** Where Debian's nodejs package puts the Markdown sources of the API documentation. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/doc/nodejs/api");
    /** Longest chunk, in characters. */
    public static final int CHUNK_CHARS = 800;
    /** Overlap between consecutive chunks of a document, in characters. */
    public static final int OVERLAP_CHARS = 100;
    /** Sections shorter than this (after cleaning) are not documents: a heading alone, a stability line. */
    static final int MIN_SECTION_CHARS = 60;

    private static final Pattern COMMENT = Pattern.compile("(?s)<!--.*?-->");
    private static final Pattern LINK_DEFINITION = Pattern.compile("(?m)^\\[[^\\]]+\\]:.*$");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*)$");
    private static final Pattern BLANK_LINES = Pattern.compile("\n{3,}");

    /** One section: its id, title (the heading) and chunks. */
    public record Doc(String id, String file, String title, List<String> chunks) {
    }

    private final List<Doc> documents;

    private NodeDocsCorpus(List<Doc> documents) {
        this.documents = List.copyOf(documents);
    }

    /**
     * Reads the corpus.
     *
     * @param directory the folder holding the {@code *.md} files
     * @param files only these file names (e.g. {@code fs.md}); empty for all
     * @throws IllegalStateException when the folder does not exist (the message says which package installs it)
     */
    public static NodeDocsCorpus load(Path directory, List<String> files) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("the retrieval corpus folder " + directory + " does not exist; it comes with "
                    + "Debian's nodejs package (apt-get install nodejs), or set AGENTSTORE_BENCH_CORPUS to a folder of "
                    + "the Node.js API docs in Markdown");
        }
        List<Path> paths;
        try (Stream<Path> s = Files.list(directory)) {
            paths = s.filter(p -> p.getFileName().toString().endsWith(".md"))
                    .filter(p -> files.isEmpty() || files.contains(p.getFileName().toString()))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        if (paths.isEmpty()) {
            throw new IllegalStateException("no Markdown files " + (files.isEmpty() ? "" : files + " ") + "in " + directory);
        }
        List<Doc> docs = new ArrayList<>();
        for (Path p : paths) {
            try {
                sections(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8), docs);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        }
        return new NodeDocsCorpus(docs);
    }

    /** Splits one file into sections and adds them as documents. */
    static void sections(String file, String markdown, List<Doc> out) {
        String text = LINK_DEFINITION.matcher(COMMENT.matcher(markdown.replace("\r\n", "\n")).replaceAll("")).replaceAll("");
        String[] path = new String[7];
        Map<String, Integer> seen = new HashMap<>();
        StringBuilder section = new StringBuilder();
        String id = null;
        String title = null;
        boolean inCode = false;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            }
            Matcher m = inCode ? null : HEADING.matcher(line);
            if (m != null && m.matches()) {
                add(file, id, title, section, out);
                int level = m.group(1).length();
                String heading = m.group(2).replace("`", "").strip();
                path[level] = heading;
                for (int l = level + 1; l < path.length; l++) {
                    path[l] = null;
                }
                StringBuilder sb = new StringBuilder(file);
                for (int l = 1; l <= level; l++) {
                    if (path[l] != null) {
                        sb.append(" > ").append(path[l]);
                    }
                }
                String base = sb.toString();
                int n = seen.merge(base, 1, Integer::sum);
                id = n == 1 ? base : base + " #" + n;
                title = heading;
                section.setLength(0);
            }
            section.append(line).append('\n');
        }
        add(file, id, title, section, out);
    }

    private static void add(String file, String id, String title, StringBuilder section, List<Doc> out) {
        String body = BLANK_LINES.matcher(section.toString()).replaceAll("\n\n").strip();
        if (body.length() < MIN_SECTION_CHARS) {
            return;
        }
        String docId = id == null ? file : id;
        out.add(new Doc(docId, file, title == null ? file : title, TextSplitter.split(body, CHUNK_CHARS, OVERLAP_CHARS)));
    }

    /** The documents in file and text order. */
    public List<Doc> documents() {
        return documents;
    }

    /** How many chunks in all (before the store folds equal texts of a knowledge base into one). */
    public int chunkCount() {
        return documents.stream().mapToInt(d -> d.chunks().size()).sum();
    }

    /** Prints every document id with its chunk count, for writing questions: {@code java ... NodeDocsCorpus [dir]}. */
    public static void main(String[] args) {
        NodeDocsCorpus c = load(args.length > 0 ? Path.of(args[0]) : DEFAULT_DIRECTORY, List.of());
        for (Doc d : c.documents()) {
            System.out.println(d.chunks().size() + "\t" + d.id());
        }
        System.out.println(c.documents().size() + " documents, " + c.chunkCount() + " chunks");
    }
}
