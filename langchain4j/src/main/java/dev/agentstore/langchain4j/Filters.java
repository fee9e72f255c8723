package dev.agentstore.langchain4j;

import dev.agentstore.knowledge.Filter;
import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * LangChain4j metadata filters as agentstore filters on document metadata (each entry of the embedding
 * store is one document), with LangChain4j's semantics: a comparison on a missing key is false, and its
 * negation ({@code isNotEqualTo}, {@code isNotIn}, {@code not(...)}) true; numbers compare by value
 * whatever their Java type; UUIDs compare as their text. Every value is a bind parameter.
 */
final class Filters {

    private Filters() {
    }

    /** The agentstore filter of a LangChain4j filter. */
    static Filter map(dev.langchain4j.store.embedding.filter.Filter filter) {
        return switch (filter) {
            case IsEqualTo f -> Filter.metadata(f.key()).eq(value(f.comparisonValue()));
            case IsNotEqualTo f -> Filter.not(Filter.metadata(f.key()).eq(value(f.comparisonValue())));
            case IsGreaterThan f -> Filter.and(Filter.metadata(f.key()).atLeast(value(f.comparisonValue())),
                    Filter.not(Filter.metadata(f.key()).eq(value(f.comparisonValue()))));
            case IsGreaterThanOrEqualTo f -> Filter.metadata(f.key()).atLeast(value(f.comparisonValue()));
            case IsLessThan f -> Filter.and(Filter.metadata(f.key()).atMost(value(f.comparisonValue())),
                    Filter.not(Filter.metadata(f.key()).eq(value(f.comparisonValue()))));
            case IsLessThanOrEqualTo f -> Filter.metadata(f.key()).atMost(value(f.comparisonValue()));
            case IsIn f -> Filter.metadata(f.key()).in(values(f.comparisonValues()));
            case IsNotIn f -> Filter.not(Filter.metadata(f.key()).in(values(f.comparisonValues())));
            // every string contains the empty string: "is a string" is a string range from ""
            case ContainsString f -> f.comparisonValue().isEmpty() ? Filter.metadata(f.key()).atLeast("")
                    : Filter.metadata(f.key()).containsText(f.comparisonValue());
            case And f -> Filter.and(map(f.left()), map(f.right()));
            case Or f -> Filter.or(map(f.left()), map(f.right()));
            case Not f -> Filter.not(map(f.expression()));
            default -> throw new IllegalArgumentException("filter " + filter.getClass().getName() + " is not supported: "
                    + "build filters with MetadataFilterBuilder.metadataKey(...) and Filter.and/or/not");
        };
    }

    /** A metadata value as agentstore stores it: UUIDs as text, everything else as it is. */
    static Object value(Object value) {
        return value instanceof UUID u ? u.toString() : value;
    }

    private static List<Object> values(Collection<?> values) {
        List<Object> list = new ArrayList<>(values.size());
        for (Object v : values) {
            list.add(value(v));
        }
        return list;
    }
}
