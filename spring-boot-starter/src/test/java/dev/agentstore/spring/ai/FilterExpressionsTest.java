package dev.agentstore.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.knowledge.Filter;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.vectorstore.filter.Filter.Expression;
import org.springframework.ai.vectorstore.filter.Filter.ExpressionType;
import org.springframework.ai.vectorstore.filter.Filter.Key;
import org.springframework.ai.vectorstore.filter.Filter.Value;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;
import org.springframework.ai.vectorstore.filter.FilterExpressionTextParser;

class FilterExpressionsTest {

    private static Filter parse(String text) {
        return FilterExpressions.toFilter(new FilterExpressionTextParser().parse(text));
    }

    @Test
    void comparisons_map_onto_typed_filters() {
        assertThat(parse("country == 'BG'")).isEqualTo(Filter.metadata("country").eq("BG"));
        assertThat(parse("country != 'BG'")).isEqualTo(Filter.not(Filter.metadata("country").eq("BG")));
        assertThat(parse("year >= 2020")).isEqualTo(Filter.metadata("year").atLeast(2020));
        assertThat(parse("year <= 2020")).isEqualTo(Filter.metadata("year").atMost(2020));
        assertThat(parse("year > 2020")).isEqualTo(Filter.and(Filter.metadata("year").atLeast(2020),
                Filter.not(Filter.metadata("year").eq(2020))));
        assertThat(parse("year < 2020")).isEqualTo(Filter.and(Filter.metadata("year").atMost(2020),
                Filter.not(Filter.metadata("year").eq(2020))));
    }

    @Test
    void lists_null_checks_and_boolean_operators_map_too() {
        assertThat(parse("c in ['a', 'b']")).isEqualTo(Filter.metadata("c").in("a", "b"));
        assertThat(parse("c nin ['a']")).isEqualTo(Filter.not(Filter.metadata("c").in("a")));
        assertThat(parse("c IS NULL")).isEqualTo(Filter.not(Filter.metadata("c").exists()));
        assertThat(parse("c IS NOT NULL")).isEqualTo(Filter.metadata("c").exists());
        assertThat(parse("a == 1 && (b == true || NOT(c == 'x'))")).isEqualTo(Filter.and(Filter.metadata("a").eq(1),
                Filter.or(Filter.metadata("b").eq(true), Filter.not(Filter.metadata("c").eq("x")))));
    }

    @Test
    void quoted_keys_lose_their_quotes_and_dates_become_iso_instants() {
        assertThat(parse("\"my.key\" == 'v'")).isEqualTo(Filter.metadata("my.key").eq("v"));
        Expression date = new FilterExpressionBuilder().eq("at", new Date(0)).build();
        assertThat(FilterExpressions.toFilter(date)).isEqualTo(Filter.metadata("at").eq("1970-01-01T00:00:00Z"));
    }

    @Test
    void malformed_expressions_and_refused_keys_say_what_is_wrong() {
        assertThatThrownBy(() -> parse("\"a b\" == 'x'")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a b'");
        assertThatThrownBy(() -> FilterExpressions.toFilter(new Expression(ExpressionType.EQ, new Value("x"), new Key("k"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata key on its left");
        assertThatThrownBy(() -> FilterExpressions.toFilter(new Expression(ExpressionType.IN, new Key("k"), new Value("x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("list of values");
        assertThatThrownBy(() -> FilterExpressions.toFilter(new Expression(ExpressionType.EQ, new Key("k"), new Value(List.of(1)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one value");
    }
}
