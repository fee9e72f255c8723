package dev.agentstore.internal;

import com.pgvector.PGvector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.ResultQuery;
import org.jooq.impl.DSL;
import org.postgresql.PGStatement;
import org.postgresql.util.PGobject;

/**
 * One or more jOOQ statements rendered once (with the store's settings and schema mapping) and then
 * executed over plain JDBC, their values bound by name: rendering a query and jOOQ's execution cost about
 * as much CPU as PostgreSQL needs for a hot statement (a chat turn, a top-10 search, a recall).
 *
 * <p>Build the query with {@link Params#param(String, Field)} (or {@link DSL#param(String, DataType)}) for
 * every value: an unnamed bind value would be frozen into the rendered text, so rendering rejects it.
 * Several statements rendered together ({@link #render(DSLContext, Query...)}) are sent in <b>one round
 * trip</b>: with auto-commit on, PostgreSQL runs them in one implicit transaction, so a
 * {@code set_config(..., true)} in the first holds for the next and ends with them (pgjdbc sends them
 * before one Sync). Rows are read by generated field ({@link Columns}), not by position.
 *
 * <p>Immutable and thread-safe.
 */
public final class NamedStatement {

    private static final Pattern NAMED = Pattern.compile("(?<!:):([A-Za-z0-9_]+)");

    private final String sql;
    private final String[] names;
    private final int[] nullTypes;
    /** Per parameter, the PostgreSQL type a null binds as when its JDBC type is {@code OTHER} (else null). */
    private final String[] nullTypeNames;
    private final List<Columns> columns;

    private final int statementCount;
    /** {@link #sql} after the tenant's setting, for tenant-bound connections ({@link #query}). */
    private final String tenantSql;

    private NamedStatement(String sql, String[] names, int[] nullTypes, String[] nullTypeNames, List<Columns> columns,
            int statementCount) {
        this.statementCount = statementCount;
        this.sql = sql;
        this.tenantSql = TenantConnections.SET_TENANT + ";\n" + sql;
        this.names = names;
        this.nullTypes = nullTypes;
        this.nullTypeNames = nullTypeNames;
        this.columns = columns;
    }

    /**
     * Renders the queries, in order, as one statement text (joined by {@code ;}).
     *
     * @throws IllegalStateException when a query holds a bind value that is not a named parameter
     */
    public static NamedStatement render(DSLContext dsl, Query... queries) {
        StringBuilder all = new StringBuilder();
        List<String> names = new ArrayList<>();
        Map<String, Integer> types = new HashMap<>();
        Map<String, String> typeNames = new HashMap<>();
        List<Columns> columns = new ArrayList<>();
        for (Query query : queries) {
            for (Param<?> p : dsl.extractParams(query).values()) {
                if (p.getParamName() != null) {
                    types.putIfAbsent(p.getParamName(), p.getDataType().getSQLType());
                    typeNames.putIfAbsent(p.getParamName(), typeName(p.getDataType()));
                }
            }
            String named = dsl.renderNamedParams(query);
            Matcher m = NAMED.matcher(named);
            StringBuilder sql = new StringBuilder(named.length());
            while (m.find()) {
                String name = m.group(1);
                if (!Character.isLetter(name.charAt(0))) {
                    throw new IllegalStateException("statement has an unnamed bind value at position " + (names.size() + 1)
                            + "; use a named parameter for every value: " + named);
                }
                names.add(name);
                m.appendReplacement(sql, "?");
            }
            m.appendTail(sql);
            if (!all.isEmpty()) {
                all.append(";\n");
            }
            all.append(sql);
            columns.add(query instanceof ResultQuery<?> rq ? Columns.of(Arrays.asList(rq.fields())) : null);
        }
        int[] nullTypes = new int[names.size()];
        String[] nullTypeNames = new String[names.size()];
        for (int i = 0; i < nullTypes.length; i++) {
            nullTypes[i] = types.getOrDefault(names.get(i), Types.OTHER);
            nullTypeNames[i] = nullTypes[i] == Types.OTHER ? typeNames.get(names.get(i)) : null;
        }
        return new NamedStatement(all.toString(), names.toArray(String[]::new), nullTypes, nullTypeNames,
                List.copyOf(columns), queries.length);
    }

    /** The PostgreSQL type of a parameter of JDBC type {@code OTHER} that a null can be bound as, or null. */
    private static String typeName(DataType<?> type) {
        if (type.getSQLType() != Types.OTHER) {
            return null;
        }
        String name = type.getTypeName().replace("\"", "");
        int dot = name.lastIndexOf('.');
        name = (dot >= 0 ? name.substring(dot + 1) : name).toLowerCase(java.util.Locale.ROOT);
        return switch (name) {
            case "jsonb", "json", "vector", "halfvec", "uuid", "tsvector", "tsquery" -> name;
            default -> null;
        };
    }

    /** The SQL text, with {@code ?} for each value. */
    public String sql() {
        return sql;
    }

    /** The parameter names, one per {@code ?}, in order (a name may repeat). */
    public List<String> parameters() {
        return List.of(names);
    }

    /**
     * The columns of the {@code index}-th rendered query (a select, or a write with {@code RETURNING}), to read
     * its rows by field.
     *
     * @throws IllegalStateException when that query returns no rows
     */
    public Columns columns(int index) {
        Columns c = columns.get(index);
        if (c == null) {
            throw new IllegalStateException("statement " + index + " returns no rows");
        }
        return c;
    }

    /** The columns of the last query that returns rows. */
    public Columns columns() {
        for (int i = columns.size() - 1; i >= 0; i--) {
            if (columns.get(i) != null) {
                return columns.get(i);
            }
        }
        throw new IllegalStateException("no query of the statement returns rows");
    }

    /**
     * Sets every parameter from the values of this call, by name, each with its type.
     *
     * <p>Why typed: pgjdbc server-prepares a statement from its fifth execution on a connection and, when a
     * parameter had no type, describes it; from then on it sends a Sync before that statement inside a
     * multi-statement execute whenever its rows are unbounded (any text column), which ends the implicit
     * transaction of the batch and with it the {@code set_config(..., true)} of its first statement
     * ({@code NamedStatementIT}). A value whose type cannot be told (a null of an unknown {@code OTHER} type, an
     * object of another class) makes this execution of a multi-statement batch a one-shot statement instead.
     *
     * @throws IllegalStateException when a parameter has no value
     */
    public void bind(Connection connection, PreparedStatement ps, Map<String, ?> values) throws SQLException {
        bind(connection, ps, values, 0, statementCount, false);
    }

    /**
     * Binds the values from parameter {@code offset + 1} on; a batch of {@code statements} statements with a value sent
     * untyped (or any string, when the connection sends strings untyped: {@code stringsUntyped}) runs one-shot.
     */
    private void bind(Connection connection, PreparedStatement ps, Map<String, ?> values, int offset, int statements,
            boolean stringsUntyped) throws SQLException {
        boolean untyped = false;
        float[] lastVector = null;
        PGobject lastVectorText = null;
        for (int i = 0; i < names.length; i++) {
            Object value = values.get(names[i]);
            if (value == null && !values.containsKey(names[i])) {
                throw new IllegalStateException("no value for parameter " + names[i] + " of " + sql);
            }
            if (value instanceof float[] v) {
                // formatted once per call, however often the statement names it (one search arm per index range)
                if (v != lastVector) {
                    lastVector = v;
                    lastVectorText = vectorText(v);
                }
                value = lastVectorText;
            }
            untyped |= !set(connection, ps, offset + i + 1, value, nullTypes[i], nullTypeNames[i]);
        }
        if ((untyped || stringsUntyped) && statements > 1 && ps.isWrapperFor(PGStatement.class)) {
            ps.unwrap(PGStatement.class).setPrepareThreshold(0);
        }
    }

    /** Reads the rows of a statement's last query. */
    @FunctionalInterface
    public interface RowsReader<T> {
        /**
         * Reads the rows.
         *
         * @param rs the result set of the last query that returns rows; closed by the caller
         * @return what was read
         */
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * Prepares, binds and executes the statement(s) on the connection in one round trip, hands the rows of the last
     * query to the reader and closes everything.
     *
     * <p>On a connection bound to a tenant for row-level security ({@link TenantConnections#binding}), the
     * tenant's {@link TenantConnections#SET_TENANT} is rendered as the batch's own first statement (when the
     * transaction does not have it yet) and the batch runs on the connection underneath: the SQL text is the same on
     * every call, so the statement keeps its server-side prepared plan, and no proxy stands between the caller and
     * the driver (a chat turn's statements, measured with the RLS benchmark). Every value is bound typed, so the
     * driver never splits the setting from the statements after it (see {@link #bind}).
     *
     * @throws SQLException from the driver, untranslated
     * @throws IllegalStateException when a parameter has no value, or no query of the statement returns rows
     */
    public <T> T query(Connection connection, Map<String, ?> values, RowsReader<T> reader) throws SQLException {
        TenantConnections.Binding binding = TenantConnections.binding(connection);
        String tenant = binding == null ? null : binding.pendingTenant();
        Connection target = binding == null ? connection : binding.physical();
        T result;
        try (PreparedStatement ps = target.prepareStatement(tenant == null ? sql : tenantSql)) {
            if (tenant == null) {
                bind(target, ps, values, 0, statementCount, false);
            } else {
                ps.setString(1, tenant);
                bind(target, ps, values, 1, statementCount + 1, binding.stringsUntyped());
            }
            try (ResultSet rs = lastResult(ps)) {
                if (rs == null) {
                    throw new IllegalStateException("no query of the statement returns rows: " + sql);
                }
                result = reader.read(rs);
            }
        }
        if (tenant != null) {
            binding.tenantSet();
        }
        return result;
    }

    /** Prepares and binds this statement on the connection; the caller closes it. */
    public PreparedStatement prepare(Connection connection, Map<String, ?> values) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        try {
            bind(connection, ps, values);
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    /**
     * Executes the statements and moves to the result set of the last one (the earlier results, e.g. of a
     * settings select, are read and dropped). One round trip.
     *
     * @return the last result set, or null when the last statement returns none
     */
    public static ResultSet lastResult(PreparedStatement ps) throws SQLException {
        boolean isResult = ps.execute();
        ResultSet last = null;
        while (true) {
            if (isResult) {
                if (last != null) {
                    last.close();
                }
                last = ps.getResultSet();
            } else if (ps.getUpdateCount() == -1) {
                return last;
            }
            isResult = ps.getMoreResults(java.sql.Statement.KEEP_CURRENT_RESULT);
        }
    }

    /** Reads one result set of a multi-statement execute. */
    @FunctionalInterface
    public interface ResultReader {
        /**
         * Reads the rows of the result of statement {@code index} (0-based, in the order rendered).
         *
         * @param index which statement returned the rows
         * @param rs its rows; closed by the caller
         */
        void read(int index, ResultSet rs) throws SQLException;
    }

    /**
     * Executes the statements (one round trip) and hands each one's result set to the reader, in order;
     * statements without rows (an update count) are counted but not handed over.
     */
    public static void readResults(PreparedStatement ps, ResultReader reader) throws SQLException {
        boolean isResult = ps.execute();
        for (int index = 0; ; index++) {
            if (isResult) {
                try (ResultSet rs = ps.getResultSet()) {
                    reader.read(index, rs);
                }
            } else if (ps.getUpdateCount() == -1) {
                return;
            }
            isResult = ps.getMoreResults();
        }
    }

    /** Binds one value; false when PostgreSQL is left to infer its type. */
    private static boolean set(Connection connection, PreparedStatement ps, int index, Object value, int nullType,
            String nullTypeName) throws SQLException {
        switch (value) {
            case null -> {
                if (nullType != Types.OTHER) {
                    ps.setNull(index, nullType);
                } else if (nullTypeName != null) {
                    PGobject typed = new PGobject();
                    typed.setType(nullTypeName);
                    ps.setObject(index, typed);
                } else {
                    ps.setNull(index, Types.OTHER);
                    return false;
                }
            }
            case String s -> ps.setString(index, s);
            case Integer n -> ps.setInt(index, n);
            case Long n -> ps.setLong(index, n);
            case Double d -> ps.setDouble(index, d);
            case Boolean b -> ps.setBoolean(index, b);
            case UUID u -> ps.setObject(index, u);
            case float[] v -> ps.setObject(index, vectorText(v));
            case PGobject o when o.getType() != null -> ps.setObject(index, o);
            case JSONB j -> ps.setString(index, j.data());
            case UUID[] ids -> ps.setArray(index, connection.createArrayOf("uuid", ids));
            case String[] texts -> ps.setArray(index, connection.createArrayOf("text", texts));
            case java.time.OffsetDateTime t -> ps.setObject(index, t);
            default -> {
                ps.setObject(index, value);
                return false;
            }
        }
        return true;
    }

    /**
     * A vector as pgvector's text input, typed {@code vector}: the text {@link PGvector} sends, written into one
     * buffer of the right size (PGvector formats through {@code Arrays.toString} and removes the spaces, which
     * costs about three times as much CPU).
     */
    static PGobject vectorText(float[] v) {
        StringBuilder sb = new StringBuilder(v.length * 12 + 2).append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(v[i]);
        }
        PGobject o = new PGobject();
        o.setType("vector");
        try {
            o.setValue(sb.append(']').toString());
        } catch (SQLException e) {
            throw new IllegalStateException(e); // PGobject.setValue does not throw
        }
        return o;
    }

    @Override
    public String toString() {
        return "NamedStatement[" + String.join(", ", names) + "]";
    }

    /**
     * Named parameters that remember the type of the column they stand for, so that a null binds typed
     * like it ({@link NamedStatement} reads the types from the rendered query).
     */
    public static final class Params {

        private Params() {
        }

        /** A parameter named {@code name} typed like {@code like}. */
        public static <T> Param<T> param(String name, Field<T> like) {
            return DSL.param(Objects.requireNonNull(name, "name"), like.getDataType());
        }
    }
}
