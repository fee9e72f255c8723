package dev.agentstore.spring.ai;

import dev.agentstore.knowledge.Filter;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.vectorstore.filter.Filter.Expression;
import org.springframework.ai.vectorstore.filter.Filter.ExpressionType;
import org.springframework.ai.vectorstore.filter.Filter.Group;
import org.springframework.ai.vectorstore.filter.Filter.Key;
import org.springframework.ai.vectorstore.filter.Filter.Operand;
import org.springframework.ai.vectorstore.filter.Filter.Value;

/**
 * Maps Spring AI's portable {@link Expression filter expressions} onto agentstore's typed
 * {@link Filter}s, whose every value reaches SQL as a bind parameter. Keys are keys of the document
 * metadata (quotes around a key, as the text syntax allows, are removed).
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>Spring AI</th><th>agentstore</th></tr>
 *   <tr><td>{@code k == v}</td><td>{@code metadata(k).eq(v)}</td></tr>
 *   <tr><td>{@code k != v}</td><td>{@code not(metadata(k).eq(v))} (documents without {@code k} pass)</td></tr>
 *   <tr><td>{@code k >= v}, {@code k <= v}</td><td>{@code atLeast(v)}, {@code atMost(v)}</td></tr>
 *   <tr><td>{@code k > v}, {@code k < v}</td><td>{@code atLeast(v)} / {@code atMost(v)} and not {@code eq(v)}</td></tr>
 *   <tr><td>{@code k in [..]}, {@code k nin [..]}</td><td>{@code in(..)}, {@code not(in(..))}</td></tr>
 *   <tr><td>{@code k is null}, {@code k is not null}</td><td>{@code not(exists())}, {@code exists()}</td></tr>
 *   <tr><td>{@code &&}, {@code ||}, {@code not}, {@code ( )}</td><td>{@code and}, {@code or}, {@code not}</td></tr>
 * </table>
 *
 * <p>Dates become ISO-8601 instants (strings), compared as text, like Spring AI's other stores do.
 */
public final class FilterExpressions {

    private FilterExpressions() {
    }

    /**
     * The agentstore filter for this expression.
     *
     * @throws IllegalArgumentException when the expression is malformed or uses a key agentstore does not
     *         accept (the message names it and the rule)
     */
    public static Filter toFilter(Expression expression) {
        Objects.requireNonNull(expression, "filter expression");
        try {
            return map(expression);
        } catch (dev.agentstore.InvalidInputException e) {
            throw new IllegalArgumentException("filter expression " + expression + ": " + e.getMessage(), e);
        }
    }

    private static Filter map(Operand operand) {
        if (operand instanceof Group g) {
            return map(g.content());
        }
        if (!(operand instanceof Expression e)) {
            throw new IllegalArgumentException("expected an expression, but got " + operand);
        }
        ExpressionType type = e.type();
        return switch (type) {
            case AND -> Filter.and(map(e.left()), map(required(e)));
            case OR -> Filter.or(map(e.left()), map(required(e)));
            case NOT -> Filter.not(map(e.left()));
            case EQ -> key(e).eq(scalar(e));
            case NE -> Filter.not(key(e).eq(scalar(e)));
            case GTE -> key(e).atLeast(scalar(e));
            case LTE -> key(e).atMost(scalar(e));
            case GT -> Filter.and(key(e).atLeast(scalar(e)), Filter.not(key(e).eq(scalar(e))));
            case LT -> Filter.and(key(e).atMost(scalar(e)), Filter.not(key(e).eq(scalar(e))));
            case IN -> key(e).in(list(e));
            case NIN -> Filter.not(key(e).in(list(e)));
            case ISNULL -> Filter.not(key(e).exists());
            case ISNOTNULL -> key(e).exists();
        };
    }

    private static Operand required(Expression e) {
        if (e.right() == null) {
            throw new IllegalArgumentException(e.type() + " needs two operands, but the right one is missing");
        }
        return e.right();
    }

    private static Filter.MetadataKey key(Expression e) {
        if (!(e.left() instanceof Key k)) {
            throw new IllegalArgumentException(e.type() + " needs a metadata key on its left, but got " + e.left());
        }
        String key = k.key();
        if (key.length() >= 2 && (key.startsWith("\"") && key.endsWith("\"") || key.startsWith("'") && key.endsWith("'"))) {
            key = key.substring(1, key.length() - 1);
        }
        return Filter.metadata(key);
    }

    private static Object scalar(Expression e) {
        if (!(e.right() instanceof Value v) || v.value() == null) {
            throw new IllegalArgumentException(e.type() + " needs a value on its right, but got " + e.right());
        }
        if (v.value() instanceof Collection<?>) {
            throw new IllegalArgumentException(e.type() + " compares with one value, but got a list: " + v.value());
        }
        return value(v.value());
    }

    private static List<Object> list(Expression e) {
        if (!(e.right() instanceof Value v) || !(v.value() instanceof Collection<?> c)) {
            throw new IllegalArgumentException(e.type() + " needs a list of values on its right, but got " + e.right());
        }
        List<Object> values = new ArrayList<>(c.size());
        for (Object o : c) {
            values.add(value(o));
        }
        return values;
    }

    private static Object value(Object v) {
        if (v instanceof Date d) {
            return DateTimeFormatter.ISO_INSTANT.format(d.toInstant());
        }
        return v;
    }
}
