package dev.agentstore.knowledge;

import dev.agentstore.internal.Checks;
import dev.agentstore.InvalidInputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A condition on documents, for a search (the documents a hit comes from) or a delete
 * ({@code Documents.deleteDocuments}): doc type, source URI (exact or prefix), creation time, and
 * conditions on the document's JSON metadata, combined with {@link #and(Filter...)}, {@link #or(Filter...)}
 * and {@link #not(Filter)}.
 *
 * <pre>{@code
 * Filter f = Filter.and(
 *         Filter.docType("faq"),
 *         Filter.metadata("category").eq("billing"),
 *         Filter.not(Filter.metadata("archived").eq(true)));
 * }</pre>
 *
 * <p>A filter is evaluated per document; a chunk is a hit when at least one document containing it
 * passes. Every value reaches SQL as a bind parameter. A leaf on a missing metadata key or a null
 * column is false (never SQL {@code NULL}), so {@code not(metadata("k").eq(x))} also passes documents
 * without the key.
 *
 * <p>Metadata keys are top-level keys of the metadata object matching {@value #KEY_PATTERN}; values
 * are strings, numbers (finite), booleans, and for {@link MetadataKey#contains(Object)} also lists
 * and maps of those. Invalid keys and values throw {@link InvalidInputException} when the filter is
 * built, before any SQL. Filters are immutable values.
 */
public sealed interface Filter {

    /** The pattern metadata keys must match: a letter or underscore, then up to 63 letters, digits, '_', '.' or '-'. */
    String KEY_PATTERN = "[A-Za-z_][A-Za-z0-9_.\\-]{0,63}";

    /** The most values an "in" filter (doc types, metadata values) may list. */
    int MAX_VALUES = 1000;

    /**
     * Documents whose doc type is one of these (documents without a doc type never pass).
     *
     * @param docTypes the document types
     * @return documents whose doc type is one of these (documents without a doc type never pass)
     */
    static Filter docType(String... docTypes) {
        return new DocTypeIn(docTypes == null ? null : Arrays.asList(docTypes));
    }

    /**
     * Documents whose doc type is one of these.
     *
     * @param docTypes the document types
     * @return documents whose doc type is one of these
     */
    static Filter docTypes(Collection<String> docTypes) {
        return new DocTypeIn(docTypes == null ? null : new ArrayList<>(docTypes));
    }

    /**
     * Documents whose source URI is exactly one of these (e.g. to delete documents by their URIs with
     * {@code Documents.deleteDocuments}).
     *
     * @param sourceUris the source URIs
     * @return documents whose source URI is exactly one of these (e.g
     */
    static Filter sourceUri(String... sourceUris) {
        return new SourceUriIn(sourceUris == null ? null : Arrays.asList(sourceUris));
    }

    /**
     * Documents whose source URI is exactly one of these.
     *
     * @param sourceUris the source URIs
     * @return documents whose source URI is exactly one of these
     */
    static Filter sourceUris(Collection<String> sourceUris) {
        return new SourceUriIn(sourceUris == null ? null : new ArrayList<>(sourceUris));
    }

    /**
     * Documents whose source URI starts with this text, taken literally ({@code %} and {@code _} are not wildcards).
     *
     * @param prefix the prefix
     * @return documents whose source URI starts with this text, taken literally
     */
    static Filter sourceUriPrefix(String prefix) {
        return new SourceUriPrefix(prefix);
    }

    /**
     * Documents created at or after {@code from} (inclusive) and before {@code to} (exclusive); either may be null for open.
     *
     * @param from start of the interval (inclusive)
     * @param to end of the interval (exclusive)
     * @return documents created at or after {@code from}
     */
    static Filter createdBetween(Instant from, Instant to) {
        return new CreatedBetween(from, to);
    }

    /**
     * Conditions on one top-level key of the document metadata.
     *
     * @param key the key
     * @return conditions on one top-level key of the document metadata
     */
    static MetadataKey metadata(String key) {
        return new MetadataKey(key);
    }

    /**
     * All of these (at least one filter).
     *
     * @param filters the filters
     * @return all of these (at least one filter)
     */
    static Filter and(Filter... filters) {
        return new And(filters == null ? null : Arrays.asList(filters));
    }

    /**
     * Any of these (at least one filter).
     *
     * @param filters the filters
     * @return any of these (at least one filter)
     */
    static Filter or(Filter... filters) {
        return new Or(filters == null ? null : Arrays.asList(filters));
    }

    /**
     * The opposite of this filter.
     *
     * @param filter the filter
     * @return the opposite of this filter
     */
    static Filter not(Filter filter) {
        return new Not(filter);
    }

    /**
     * This filter and the other.
     *
     * @param other the other value
     * @return this filter and the other
     */
    default Filter and(Filter other) {
        return and(this, other);
    }

    /**
     * This filter or the other.
     *
     * @param other the other value
     * @return this filter or the other
     */
    default Filter or(Filter other) {
        return or(this, other);
    }

    /**
     * The conditions that can be built on one metadata key; obtained from {@link Filter#metadata(String)}.
     *
     * @param key the validated key
     */
    record MetadataKey(String key) {

        /**
         * Checks the components.
         *
         * @throws InvalidInputException when the key does not match {@value Filter#KEY_PATTERN}
         */
        public MetadataKey {
            key = Values.key(key);
        }

        /**
         * The value at the key equals this string, number or boolean (JSON equality: 1 equals 1.0, "1" does not).
         *
         * @param value the value
         * @return the value at the key equals this string, number or boolean
         */
        public Filter eq(Object value) {
            return new MetadataEquals(key, value);
        }

        /**
         * The value at the key equals one of these.
         *
         * @param values the values
         * @return the value at the key equals one of these
         */
        public Filter in(Object... values) {
            return new MetadataIn(key, values == null ? null : Arrays.asList(values));
        }

        /**
         * The value at the key equals one of these.
         *
         * @param values the values
         * @return the value at the key equals one of these
         */
        public Filter in(Collection<?> values) {
            return new MetadataIn(key, values == null ? null : new ArrayList<>(values));
        }

        /**
         * The value at the key lies in [{@code min}, {@code max}] (both inclusive; either may be null for open).
         * Both bounds are numbers (then only numeric values pass) or both strings (only string values pass).
         *
         * @param min the minimum
         * @param max the maximum
         * @return the value at the key lies in [{@code min}, {@code max}]
         */
        public Filter between(Object min, Object max) {
            return new MetadataRange(key, min, max);
        }

        /**
         * The value at the key is at least {@code min} (number or string).
         *
         * @param min the minimum
         * @return the value at the key is at least {@code min} (number or string)
         */
        public Filter atLeast(Object min) {
            return new MetadataRange(key, min, null);
        }

        /**
         * The value at the key is at most {@code max} (number or string).
         *
         * @param max the maximum
         * @return the value at the key is at most {@code max} (number or string)
         */
        public Filter atMost(Object max) {
            return new MetadataRange(key, null, max);
        }

        /**
         * The key is present (with any value, JSON null included).
         *
         * @return the key is present (with any value, JSON null included)
         */
        public Filter exists() {
            return new MetadataExists(key);
        }

        /**
         * The value at the key contains this JSON value (PostgreSQL {@code @>}): an array holding the
         * element ({@code metadata("tags").contains("billing")}), or an object holding these entries.
         *
         * @param value the value
         * @return the value at the key contains this JSON value
         */
        public Filter contains(Object value) {
            return new MetadataContains(key, value);
        }

        /**
         * The value at the key is a string that contains this text (case-sensitive, taken literally: {@code %}
         * and {@code _} are not wildcards). Values of other JSON types never pass.
         *
         * @param text the text
         * @return the value at the key is a string that contains this text
         */
        public Filter containsText(String text) {
            return new MetadataContainsText(key, text);
        }
    }

    /**
     * Doc type is one of {@code docTypes}.
     *
     * @param docTypes 1 to {@value Filter#MAX_VALUES} non-blank doc types
     */
    record DocTypeIn(List<String> docTypes) implements Filter {
        /**
         * Checks the components.
         *
         * @throws InvalidInputException when the list is null, empty, too long or holds null or blank text
         */
        public DocTypeIn {
            if (docTypes == null || docTypes.isEmpty() || docTypes.size() > MAX_VALUES) {
                throw new InvalidInputException("docType filter needs 1 to " + MAX_VALUES + " doc types, but got "
                        + (docTypes == null ? "null" : docTypes.size()));
            }
            for (String t : docTypes) {
                if (t == null || t.isBlank()) {
                    throw new InvalidInputException("docType filter must not hold null or blank doc types");
                }
                Checks.wellFormed(t, "docType filter value");
            }
            docTypes = List.copyOf(new LinkedHashSet<>(docTypes));
        }
    }

    /**
     * Source URI is one of {@code sourceUris} (exact match).
     *
     * @param sourceUris 1 to {@value Filter#MAX_VALUES} non-blank source URIs of at most 2,000 characters
     */
    record SourceUriIn(List<String> sourceUris) implements Filter {
        /**
         * Checks the components.
         *
         * @throws InvalidInputException when the list is null, empty, too long or holds a null, blank or too long URI
         */
        public SourceUriIn {
            if (sourceUris == null || sourceUris.isEmpty() || sourceUris.size() > MAX_VALUES) {
                throw new InvalidInputException("sourceUri filter needs 1 to " + MAX_VALUES + " source URIs, but got "
                        + (sourceUris == null ? "null" : sourceUris.size()) + (sourceUris != null && sourceUris.size()
                        > MAX_VALUES ? "; split the URIs into several calls" : ""));
            }
            for (int i = 0; i < sourceUris.size(); i++) {
                String u = sourceUris.get(i);
                if (u == null || u.isBlank() || u.length() > 2000) {
                    throw new InvalidInputException("sourceUri filter value " + i + " must be a non-blank source URI of at"
                            + " most 2000 characters, but " + (u == null ? "was null" : u.isBlank() ? "was blank"
                            : "had " + u.length()));
                }
                Checks.wellFormed(u, "sourceUri filter value " + i);
            }
            sourceUris = List.copyOf(new LinkedHashSet<>(sourceUris));
        }
    }

    /**
     * Source URI starts with {@code prefix} (literally).
     *
     * @param prefix non-empty, at most 2,000 characters
     */
    record SourceUriPrefix(String prefix) implements Filter {
        /**
         * Checks the components.
         *
         * @throws InvalidInputException when the prefix is null, empty or longer than 2,000 characters
         */
        public SourceUriPrefix {
            if (prefix == null || prefix.isEmpty() || prefix.length() > 2000) {
                throw new InvalidInputException("sourceUriPrefix must have 1 to 2000 characters, but "
                        + (prefix == null ? "was null" : "had " + prefix.length()));
            }
            Checks.wellFormed(prefix, "sourceUriPrefix");
        }
    }

    /**
     * Created in [{@code from}, {@code to}).
     *
     * @param from inclusive lower bound, or null
     * @param to exclusive upper bound, or null
     */
    record CreatedBetween(Instant from, Instant to) implements Filter {
        /**
         * Checks the components.
         *
         * @throws InvalidInputException when both are null or {@code to} is not after {@code from}
         */
        public CreatedBetween {
            if (from == null && to == null) {
                throw new InvalidInputException("createdBetween needs from or to (or both), but both were null");
            }
            if (from != null && to != null && !to.isAfter(from)) {
                throw new InvalidInputException("createdBetween: to (" + to + ") must be after from (" + from + ")");
            }
        }
    }

    /**
     * The metadata value at {@code key} equals {@code value}.
     *
     * @param key a key matching {@value Filter#KEY_PATTERN}
     * @param value a string, finite number or boolean
     */
    record MetadataEquals(String key, Object value) implements Filter {
        /**
         * Checks the components.
         *
         * @throws InvalidInputException for a bad key or value
         */
        public MetadataEquals {
            key = Values.key(key);
            Values.scalar(value, "metadata filter value of '" + key + "'");
        }
    }

    /**
     * The metadata value at {@code key} equals one of {@code values}.
     *
     * @param key a key matching {@value Filter#KEY_PATTERN}
     * @param values 1 to {@value Filter#MAX_VALUES} strings, finite numbers or booleans
     */
    record MetadataIn(String key, List<Object> values) implements Filter {
        /**
         * Checks the components.
         *
         * @throws InvalidInputException for a bad key, an empty or too long list, or a bad value
         */
        public MetadataIn {
            key = Values.key(key);
            if (values == null || values.isEmpty() || values.size() > MAX_VALUES) {
                throw new InvalidInputException("metadata filter 'in' on '" + key + "' needs 1 to " + MAX_VALUES
                        + " values, but got " + (values == null ? "null" : values.size()));
            }
            for (Object v : values) {
                Values.scalar(v, "metadata filter value of '" + key + "'");
            }
            values = List.copyOf(values);
        }
    }

    /**
     * The metadata value at {@code key} lies in [{@code min}, {@code max}].
     *
     * @param key a key matching {@value Filter#KEY_PATTERN}
     * @param min inclusive lower bound or null
     * @param max inclusive upper bound or null
     */
    record MetadataRange(String key, Object min, Object max) implements Filter {
        /**
         * Checks the components.
         *
         * @throws InvalidInputException for a bad key, no bound, bounds of different kinds, or min above max
         */
        public MetadataRange {
            key = Values.key(key);
            String name = "metadata range on '" + key + "'";
            if (min == null && max == null) {
                throw new InvalidInputException(name + " needs min or max (or both), but both were null");
            }
            for (Object b : new Object[] {min, max}) {
                if (b != null && !(b instanceof String) && !(b instanceof Number)) {
                    throw new InvalidInputException(name + ": bounds must be numbers or strings, but got a "
                            + b.getClass().getSimpleName());
                }
                if (b instanceof Number) {
                    Values.scalar(b, name);
                }
            }
            if (min != null && max != null) {
                if (min.getClass() == String.class != (max.getClass() == String.class)) {
                    throw new InvalidInputException(name + ": min and max must both be numbers or both strings");
                }
                boolean inverted = min instanceof String s1
                        ? s1.compareTo((String) max) > 0
                        : new java.math.BigDecimal(min.toString()).compareTo(new java.math.BigDecimal(max.toString())) > 0;
                if (inverted) {
                    throw new InvalidInputException(name + ": min (" + min + ") must not be above max (" + max + ")");
                }
            }
        }

        /**
         * Whether the bounds are numbers (else strings).
         *
         * @return whether the bounds are numbers (else strings)
         */
        public boolean numeric() {
            return (min != null ? min : max) instanceof Number;
        }
    }

    /**
     * The metadata has the key.
     *
     * @param key a key matching {@value Filter#KEY_PATTERN}
     */
    record MetadataExists(String key) implements Filter {
        /**
         * Checks the components.
         *
         * @throws InvalidInputException for a bad key
         */
        public MetadataExists {
            key = Values.key(key);
        }
    }

    /**
     * The metadata value at {@code key} contains {@code value} (JSON containment).
     *
     * @param key a key matching {@value Filter#KEY_PATTERN}
     * @param value a string, finite number, boolean, or a list or map of such values
     */
    record MetadataContains(String key, Object value) implements Filter {
        /**
         * Checks the components.
         *
         * @throws InvalidInputException for a bad key or value
         */
        public MetadataContains {
            key = Values.key(key);
            Values.json(value, "metadata filter value of '" + key + "'", 0);
        }
    }

    /**
     * The metadata value at {@code key} is a string containing {@code text} (SQL {@code LIKE} with the
     * text escaped and bound).
     *
     * @param key a key matching {@value Filter#KEY_PATTERN}
     * @param text the substring; not empty, at most 2,000 characters
     */
    record MetadataContainsText(String key, String text) implements Filter {
        /**
         * Checks the components.
         *
         * @throws InvalidInputException for a bad key, or a null, empty or too long text
         */
        public MetadataContainsText {
            key = Values.key(key);
            if (text == null || text.isEmpty() || text.length() > 2000) {
                throw new InvalidInputException("containsText on '" + key + "' needs 1 to 2000 characters, but "
                        + (text == null ? "was null" : "had " + text.length()));
            }
        }
    }

    /**
     * All of {@code filters}.
     *
     * @param filters 1 to {@value Filter#MAX_VALUES} filters
     */
    record And(List<Filter> filters) implements Filter {
        /**
         * Checks the components.
         *
         * @throws InvalidInputException when the list is null, empty, too long or holds null
         */
        public And {
            filters = Values.filters(filters, "and");
        }
    }

    /**
     * Any of {@code filters}.
     *
     * @param filters 1 to {@value Filter#MAX_VALUES} filters
     */
    record Or(List<Filter> filters) implements Filter {
        /**
         * Checks the components.
         *
         * @throws InvalidInputException when the list is null, empty, too long or holds null
         */
        public Or {
            filters = Values.filters(filters, "or");
        }
    }

    /**
     * Not {@code filter}.
     *
     * @param filter the filter to negate
     */
    record Not(Filter filter) implements Filter {
        /**
         * Checks the components.
         *
         * @throws InvalidInputException when filter is null
         */
        public Not {
            if (filter == null) {
                throw new InvalidInputException("not(...) needs a filter, but got null");
            }
        }
    }
}

/** Validation shared by the filter records. */
final class Values {

    private static final Pattern KEY = Pattern.compile(Filter.KEY_PATTERN);

    private Values() {
    }

    static String key(String key) {
        if (key == null) {
            throw new InvalidInputException("metadata key must not be null");
        }
        if (!KEY.matcher(key).matches()) {
            String shown = key.length() > 80 ? key.substring(0, 80) + "..." : key;
            throw new InvalidInputException("metadata key '" + shown.replaceAll("\\p{Cntrl}", "?") + "' is not allowed: keys are "
                    + "top-level names of 1 to 64 characters, a letter or '_' first, then letters, digits, '_', '.' or '-'");
        }
        return key;
    }

    static void scalar(Object value, String name) {
        if (value == null) {
            throw new InvalidInputException(name + " must not be null (use exists() or not(exists()) for presence)");
        }
        if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
            throw new InvalidInputException(name + " must be a finite number, but was " + value);
        }
        if (!(value instanceof String) && !(value instanceof Number) && !(value instanceof Boolean)) {
            throw new InvalidInputException(name + " must be a string, number or boolean, but was a "
                    + value.getClass().getSimpleName());
        }
        if (value instanceof String text) {
            Checks.wellFormed(text, name);
        }
    }

    static void json(Object value, String name, int depth) {
        if (depth > 20) {
            throw new InvalidInputException(name + " is nested more than 20 levels deep");
        }
        if (value instanceof Collection<?> c) {
            for (Object o : c) {
                json(o, name, depth + 1);
            }
        } else if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new InvalidInputException(name + " must have string keys");
                }
                Checks.wellFormed(k, "a key of " + name);
                json(e.getValue(), name, depth + 1);
            }
        } else {
            scalar(value, name);
        }
    }

    static List<Filter> filters(List<Filter> filters, String op) {
        if (filters == null || filters.isEmpty() || filters.size() > Filter.MAX_VALUES) {
            throw new InvalidInputException(op + "(...) needs 1 to " + Filter.MAX_VALUES + " filters, but got "
                    + (filters == null ? "null" : filters.size()));
        }
        for (Filter f : filters) {
            if (f == null) {
                throw new InvalidInputException(op + "(...) must not hold null filters");
            }
        }
        return List.copyOf(filters);
    }
}
