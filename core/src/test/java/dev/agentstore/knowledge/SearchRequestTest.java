package dev.agentstore.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.FilterSql;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchRequestTest {

    private static final float[] V = {1, 0, 0};

    @Test
    void defaults_are_the_documented_ones() {
        SearchRequest r = SearchRequest.vector(V).build();

        assertThat(r.mode()).isEqualTo(SearchMode.VECTOR);
        assertThat(r.limit()).isEqualTo(10);
        assertThat(r.efSearch()).isEqualTo(100);
        assertThat(r.iterativeScan()).isEqualTo(IterativeScan.RELAXED_ORDER);
        assertThat(r.candidateDepth()).isEqualTo(10);
        assertThat(r.exact()).isFalse();
        assertThat(SearchRequest.vector(V).filter(Filter.docType("x")).build().candidateDepth()).isEqualTo(100);
        assertThat(SearchRequest.hybrid("x", V).build().rrfK()).isEqualTo(60);
    }

    @Test
    void k_must_be_between_one_and_the_documented_maximum() {
        for (int k : new int[] {0, -1, SearchRequest.MAX_LIMIT + 1}) {
            assertThatThrownBy(() -> SearchRequest.vector(V).limit(k)).isInstanceOf(InvalidInputException.class)
                    .hasMessage("limit (k) must be between 1 and 1000, but was " + k);
        }
        assertThat(SearchRequest.vector(V).limit(1000).build().limit()).isEqualTo(1000);
    }

    @Test
    void nan_or_infinite_query_embeddings_are_refused_naming_the_index() {
        assertThatThrownBy(() -> SearchRequest.vector(new float[] {1, Float.NaN})).isInstanceOf(InvalidInputException.class)
                .hasMessage("query embedding holds NaN at index 1; every component must be a finite number");
        assertThatThrownBy(() -> SearchRequest.hybrid("x", new float[] {Float.POSITIVE_INFINITY}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Infinity at index 0");
        assertThatThrownBy(() -> SearchRequest.vector(null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("query embedding must not be null");
    }

    @Test
    void empty_text_for_a_text_or_hybrid_search_is_refused() {
        assertThatThrownBy(() -> SearchRequest.hybrid("  ", V)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("query text must not be blank");
        assertThatThrownBy(() -> SearchRequest.text(null)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("query text must not be null");
    }

    @Test
    void tuning_options_are_checked_against_their_bounds() {
        assertThatThrownBy(() -> SearchRequest.vector(V).efSearch(1001)).hasMessage("efSearch must be between 1 and 1000, but was 1001");
        assertThatThrownBy(() -> SearchRequest.vector(V).limit(20).candidateDepth(10).build())
                .hasMessage("candidateDepth (10) must be at least limit (k = 20)");
        assertThatThrownBy(() -> SearchRequest.vector(V).minScore(Double.NaN)).hasMessage("minScore must be a finite number, but was NaN");
        assertThatThrownBy(() -> SearchRequest.hybrid("x", V).weights(0, 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> SearchRequest.vector(V).iterativeScan(null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void the_request_never_prints_its_text_or_embedding_and_copies_the_embedding() {
        float[] v = {0.123f, 0.456f, 0.789f};
        SearchRequest r = SearchRequest.hybrid("secret question", v).build();
        v[0] = 9;

        assertThat(r.toString()).doesNotContain("secret").doesNotContain("0.123").contains("dimension=3");
        assertThat(r.embedding()[0]).isEqualTo(0.123f);
        assertThat(r).isEqualTo(SearchRequest.hybrid("secret question", new float[] {0.123f, 0.456f, 0.789f}).build());
    }

    @Test
    void filter_values_are_validated_when_the_filter_is_built() {
        assertThatThrownBy(() -> Filter.metadata("k").eq(null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must not be null");
        assertThatThrownBy(() -> Filter.metadata("k").eq(Double.NaN)).hasMessageContaining("must be a finite number");
        assertThatThrownBy(() -> Filter.metadata("k").eq(List.of(1))).hasMessageContaining("must be a string, number or boolean");
        assertThatThrownBy(() -> Filter.metadata("k").between(5, 1)).hasMessageContaining("min (5) must not be above max (1)");
        assertThatThrownBy(() -> Filter.metadata("k").between(1, "z")).hasMessageContaining("must both be numbers or both strings");
        assertThatThrownBy(() -> Filter.docType()).hasMessageContaining("needs 1 to 1000 doc types");
        assertThatThrownBy(() -> Filter.and()).hasMessageContaining("and(...) needs 1 to 1000 filters");
        assertThatThrownBy(() -> Filter.sourceUriPrefix("")).hasMessageContaining("sourceUriPrefix must have 1 to 2000 characters");
        assertThat(FilterSql.escapeLike("a%b_c\\d")).isEqualTo("a\\%b\\_c\\\\d");
    }

    @Test
    void filters_of_one_structure_share_a_statement_shape_whatever_their_values() {
        assertThat(shape(Filter.docType("faq").and(Filter.metadata("k").eq(1))))
                .isEqualTo(shape(Filter.docTypes(List.of("a", "b")).and(Filter.metadata("other").eq("x"))));
        assertThat(shape(Filter.metadata("k").in("a", "b"))).isNotEqualTo(shape(Filter.metadata("k").in("a", "b", "c")));
        assertThat(shape(Filter.metadata("k").between(1, 2))).isNotEqualTo(shape(Filter.metadata("k").between("a", "b")));
        assertThat(shape(Filter.metadata("k").atLeast(1))).isNotEqualTo(shape(Filter.metadata("k").atMost(1)));
        assertThat(shape(Filter.createdBetween(java.time.Instant.EPOCH, null)))
                .isNotEqualTo(shape(Filter.createdBetween(null, java.time.Instant.EPOCH)));
        assertThat(shape(Filter.and(Filter.docType("a"), Filter.not(Filter.metadata("k").exists()))))
                .isNotEqualTo(shape(Filter.or(Filter.docType("a"), Filter.not(Filter.metadata("k").exists()))));
    }

    private static String shape(Filter filter) {
        StringBuilder sb = new StringBuilder();
        FilterSql.shape(filter, sb);
        return sb.toString();
    }
}
