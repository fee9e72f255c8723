package dev.agentstore.knowledge;

import dev.agentstore.internal.Json;
import dev.agentstore.schema.tables.Document;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** Compiles a {@link Filter} into a jOOQ condition on a document alias; every value a bind parameter. */
final class FilterSql {

    private FilterSql() {
    }

    /** A condition that is true or false for each document, never SQL NULL. */
    static Condition condition(Filter filter, Document d) {
        return switch (filter) {
            case Filter.DocTypeIn f -> d.DOC_TYPE.isNotNull()
                    .and(d.DOC_TYPE.eq(DSL.any(DSL.val(f.docTypes().toArray(String[]::new), SQLDataType.CLOB.array()))));
            case Filter.SourceUriPrefix f -> d.SOURCE_URI.like(DSL.val(escapeLike(f.prefix()) + "%"), '\\');
            case Filter.CreatedBetween f -> DSL.and(
                    f.from() == null ? DSL.noCondition() : d.CREATED_AT.ge(DSL.val(f.from().atOffset(ZoneOffset.UTC))),
                    f.to() == null ? DSL.noCondition() : d.CREATED_AT.lt(DSL.val(f.to().atOffset(ZoneOffset.UTC))));
            case Filter.MetadataEquals f -> {
                Field<JSONB> v = value(d, f.key());
                yield v.isNotNull().and(v.eq(json(f.value())));
            }
            case Filter.MetadataIn f -> {
                Field<JSONB> v = value(d, f.key());
                List<Field<JSONB>> values = new ArrayList<>();
                for (Object o : f.values()) {
                    values.add(json(o));
                }
                yield v.isNotNull().and(v.in(values));
            }
            case Filter.MetadataRange f -> {
                Field<JSONB> v = value(d, f.key());
                Condition c = v.isNotNull().and(DSL.function("jsonb_typeof", String.class, v)
                        .eq(DSL.inline(f.numeric() ? "number" : "string")));
                if (f.min() != null) {
                    c = c.and(v.ge(json(f.min())));
                }
                if (f.max() != null) {
                    c = c.and(v.le(json(f.max())));
                }
                yield c;
            }
            case Filter.MetadataExists f -> value(d, f.key()).isNotNull();
            case Filter.MetadataContains f -> {
                Field<JSONB> v = value(d, f.key());
                yield v.isNotNull().and(DSL.condition("{0} @> {1}", v, json(f.value())));
            }
            case Filter.And f -> DSL.and(f.filters().stream().map(x -> condition(x, d)).toList());
            case Filter.Or f -> DSL.or(f.filters().stream().map(x -> condition(x, d)).toList());
            case Filter.Not f -> DSL.not(condition(f.filter(), d));
        };
    }

    /** {@code metadata -> key}: SQL NULL when the key is missing. */
    private static Field<JSONB> value(Document d, String key) {
        return DSL.field("({0} -> {1})", SQLDataType.JSONB, d.METADATA, DSL.val(key, SQLDataType.CLOB));
    }

    private static Field<JSONB> json(Object value) {
        return DSL.val(Json.write(value, "metadata filter value"), SQLDataType.JSONB);
    }

    /** The text with LIKE's wildcards and the escape character escaped (escape character '\'). */
    static String escapeLike(String text) {
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
