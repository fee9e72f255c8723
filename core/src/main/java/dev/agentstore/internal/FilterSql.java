package dev.agentstore.internal;

import dev.agentstore.knowledge.Filter;
import dev.agentstore.schema.tables.DocumentTable;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Internal: compiles a {@link Filter} into a jOOQ condition on a document alias, every value a bind
 * parameter. Shared by the search ({@code dev.agentstore.knowledge}) and the delete by filter
 * ({@code Documents.deleteDocuments}), so both evaluate a filter the same way. Not API.
 */
public final class FilterSql {

    private FilterSql() {
    }

    /** Makes the bind parameter of a value (a named parameter of a cached statement, or a plain value). */
    public interface Binder {
        /** A bind parameter for the value, of the type. */
        <T> Field<T> bind(Object value, DataType<T> type);
    }

    /** A condition that is true or false for each document, never SQL NULL. */
    public static Condition condition(Filter filter, DocumentTable d, Binder b) {
        return switch (filter) {
            case Filter.DocTypeIn f -> d.DOC_TYPE.isNotNull()
                    .and(d.DOC_TYPE.eq(DSL.any(b.bind(f.docTypes().toArray(String[]::new), SQLDataType.CLOB.array()))));
            case Filter.SourceUriIn f -> d.SOURCE_URI.eq(DSL.any(b.bind(f.sourceUris().toArray(String[]::new),
                    SQLDataType.VARCHAR.array())));
            case Filter.SourceUriPrefix f -> d.SOURCE_URI.like(b.bind(escapeLike(f.prefix()) + "%", SQLDataType.VARCHAR), '\\');
            case Filter.CreatedBetween f -> DSL.and(
                    f.from() == null ? DSL.noCondition() : d.CREATED_AT.ge(b.bind(f.from().atOffset(ZoneOffset.UTC), SQLDataType.TIMESTAMPWITHTIMEZONE)),
                    f.to() == null ? DSL.noCondition() : d.CREATED_AT.lt(b.bind(f.to().atOffset(ZoneOffset.UTC), SQLDataType.TIMESTAMPWITHTIMEZONE)));
            case Filter.MetadataEquals f -> {
                Field<JSONB> v = value(d, f.key(), b);
                yield v.isNotNull().and(v.eq(json(f.value(), b)));
            }
            case Filter.MetadataIn f -> {
                Field<JSONB> v = value(d, f.key(), b);
                List<Field<JSONB>> values = new ArrayList<>();
                for (Object o : f.values()) {
                    values.add(json(o, b));
                }
                yield v.isNotNull().and(v.in(values));
            }
            case Filter.MetadataRange f -> {
                Field<JSONB> v = value(d, f.key(), b);
                Condition c = v.isNotNull().and(DSL.function("jsonb_typeof", String.class, v)
                        .eq(DSL.inline(f.numeric() ? "number" : "string")));
                if (f.min() != null) {
                    c = c.and(v.ge(json(f.min(), b)));
                }
                if (f.max() != null) {
                    c = c.and(v.le(json(f.max(), b)));
                }
                yield c;
            }
            case Filter.MetadataExists f -> value(d, f.key(), b).isNotNull();
            case Filter.MetadataContains f -> {
                Field<JSONB> v = value(d, f.key(), b);
                yield v.isNotNull().and(DSL.condition("{0} @> {1}", v, json(f.value(), b)));
            }
            case Filter.MetadataContainsText f -> {
                Field<JSONB> v = value(d, f.key(), b);
                yield v.isNotNull().and(DSL.function("jsonb_typeof", String.class, v).eq(DSL.inline("string")))
                        .and(DSL.field("({0} #>> '{}')", SQLDataType.CLOB, v)
                                .like(b.bind("%" + escapeLike(f.text()) + "%", SQLDataType.CLOB), '\\'));
            }
            case Filter.And f -> DSL.and(f.filters().stream().map(x -> condition(x, d, b)).toList());
            case Filter.Or f -> DSL.or(f.filters().stream().map(x -> condition(x, d, b)).toList());
            case Filter.Not f -> DSL.not(condition(f.filter(), d, b));
        };
    }

    /**
     * The values {@link #condition} binds for the filter, in the order it binds them (each parameter
     * once, even when the condition uses it twice).
     */
    public static void values(Filter filter, List<Object> out) {
        switch (filter) {
            case Filter.DocTypeIn f -> out.add(f.docTypes().toArray(String[]::new));
            case Filter.SourceUriIn f -> out.add(f.sourceUris().toArray(String[]::new));
            case Filter.SourceUriPrefix f -> out.add(escapeLike(f.prefix()) + "%");
            case Filter.CreatedBetween f -> {
                if (f.from() != null) {
                    out.add(f.from().atOffset(ZoneOffset.UTC));
                }
                if (f.to() != null) {
                    out.add(f.to().atOffset(ZoneOffset.UTC));
                }
            }
            case Filter.MetadataEquals f -> {
                out.add(f.key());
                out.add(jsonValue(f.value()));
            }
            case Filter.MetadataIn f -> {
                out.add(f.key());
                for (Object o : f.values()) {
                    out.add(jsonValue(o));
                }
            }
            case Filter.MetadataRange f -> {
                out.add(f.key());
                if (f.min() != null) {
                    out.add(jsonValue(f.min()));
                }
                if (f.max() != null) {
                    out.add(jsonValue(f.max()));
                }
            }
            case Filter.MetadataExists f -> out.add(f.key());
            case Filter.MetadataContains f -> {
                out.add(f.key());
                out.add(jsonValue(f.value()));
            }
            case Filter.MetadataContainsText f -> {
                out.add(f.key());
                out.add("%" + escapeLike(f.text()) + "%");
            }
            case Filter.And f -> f.filters().forEach(x -> values(x, out));
            case Filter.Or f -> f.filters().forEach(x -> values(x, out));
            case Filter.Not f -> values(f.filter(), out);
        }
    }

    private static JSONB jsonValue(Object value) {
        return Json.write(value, "metadata filter value");
    }

    /**
     * The structure of a filter without its values: two filters of the same shape compile to the same
     * SQL (with different bind values).
     */
    public static void shape(Filter filter, StringBuilder sb) {
        switch (filter) {
            case Filter.DocTypeIn f -> sb.append('T');
            case Filter.SourceUriIn f -> sb.append('V');
            case Filter.SourceUriPrefix f -> sb.append('U');
            case Filter.CreatedBetween f -> sb.append('C').append(f.from() == null ? '-' : 'f').append(f.to() == null ? '-' : 't');
            case Filter.MetadataEquals f -> sb.append('E');
            case Filter.MetadataIn f -> sb.append('I').append(f.values().size()).append(';');
            case Filter.MetadataRange f -> sb.append('R').append(f.numeric() ? 'n' : 's').append(f.min() == null ? '-' : 'l')
                    .append(f.max() == null ? '-' : 'u');
            case Filter.MetadataExists f -> sb.append('X');
            case Filter.MetadataContains f -> sb.append('K');
            case Filter.MetadataContainsText f -> sb.append('S');
            case Filter.And f -> group('A', f.filters(), sb);
            case Filter.Or f -> group('O', f.filters(), sb);
            case Filter.Not f -> {
                sb.append("N(");
                shape(f.filter(), sb);
                sb.append(')');
            }
        }
    }

    private static void group(char kind, List<Filter> filters, StringBuilder sb) {
        sb.append(kind).append('(');
        for (Filter f : filters) {
            shape(f, sb);
            sb.append(',');
        }
        sb.append(')');
    }

    /** {@code metadata -> key}: SQL NULL when the key is missing. */
    private static Field<JSONB> value(DocumentTable d, String key, Binder b) {
        return DSL.field("({0} -> {1})", SQLDataType.JSONB, d.METADATA, b.bind(key, SQLDataType.CLOB));
    }

    private static Field<JSONB> json(Object value, Binder b) {
        return b.bind(jsonValue(value), SQLDataType.JSONB);
    }

    /** The text with LIKE's wildcards and the escape character escaped (escape character '\'). */
    public static String escapeLike(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\\' || ch == '%' || ch == '_') {
                sb.append('\\');
            }
            sb.append(ch);
        }
        return sb.toString();
    }
}
