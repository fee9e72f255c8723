package dev.agentstore.examples;

import java.util.Objects;

/**
 * One document of the bundled example corpus.
 *
 * @param source   where it comes from, as a URI such as {@code corpus:/tents/tent-care.md}; never null
 * @param title    the title from the document's {@code # Title} line; never blank
 * @param category the category from its {@code category:} line (the FAQ entries have one), or null
 * @param text     the body: the Markdown after the title and category lines, stripped; never blank
 */
public record CorpusDocument(String source, String title, String category, String text) {

    /** Checks that source, title and text are present. */
    public CorpusDocument {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("title must not be blank (document " + source + ")");
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("text must not be blank (document " + source + ")");
        }
    }
}
