package dev.agentstore.agents;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.impl.DSL;

/**
 * A jOOQ statement rendered once (with the store's settings, schema mapping included) and then
 * executed over plain JDBC with its parameters set by name: for hot paths, where rendering on every
 * call costs about as much CPU as the database needs to run the statement. Every value stays a bind
 * parameter.
 *
 * <pre>{@code
 * RenderedQuery.Params p = new RenderedQuery.Params();
 * RenderedQuery s = RenderedQuery.render(dsl, dsl.selectFrom(T).where(T.ID.eq(p.param("id", T.ID.getDataType()))), p);
 * s.bind(preparedStatement, Map.of("id", id));
 * }</pre>
 *
 * <p>Immutable and thread-safe once rendered. Unsupported API.
 */
final class RenderedQuery {

    private static final Pattern NAMED = Pattern.compile("(?<!:):([a-z][a-z0-9_]*)");

    /** The parameters of a statement under construction: name, SQL type and, for arrays, the element type. */
    public static final class Params {
        private final Map<String, Integer> sqlTypes = new HashMap<>();
        private final Map<String, String> arrayElementTypes = new HashMap<>();

        /** A named parameter of this type. */
        public <T> Param<T> param(String name, DataType<T> type) {
            sqlTypes.put(name, type.getSQLType());
            return DSL.param(name, type);
        }

        /**
         * A named array parameter; its value is bound as a JDBC array of {@code elementType} (a PostgreSQL
         * type name such as {@code uuid}, {@code text}, {@code int4}, {@code int8}, {@code float8}).
         */
        public <T> Param<T[]> array(String name, DataType<T> elementType, String elementTypeName) {
            sqlTypes.put(name, Types.ARRAY);
            arrayElementTypes.put(name, elementTypeName);
            return DSL.param(name, elementType.getArrayDataType());
        }
    }

    private final String sql;
    private final String[] names;
    private final int[] sqlTypes;
    private final String[] arrayElementTypes;

    private RenderedQuery(String sql, String[] names, int[] sqlTypes, String[] arrayElementTypes) {
        this.sql = sql;
        this.names = names;
        this.sqlTypes = sqlTypes;
        this.arrayElementTypes = arrayElementTypes;
    }

    /** Renders the query with named parameters and turns them into positional ones. */
    public static RenderedQuery render(DSLContext dsl, Query query, Params params) {
        String named = dsl.renderNamedParams(query);
        Matcher m = NAMED.matcher(named);
        List<String> found = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        while (m.find()) {
            if (!params.sqlTypes.containsKey(m.group(1))) {
                throw new IllegalStateException("parameter :" + m.group(1) + " was not declared in " + named);
            }
            found.add(m.group(1));
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        String[] names = found.toArray(String[]::new);
        int[] types = new int[names.length];
        String[] elements = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            types[i] = params.sqlTypes.get(names[i]);
            elements[i] = params.arrayElementTypes.get(names[i]);
        }
        return new RenderedQuery(sql.toString(), names, types, elements);
    }

    /** The SQL with positional parameters. */
    public String sql() {
        return sql;
    }

    /**
     * Sets every parameter from the values by name: nulls typed like their column, {@code Object[]}
     * values of array parameters as JDBC arrays.
     *
     * @throws IllegalStateException when a parameter has no value
     */
    public void bind(PreparedStatement ps, Map<String, Object> values) throws SQLException {
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            Object value = values.get(name);
            if (value == null) {
                if (!values.containsKey(name)) {
                    throw new IllegalStateException("no value for parameter " + name);
                }
                ps.setNull(i + 1, sqlTypes[i]);
            } else if (arrayElementTypes[i] != null) {
                Array array = ps.getConnection().createArrayOf(arrayElementTypes[i], (Object[]) value);
                ps.setArray(i + 1, array);
            } else {
                ps.setObject(i + 1, value);
            }
        }
    }
}
