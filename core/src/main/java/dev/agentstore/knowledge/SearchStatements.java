package dev.agentstore.knowledge;

import dev.agentstore.internal.NamedStatement;
import dev.agentstore.internal.StoreContext;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.Query;

/**
 * What one store remembers between searches: the search statements ({@link NamedStatement}s), rendered by jOOQ
 * once per request shape (mode, metric, text configuration, layouts of the knowledge bases, which options are
 * set, the structure of the filter — never the values), and the last layouts seen per tenant and set of
 * knowledge bases, so that a search can be sent in one round trip with its settings and the check that those
 * layouts still hold.
 *
 * <p>Thread-safe; at most {@value #MAX_SHAPES} shapes and {@value #MAX_LAYOUTS} layout entries are kept (further
 * shapes are rendered on every call; the layouts are forgotten all at once when full).
 */
final class SearchStatements {

    static final int MAX_SHAPES = 512;
    static final int MAX_LAYOUTS = 4096;

    private final DSLContext dsl;
    private final ConcurrentMap<String, NamedStatement> byShape = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, SearchLayouts> layouts = new ConcurrentHashMap<>();

    private SearchStatements(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** The statements of this store. */
    static SearchStatements of(StoreContext context) {
        return context.shared(SearchStatements.class, c -> new SearchStatements(c.dsl()));
    }

    /**
     * The statement of this shape, rendered from the queries (sent together, in order) on first use. When
     * rendering, the values the queries' builder bound (by name) must be those of this call: a check that the
     * values of a call are computed exactly as the builder binds them.
     */
    NamedStatement get(String shape, Supplier<List<Query>> queries, Supplier<Map<String, Object>> bound,
            Map<String, Object> values) {
        NamedStatement s = byShape.get(shape);
        if (s == null) {
            s = NamedStatement.render(dsl, queries.get().toArray(Query[]::new));
            Map<String, Object> built = bound.get();
            for (String name : s.parameters()) {
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

    /** The layouts last seen for this key (tenant and knowledge bases), or null. */
    SearchLayouts layouts(String key) {
        return layouts.get(key);
    }

    /** Remembers the layouts seen for this key. */
    void layouts(String key, SearchLayouts seen) {
        if (layouts.size() >= MAX_LAYOUTS) {
            layouts.clear();
        }
        layouts.put(key, seen);
    }

    /** How many shapes are cached (for tests). */
    int size() {
        return byShape.size();
    }
}
