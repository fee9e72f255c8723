package dev.agentstore.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.InvalidInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentInputTest {

    @Test
    void a_document_input_copies_its_chunks_and_metadata() {
        List<String> texts = new ArrayList<>(List.of("a", "b"));
        Map<String, Object> meta = new HashMap<>(Map.of("k", "v"));
        DocumentInput d = DocumentInput.of("u", texts).withMetadata(meta).withTitle("T");
        texts.add("c");
        meta.put("k2", "v2");

        assertThat(d.chunks()).extracting(ChunkInput::text).containsExactly("a", "b");
        assertThat(d.metadata()).containsOnlyKeys("k");
        assertThat(d.title()).isEqualTo("T");
        assertThatThrownBy(() -> d.chunks().add(ChunkInput.of("x"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void a_document_without_chunks_or_with_blank_chunks_or_uri_is_refused_naming_the_chunk() {
        assertThatThrownBy(() -> DocumentInput.of("u", List.of()))
                .isInstanceOf(InvalidInputException.class).hasMessage("document 'u' has no chunks; give at least one chunk text");
        assertThatThrownBy(() -> DocumentInput.of("u", List.of("ok", "", "ok")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("chunk 1 of document 'u' must not be blank");
        assertThatThrownBy(() -> DocumentInput.of(" ", List.of("ok")))
                .isInstanceOf(InvalidInputException.class).hasMessage("sourceUri must not be blank");
        assertThatThrownBy(() -> DocumentInput.ofChunks("u", java.util.Arrays.asList(ChunkInput.of("a"), null)))
                .isInstanceOf(InvalidInputException.class).hasMessage("chunk 1 of document 'u' must not be null");
        assertThatThrownBy(() -> ChunkInput.of("\t"))
                .isInstanceOf(InvalidInputException.class).hasMessage("chunk text must not be blank");
    }

    @Test
    void a_chunk_input_copies_its_embedding_and_never_prints_its_text_or_vector() {
        float[] v = {1f, 2f};
        ChunkInput c = ChunkInput.of("secret words", v);
        v[0] = 9f;

        assertThat(c.embedding()).containsExactly(1f, 2f);
        c.embedding()[1] = 7f;
        assertThat(c.embedding()).containsExactly(1f, 2f);
        assertThat(c).isEqualTo(ChunkInput.of("secret words", new float[] {1f, 2f}));
        assertThat(c.hashCode()).isEqualTo(ChunkInput.of("secret words", new float[] {1f, 2f}).hashCode());
        assertThat(c.toString()).doesNotContain("secret").doesNotContain("1.0").contains("12 characters")
                .contains("2 dimensions");
    }

    @Test
    void a_knowledge_base_spec_refuses_impossible_values() {
        assertThatThrownBy(() -> KnowledgeBaseSpec.of(" ", 8)).isInstanceOf(InvalidInputException.class)
                .hasMessage("knowledge base name must not be blank");
        assertThatThrownBy(() -> KnowledgeBaseSpec.of("kb", -1)).isInstanceOf(InvalidInputException.class)
                .hasMessage("knowledge base dimension must be positive (or STORE_DIMENSION), but was -1");
        assertThatThrownBy(() -> KnowledgeBaseSpec.of("kb", 4001)).isInstanceOf(InvalidInputException.class)
                .hasMessage("knowledge base dimension must be at most 4000 (with VectorType.HALFVEC; 2000 with VECTOR), but was 4001");
        assertThat(KnowledgeBaseSpec.of("kb", 3072).withVectorType(VectorType.HALFVEC).dimension()).isEqualTo(3072);
        assertThat(KnowledgeBaseSpec.of("kb").dimension()).isEqualTo(KnowledgeBaseSpec.STORE_DIMENSION);
        assertThatThrownBy(() -> KnowledgeBaseSpec.of("kb", 8).withMetric(null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("knowledge base metric must not be null");
        KnowledgeBaseSpec spec = KnowledgeBaseSpec.of("kb", 8);
        assertThat(spec.metric()).isEqualTo(DistanceMetric.COSINE);
        assertThat(spec.textSearchConfig()).isEqualTo(TextSearchConfig.ENGLISH);
        assertThat(spec.vectorType()).isEqualTo(VectorType.VECTOR);
    }

    @Test
    void progress_reports_the_fraction_of_chunks_done() {
        assertThat(new IngestProgress(1, 4, 25, 100).fraction()).isEqualTo(0.25);
        assertThat(new IngestProgress(0, 0, 0, 0).fraction()).isEqualTo(1.0);
    }
}
