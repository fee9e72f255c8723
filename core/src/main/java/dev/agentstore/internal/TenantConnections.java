package dev.agentstore.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import javax.sql.DataSource;
import org.jooq.ConnectionProvider;
import org.postgresql.PGStatement;
import org.postgresql.core.BaseConnection;
import org.jooq.exception.DataAccessException;

/**
 * Connections bound to one tenant for row-level security: every transaction on them sets
 * {@code set_config('agentstore.tenant', <tenant>, true)} before its first statement,
 * transaction-locally, so the setting ends with the transaction and never reaches the next borrower
 * of a pooled connection.
 *
 * <p>No extra round trip: the {@code set_config} is sent as the first statement of the same
 * {@code execute} as the caller's statement ({@code SELECT set_config(...); <statement>}), which
 * PostgreSQL runs in one transaction, the implicit one in auto-commit mode. Parameter indices are
 * shifted and the setting's result is skipped, so callers see their own statement only. In a
 * transaction, only the first statement carries it; after a commit or rollback, the next one again.
 * A connection already inside the host's transaction gets the tenant in that transaction (it lasts
 * until the host's transaction ends); on a joined transaction's connection ({@link #joining}) every
 * statement carries it. A statement with a parameter pgjdbc sends without a type runs as a one-shot
 * statement, never server-prepared, so the driver cannot split it from the setting (see
 * {@code Prefixed#run}).
 *
 * <p>Thread-safe; each acquired connection is used by one thread at a time, as JDBC requires.
 */
public final class TenantConnections implements ConnectionProvider {

    /** The transaction-local setting the row-level security policies read. */
    public static final String SETTING = "agentstore.tenant";
    /**
     * The statement that sets the tenant transaction-locally; its one parameter is the tenant. Sent as the first
     * statement of the same execute as the caller's statement(s).
     */
    public static final String SET_TENANT = "SELECT set_config('" + SETTING + "', ?, true)";
    private static final String PREFIX = SET_TENANT + "; ";

    /**
     * The tenant set in the current transaction of each physical connection, shared by every wrapper of
     * it: two tenants' facades used in one host transaction must each set their own tenant again.
     */
    private static final Map<Connection, String> CURRENT = Collections.synchronizedMap(new WeakHashMap<>());

    private final DataSource dataSource;
    private final String tenant;

    /**
     * @param dataSource where connections come from
     * @param tenant the tenant every transaction on these connections is bound to
     */
    public TenantConnections(DataSource dataSource, String tenant) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.tenant = Checks.wellFormed(Objects.requireNonNull(tenant, "tenant"), "tenant id");
    }

    /** The tenant of these connections. */
    public String tenant() {
        return tenant;
    }

    @Override
    public Connection acquire() {
        try {
            return wrap(dataSource.getConnection());
        } catch (SQLException e) {
            throw new DataAccessException("cannot get a connection: " + e.getMessage(), e);
        }
    }

    @Override
    public void release(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new DataAccessException("cannot return a connection: " + e.getMessage(), e);
        }
    }

    /**
     * Connections of a host's (or the store's own) transaction, bound to a tenant: the tenant is set
     * with every statement (the host may roll back to a savepoint or switch tenants on that connection
     * behind this provider's back, so no "already set" state is kept), and nothing is closed here (the
     * transaction's owner does that).
     *
     * @param transaction the transaction's connection
     * @param tenant the tenant its statements are bound to
     */
    public static ConnectionProvider joining(BoundConnection transaction, String tenant) {
        Objects.requireNonNull(transaction, "transaction");
        String checked = Checks.wellFormed(Objects.requireNonNull(tenant, "tenant"), "tenant id");
        return new ConnectionProvider() {
            @Override
            public Connection acquire() {
                return bind(transaction.acquire(), checked, true);
            }

            @Override
            public void release(Connection connection) {
                // the transaction's owner closes it
            }
        };
    }

    private static Connection bind(Connection physical, String tenant, boolean everyStatement) {
        return (Connection) Proxy.newProxyInstance(TenantConnections.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new Bound(physical, tenant, everyStatement));
    }

    /** The connection, bound to this provider's tenant. */
    public Connection wrap(Connection physical) {
        return bind(physical, tenant, false);
    }

    /**
     * For a statement that sets the tenant itself ({@link NamedStatement#query}): the binding of a tenant-bound
     * connection of this class, or null for any other connection. Such a statement renders {@link #SET_TENANT}
     * as its own first statement, once, and runs on {@link Binding#physical()}: the same SQL text on every call,
     * so it keeps its prepared statements, and no proxy between the caller and the driver.
     */
    public static Binding binding(Connection connection) {
        if (connection != null && Proxy.isProxyClass(connection.getClass())
                && Proxy.getInvocationHandler(connection) instanceof Bound bound) {
            return new Binding(bound);
        }
        return null;
    }

    /** What a statement that sets the tenant itself needs to know about a tenant-bound connection. */
    public static final class Binding {
        private final Bound bound;

        private Binding(Bound bound) {
            this.bound = bound;
        }

        /** The connection underneath (the pool's), for the statement to run on; not to be closed. */
        public Connection physical() {
            return bound.physical;
        }

        /**
         * The tenant the next statement must set ({@link #SET_TENANT} as its first statement), or null when
         * this transaction has it set already.
         */
        public String pendingTenant() throws SQLException {
            return bound.needsTenant() ? bound.tenant : null;
        }

        /**
         * Whether the driver sends strings without a type ({@code stringtype=unspecified}): then a batch with
         * the setting must run one-shot (see {@code Prefixed#run}).
         */
        public boolean stringsUntyped() throws SQLException {
            return bound.stringsUntyped();
        }

        /** Records that a statement with {@link #SET_TENANT} ran (so the rest of the transaction has the tenant). */
        public void tenantSet() throws SQLException {
            bound.tenantSet();
        }
    }

    /** The state of one bound connection. */
    private static final class Bound implements InvocationHandler {
        private final Connection physical;
        private final String tenant;
        private final boolean everyStatement;

        Bound(Connection physical, String tenant, boolean everyStatement) {
            this.physical = physical;
            this.tenant = tenant;
            this.everyStatement = everyStatement;
        }

        /**
         * Whether the next statement must set the tenant: always in auto-commit mode and on a joined
         * transaction's connection, else once per transaction.
         */
        private boolean needsTenant() throws SQLException {
            return everyStatement || physical.getAutoCommit() || !tenant.equals(CURRENT.get(physical));
        }

        /** Whether the driver sends strings without a type ({@code stringtype=unspecified}). */
        private boolean stringsUntyped() throws SQLException {
            return physical.isWrapperFor(BaseConnection.class) && !physical.unwrap(BaseConnection.class).getStringVarcharFlag();
        }

        /** Records that the current transaction has this tenant set. */
        private void tenantSet() throws SQLException {
            if (!physical.getAutoCommit()) {
                CURRENT.put(physical, tenant);
            }
        }

        /** Sets the tenant with a statement of its own (for APIs that bypass statements, e.g. COPY). */
        private void setTenantNow() throws SQLException {
            if (!needsTenant() || physical.getAutoCommit()) {
                return; // in auto-commit there is no transaction to set it in; COPY into our tables needs one
            }
            try (PreparedStatement ps = physical.prepareStatement(PREFIX.substring(0, PREFIX.length() - 2))) {
                ps.setString(1, tenant);
                ps.execute();
            }
            tenantSet();
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "prepareStatement" -> {
                    boolean plain = args.length == 1; // prepareStatement(String), what jOOQ calls: no reflection
                    if (!needsTenant()) {
                        return plain ? physical.prepareStatement((String) args[0]) : call(physical, method, args);
                    }
                    PreparedStatement ps;
                    if (plain) {
                        ps = physical.prepareStatement(PREFIX + args[0]);
                    } else {
                        Object[] shifted = args.clone();
                        shifted[0] = PREFIX + args[0];
                        ps = (PreparedStatement) call(physical, method, shifted);
                    }
                    ps.setString(1, tenant);
                    return Proxy.newProxyInstance(TenantConnections.class.getClassLoader(),
                            new Class<?>[] {PreparedStatement.class}, new Prefixed(this, ps, stringsUntyped()));
                }
                case "createStatement", "prepareCall" -> {
                    setTenantNow();
                    if (physical.getAutoCommit()) {
                        throw new SQLException("agentstore: plain and callable statements are not supported in auto-commit mode"
                                + " on a tenant-bound connection; use a PreparedStatement or a transaction", "0A000");
                    }
                    return call(physical, method, args);
                }
                case "commit", "rollback", "setAutoCommit" -> {
                    try {
                        return call(physical, method, args);
                    } finally {
                        // a new transaction begins; a rollback to a savepoint taken before the tenant was set
                        // undoes the setting too, so any rollback sets it again before the next statement
                        CURRENT.remove(physical);
                    }
                }
                case "unwrap" -> {
                    Class<?> type = (Class<?>) args[0];
                    if (type.isInstance(proxy)) {
                        return proxy;
                    }
                    setTenantNow(); // e.g. COPY through the driver's own API, inside a transaction
                    return physical.unwrap(type);
                }
                case "isWrapperFor" -> {
                    return ((Class<?>) args[0]).isInstance(proxy) || physical.isWrapperFor((Class<?>) args[0]);
                }
                case "close" -> {
                    physical.close();
                    return null;
                }
                case "getAutoCommit" -> {
                    return physical.getAutoCommit();
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "TenantConnection[tenant=" + tenant + ", " + physical + "]";
                }
                default -> {
                    return call(physical, method, args);
                }
            }
        }
    }

    /** A statement prefixed with the tenant's set_config: parameter 1 is the tenant, the first result is skipped. */
    private static final class Prefixed implements InvocationHandler {
        private final Bound connection;
        private final PreparedStatement statement;
        private final boolean stringsUntyped;
        /** Whether a value of the current parameters goes to the server without a type (see {@link #run}). */
        private boolean untyped;

        Prefixed(Bound connection, PreparedStatement statement, boolean stringsUntyped) {
            this.connection = connection;
            this.statement = statement;
            this.stringsUntyped = stringsUntyped;
            this.untyped = stringsUntyped; // the tenant itself is a string
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            Class<?>[] types = method.getParameterTypes();
            if (name.startsWith("set") && types.length >= 2 && types[0] == int.class
                    && method.getDeclaringClass() == PreparedStatement.class) {
                untyped |= sentWithoutType(name, args)
                        || (stringsUntyped && (name.equals("setString") || name.equals("setNString")));
                int index = (Integer) args[0] + 1;
                if (types.length == 2 && set(name, index, args[1])) {
                    return null;
                }
                Object[] shifted = args.clone();
                shifted[0] = index;
                return call(statement, method, shifted);
            }
            switch (name) {
                case "close" -> {
                    statement.close();
                    return null;
                }
                case "getResultSet" -> {
                    return statement.getResultSet();
                }
                case "getUpdateCount" -> {
                    return statement.getUpdateCount();
                }
                case "getWarnings" -> {
                    return statement.getWarnings();
                }
                case "clearParameters" -> {
                    untyped = stringsUntyped;
                    statement.clearParameters();
                    statement.setString(1, connection.tenant);
                    return null;
                }
                case "executeQuery" -> {
                    if (types.length == 0) {
                        run();
                        return statement.getResultSet();
                    }
                    return call(statement, method, args);
                }
                case "executeUpdate" -> {
                    if (types.length == 0) {
                        run();
                        return statement.getUpdateCount();
                    }
                    return call(statement, method, args);
                }
                case "executeLargeUpdate" -> {
                    if (types.length == 0) {
                        run();
                        return statement.getLargeUpdateCount();
                    }
                    return call(statement, method, args);
                }
                case "execute" -> {
                    if (types.length == 0) {
                        return run();
                    }
                    return call(statement, method, args);
                }
                case "addBatch", "executeBatch", "executeLargeBatch" -> throw new SQLException(
                        "agentstore: batches are not supported on a tenant-bound connection; use multi-row statements", "0A000");
                case "unwrap" -> {
                    return ((Class<?>) args[0]).isInstance(proxy) ? proxy : statement.unwrap((Class<?>) args[0]);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                default -> {
                    return call(statement, method, args);
                }
            }
        }

        /**
         * Calls the setters agentstore and jOOQ use most directly, without reflection (a chat turn's statement sets
         * 15 to 30 values); false for any other setter.
         */
        private boolean set(String name, int index, Object value) throws SQLException {
            switch (name) {
                case "setString" -> statement.setString(index, (String) value);
                case "setObject" -> statement.setObject(index, value);
                case "setNull" -> statement.setNull(index, (Integer) value);
                case "setInt" -> statement.setInt(index, (Integer) value);
                case "setLong" -> statement.setLong(index, (Long) value);
                case "setBoolean" -> statement.setBoolean(index, (Boolean) value);
                case "setDouble" -> statement.setDouble(index, (Double) value);
                case "setTimestamp" -> statement.setTimestamp(index, (java.sql.Timestamp) value);
                default -> {
                    return false;
                }
            }
            return true;
        }

        /**
         * Executes both statements, skips the setting's result; true when the caller's statement returned rows.
         *
         * <p>When a parameter goes without a type, the execution is a one-shot (unnamed) statement. Why:
         * pgjdbc server-prepares a statement from its fifth execution on a connection ({@code prepareThreshold})
         * and, if a parameter then had no type, also <em>describes</em> it; from then on
         * {@code QueryExecutorImpl.flushIfDeadlockRisk} sends a Sync before the caller's statement whenever its
         * rows are unbounded (any text column). In auto-commit mode that Sync ends the implicit transaction and
         * the transaction-local tenant with it: the caller's statement then saw no rows (found by
         * {@code LeastPrivilegeIT}, pinned by {@code RowLevelSecurityIT}). A statement server-prepared with typed
         * parameters only is never described, so typed statements keep their prepared plans.
         */
        private boolean run() throws SQLException {
            if (untyped && statement.isWrapperFor(PGStatement.class)) {
                statement.unwrap(PGStatement.class).setPrepareThreshold(0);
            }
            statement.execute();
            boolean rows = statement.getMoreResults();
            connection.tenantSet();
            return rows;
        }
    }

    /**
     * Whether pgjdbc sends the value of this setter call without a type ({@code Oid.UNSPECIFIED}); when
     * unsure, true (the statement then only loses its server-side prepared plan).
     */
    private static boolean sentWithoutType(String setter, Object[] args) {
        return switch (setter) {
            case "setInt", "setLong", "setShort", "setByte", "setBoolean", "setDouble", "setFloat", "setBigDecimal",
                    "setBytes", "setDate", "setTime", "setTimestamp", "setArray" -> false;
            case "setString", "setNString" -> false; // varchar, unless stringtype=unspecified (see Prefixed)
            case "setNull" -> !(args[1] instanceof Integer t) || UNTYPED_SQL_TYPES.contains(t);
            case "setObject" -> {
                if (args.length >= 3 && args[2] instanceof Integer t && UNTYPED_SQL_TYPES.contains(t)) {
                    yield !(args[1] instanceof org.postgresql.util.PGobject);
                }
                Object v = args[1];
                yield !(v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof java.util.UUID
                        || v instanceof byte[] || v instanceof java.time.temporal.Temporal || v instanceof java.util.Date
                        || v instanceof java.sql.Array || v instanceof org.postgresql.util.PGobject);
            }
            default -> true;
        };
    }

    private static final java.util.Set<Integer> UNTYPED_SQL_TYPES = java.util.Set.of(java.sql.Types.OTHER, java.sql.Types.NULL,
            java.sql.Types.JAVA_OBJECT, java.sql.Types.DISTINCT, java.sql.Types.STRUCT, java.sql.Types.REF_CURSOR);

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
