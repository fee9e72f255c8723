package dev.agentstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeDocsCorpusTest {

    private static final String PAD = " Some text long enough to be a section of its own, with a sentence or two.";

    @Test
    void every_heading_starts_a_document_named_by_its_path_of_headings_without_code_marks() {
        List<NodeDocsCorpus.Doc> docs = new ArrayList<>();
        NodeDocsCorpus.sections("fs.md", """
                # File system
                <!-- introduced_in=v0.10.0 -->
                Intro.%1$s
                ## Promises API
                Promises.%1$s
                ### `fsPromises.rm(path)`
                Removes.%1$s
                ```js
                # not a heading inside code
                ```
                ## Callback API
                ### `fs.rm(path)`
                Callback remove.%1$s
                [link]: https://example.invalid/
                ### `fs.rm(path)`
                Again.%1$s
                """.formatted(PAD), docs);

        assertThat(docs).extracting(NodeDocsCorpus.Doc::id).containsExactly("fs.md > File system",
                "fs.md > File system > Promises API", "fs.md > File system > Promises API > fsPromises.rm(path)",
                "fs.md > File system > Callback API > fs.rm(path)", "fs.md > File system > Callback API > fs.rm(path) #2");
        assertThat(docs.get(2).chunks().get(0)).contains("# not a heading inside code");
        assertThat(String.join("", docs.get(0).chunks())).doesNotContain("introduced_in");
        assertThat(String.join("", docs.get(3).chunks())).doesNotContain("example.invalid");
    }

    @Test
    void the_judged_questions_name_at_least_one_document_each() {
        List<RetrievalBenchmark.Question> questions = RetrievalBenchmark.questions();

        assertThat(questions).hasSizeGreaterThanOrEqualTo(25);
        assertThat(questions).allSatisfy(q -> assertThat(q.relevant()).isNotEmpty());
    }
}
