package dev.agentstore.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.JSONB;

/**
 * The select list of a rendered query, to read a JDBC row by the query's (generated or aliased) fields
 * instead of by column position: {@code columns.get(rs, MESSAGE.CONTENT)}. A field is found by equality
 * (same qualified name) first, else by its unqualified name when only one column has it.
 *
 * <p>Immutable and thread-safe.
 */
public final class Columns {

    private static final dev.agentstore.jooq.VectorBinding VECTORS = new dev.agentstore.jooq.VectorBinding();

    private final Map<Field<?>, Integer> byField = new HashMap<>();
    private final Map<String, Integer> byName = new HashMap<>();

    private Columns(List<? extends Field<?>> fields) {
        for (int i = 0; i < fields.size(); i++) {
            Field<?> f = fields.get(i);
            byField.putIfAbsent(f, i + 1);
            // an ambiguous unqualified name maps to -1: it must be asked by qualified field
            byName.merge(f.getName(), i + 1, (a, b) -> -1);
        }
    }

    /** The columns of this select list, in order. */
    public static Columns of(List<? extends Field<?>> fields) {
        return new Columns(fields);
    }

    /**
     * The 1-based JDBC column index of this field.
     *
     * @throws IllegalArgumentException when the select list has no such column, or several of that name
     */
    public int index(Field<?> field) {
        Integer i = byField.get(field);
        if (i == null) {
            i = byName.get(field.getName());
        }
        if (i == null || i < 0) {
            throw new IllegalArgumentException((i == null ? "no column " : "more than one column named ") + field.getName()
                    + " in the select list " + byName.keySet());
        }
        return i;
    }

    /**
     * The value of a field in the current row, read as the field's Java type (null for SQL NULL).
     *
     * @throws IllegalArgumentException when the field is not a column of the select list
     */
    @SuppressWarnings("unchecked")
    public <T> T get(ResultSet rs, Field<T> field) throws SQLException {
        int i = index(field);
        Class<T> type = field.getType();
        Object value;
        if (type == String.class) {
            value = rs.getString(i);
        } else if (type == UUID.class) {
            value = rs.getObject(i, UUID.class);
        } else if (type == Long.class) {
            long v = rs.getLong(i);
            value = rs.wasNull() ? null : v;
        } else if (type == Integer.class) {
            int v = rs.getInt(i);
            value = rs.wasNull() ? null : v;
        } else if (type == Short.class) {
            short v = rs.getShort(i);
            value = rs.wasNull() ? null : v;
        } else if (type == Double.class) {
            double v = rs.getDouble(i);
            value = rs.wasNull() ? null : v;
        } else if (type == Boolean.class) {
            boolean v = rs.getBoolean(i);
            value = rs.wasNull() ? null : v;
        } else if (type == OffsetDateTime.class) {
            value = rs.getObject(i, OffsetDateTime.class);
        } else if (type == JSONB.class) {
            value = JSONB.jsonbOrNull(rs.getString(i));
        } else if (type == float[].class) {
            String text = rs.getString(i);
            value = text == null ? null : VECTORS.converter().from(text);
        } else if (type == byte[].class) {
            value = rs.getBytes(i);
        } else {
            value = rs.getObject(i, type);
        }
        return (T) value;
    }
}
