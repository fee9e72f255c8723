package dev.agentstore.knowledge;

import com.pgvector.PGvector;
import dev.agentstore.internal.StoreContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Query;

/**
 * The search statements of one store, rendered by jOOQ once per request shape (mode, metric, text
 * configuration, which options are set, the structure of the filter — never the values) and then
 * executed over plain JDBC with the values bound by position: rendering and jOOQ's execution cost
 * about as much CPU as the database needs for a top-10 search.
 *
 * <p>Every value of a request is a named parameter (e.g. {@code :tenant}, {@code :f0}); each call binds
 * its values by these names, without building the query again. There are no other parameters. Thread-safe; at most {@value #MAX_SHAPES} shapes are
 * kept (further shapes are rendered on every call).
 */
final class SearchStatements {

    static final int MAX_SHAPES = 512;

    private static final Pattern NAMED = Pattern.compile("(?<!:):([a-z0-9_]+)");

    /** A rendered statement: for each {@code ?}, the name of its value. */
    record Statement(String sql, String[] names) {

        /** Sets every parameter from the values of this call, by name. */
        void bind(Connection connection, PreparedStatement ps, Map<String, Object> values) throws SQLException {
            for (int i = 0; i < names.length; i++) {
                Object value = values.get(names[i]);
                if (value == null && !values.containsKey(names[i])) {
                    throw new IllegalStateException("no value for parameter " + names[i] + " of " + sql);
                }
                set(connection, ps, i + 1, value);
            }
        }

        private static void set(Connection connection, PreparedStatement ps, int index, Object value) throws SQLException {
            switch (value) {
                case null -> ps.setNull(index, Types.NULL);
                case String s -> ps.setString(index, s);
                case Integer n -> ps.setInt(index, n);
                case Double d -> ps.setDouble(index, d);
                case Boolean b -> ps.setBoolean(index, b);
                case float[] v -> ps.setObject(index, new PGvector(v));
                case JSONB j -> ps.setString(index, j.data());
                case UUID[] ids -> ps.setArray(index, connection.createArrayOf("uuid", ids));
                case String[] texts -> ps.setArray(index, connection.createArrayOf("text", texts));
                default -> ps.setObject(index, value);
            }
        }
    }

    private final DSLContext dsl;
    private final ConcurrentMap<String, Statement> byShape = new ConcurrentHashMap<>();

    private SearchStatements(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** The statements of this store. */
    static SearchStatements of(StoreContext context) {
        return context.shared(SearchStatements.class, c -> new SearchStatements(c.dsl()));
    }

    /**
     * The statement of this shape, rendered from the query on first use. When rendering, the values the
     * query's builder bound (by name) must be those of this call: a check that the values of a call are
     * computed exactly as the builder binds them.
     */
    Statement get(String shape, Supplier<Query> query, Supplier<Map<String, Object>> bound, Map<String, Object> values) {
        Statement s = byShape.get(shape);
        if (s == null) {
            s = render(query.get());
            Map<String, Object> built = bound.get();
            for (String name : s.names()) {
                if (!built.containsKey(name) || !values.containsKey(name) || !Objects.deepEquals(built.get(name), values.get(name))) {
                    throw new IllegalStateException("search statement parameter " + name + " would be bound to "
                            + values.get(name) + " but the statement was built with " + built.get(name));
                }
            }
            if (byShape.size() < MAX_SHAPES) {
                byShape.putIfAbsent(shape, s);
            }
        }
        return s;
    }

    /** How many shapes are cached (for tests). */
    int size() {
        return byShape.size();
    }

    private Statement render(Query query) {
        String named = dsl.renderNamedParams(query);
        Matcher m = NAMED.matcher(named);
        List<String> names = new ArrayList<>();
        StringBuilder sql = new StringBuilder(named.length());
        while (m.find()) {
            String name = m.group(1);
            int position = names.size();
            if (Character.isLetter(name.charAt(0))) {
                names.add(name);
            } else {
                // a value that is not a named parameter would be frozen into the cached statement
                throw new IllegalStateException("search statement has an unnamed bind value at " + (position + 1)
                        + ": " + named);
            }
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        return new Statement(sql.toString(), names.toArray(String[]::new));
    }
}
