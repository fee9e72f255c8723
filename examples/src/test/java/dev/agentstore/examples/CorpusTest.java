package dev.agentstore.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The bundled corpus loads completely through its index, with titles, texts and FAQ categories. */
class CorpusTest {

    @Test
    void every_indexed_document_loads_with_a_title_and_a_text_of_60_to_200_words() {
        List<String> index = Corpus.index();

        List<CorpusDocument> documents = Corpus.load();

        assertThat(documents).hasSizeGreaterThanOrEqualTo(30).hasSameSizeAs(index);
        assertThat(documents).extracting(CorpusDocument::source)
                .containsExactlyElementsOf(index.stream().map(p -> "corpus:/" + p).toList())
                .doesNotHaveDuplicates();
        for (CorpusDocument document : documents) {
            assertThat(document.title()).as(document.source()).isNotBlank().doesNotStartWith("#");
            assertThat(document.text().split("\\s+")).as(document.source()).hasSizeBetween(60, 200);
            assertThat(document.text()).as(document.source()).doesNotStartWith("#").doesNotStartWith("category:");
        }
        assertThat(documents).extracting(CorpusDocument::title).doesNotHaveDuplicates();
    }

    @Test
    void the_index_lists_every_markdown_file_of_the_corpus_directory() throws IOException, URISyntaxException {
        Path root = Path.of(getClass().getClassLoader().getResource("corpus/index.txt").toURI()).getParent();

        List<String> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".md") && !p.getFileName().toString().equals("README.md"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }

        assertThat(Corpus.index()).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void faq_entries_carry_their_category_and_other_documents_none() {
        List<CorpusDocument> documents = Corpus.load();

        Map<Boolean, List<CorpusDocument>> byFaq = documents.stream()
                .collect(Collectors.partitioningBy(d -> d.source().startsWith("corpus:/faq/")));

        assertThat(byFaq.get(true)).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(d -> assertThat(d.category()).as(d.source()).matches("[a-z]+"))
                .allSatisfy(d -> assertThat(d.title()).as(d.source()).endsWith("?"));
        assertThat(byFaq.get(false)).allSatisfy(d -> assertThat(d.category()).as(d.source()).isNull());
        assertThat(documents).filteredOn(d -> d.source().equals("corpus:/faq/international-shipping.md"))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.title()).isEqualTo("Do you ship to other countries?");
                    assertThat(d.category()).isEqualTo("shipping");
                    assertThat(d.text()).startsWith("Yes, we deliver to Canada");
                });
    }

    @Test
    void a_document_is_parsed_into_title_optional_category_and_body() {
        CorpusDocument plain = Corpus.parse("corpus:/a.md", "# Tent care\n\nDry it first.\r\n\r\nThen store it.\n");
        CorpusDocument faq = Corpus.parse("corpus:/faq/b.md", "# Can I rent?\nCategory: rentals \n\nYes.\n");

        assertThat(plain).isEqualTo(new CorpusDocument("corpus:/a.md", "Tent care", null,
                "Dry it first.\n\nThen store it."));
        assertThat(faq).isEqualTo(new CorpusDocument("corpus:/faq/b.md", "Can I rent?", "rentals", "Yes."));
    }

    @Test
    void a_malformed_document_is_reported_with_its_source() {
        assertThatThrownBy(() -> Corpus.parse("corpus:/x.md", "Tent care\n\ntext"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("corpus:/x.md: the first line must be the title, '# Title'");
        assertThatThrownBy(() -> Corpus.parse("corpus:/y.md", "# Tent care\ncategory:\n\ntext"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("corpus:/y.md: the category line names no category");
        assertThatThrownBy(() -> Corpus.parse("corpus:/z.md", "# Tent care\n\n  \n"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("corpus:/z.md: the document has a title but no text");
    }
}
