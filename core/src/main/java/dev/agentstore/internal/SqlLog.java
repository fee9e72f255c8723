package dev.agentstore.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * The builder's {@code logSql(true)}: every statement agentstore runs — through jOOQ or over plain
 * JDBC — logged at DEBUG on logger {@value #LOGGER} with its duration, e.g.
 * {@code 1.84 ms  update "agentstore"."conversation_session" set ... where ... = ?}. Bind values are
 * never logged (they hold message text, embeddings and memories), only the {@code ?} placeholders. The
 * statement text is rendered once per statement by jOOQ or written once in agentstore, so the cost
 * when DEBUG is off is one level check per execution.
 */
public final class SqlLog {

    /** The logger the statements go to. */
    public static final String LOGGER = "dev.agentstore.sql";

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(LOGGER);

    private SqlLog() {
    }

    /** A data source whose connections log their statements. */
    public static DataSource wrap(DataSource dataSource) {
        return new LoggingDataSource(dataSource);
    }

    /** A connection that logs its statements; closing it closes the given one. */
    public static Connection wrap(Connection connection) {
        return proxy(Connection.class, connection, new ConnectionHandler(connection));
    }

    private static <T> T proxy(Class<T> type, Object target, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(SqlLog.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void log(String sql, long startNanos, String outcome) {
        double ms = (System.nanoTime() - startNanos) / 1_000_000.0;
        LOG.debug("{} ms{}  {}", String.format(java.util.Locale.ROOT, "%.2f", ms), outcome, sql);
    }

    private static boolean executes(Method method) {
        String name = method.getName();
        return name.startsWith("execute");
    }

    private record ConnectionHandler(Connection target) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("unwrap") && args[0] == Connection.class) {
                return proxy;
            }
            Object result = SqlLog.invoke(target, method, args);
            if (result instanceof CallableStatement cs && args != null && args.length > 0 && args[0] instanceof String sql) {
                return proxy(CallableStatement.class, cs, new StatementHandler(cs, sql));
            }
            if (result instanceof PreparedStatement ps && args != null && args.length > 0 && args[0] instanceof String sql) {
                return proxy(PreparedStatement.class, ps, new StatementHandler(ps, sql));
            }
            if (result instanceof Statement s && name.equals("createStatement")) {
                return proxy(Statement.class, s, new StatementHandler(s, null));
            }
            return result;
        }
    }

    private record StatementHandler(Statement target, String preparedSql) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (!executes(method) || !LOG.isDebugEnabled()) {
                return SqlLog.invoke(target, method, args);
            }
            String sql = preparedSql != null ? preparedSql
                    : args != null && args.length > 0 && args[0] instanceof String s ? s : "(batch)";
            long start = System.nanoTime();
            try {
                Object result = SqlLog.invoke(target, method, args);
                log(sql, start, "");
                return result;
            } catch (Throwable e) {
                log(sql, start, " FAILED (" + (e instanceof SQLException s ? "SQLSTATE " + s.getSQLState() : e.getClass().getSimpleName()) + ")");
                throw e;
            }
        }
    }

    private record LoggingDataSource(DataSource target) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return wrap(target.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return wrap(target.getConnection(username, password));
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return target.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            target.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            target.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return target.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return target.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return iface.isInstance(target) ? iface.cast(target) : target.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return iface.isInstance(target) || target.isWrapperFor(iface);
        }

        @Override
        public String toString() {
            return "logging " + target;
        }
    }
}
