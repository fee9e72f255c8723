package dev.agentstore.langchain4j;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/** A DataSource that counts the statements executed through it (every execute call of every statement). */
final class CountingDataSource {

    private final AtomicLong executed = new AtomicLong();
    private final DataSource dataSource;

    CountingDataSource(DataSource target) {
        this.dataSource = proxy(DataSource.class, target, (result, method) -> result instanceof Connection c
                ? proxy(Connection.class, c, (r, m) -> r instanceof Statement s ? statement(s) : r) : result);
    }

    DataSource dataSource() {
        return dataSource;
    }

    long executed() {
        return executed.get();
    }

    private Object statement(Statement s) {
        Class<?> type = s instanceof java.sql.CallableStatement ? java.sql.CallableStatement.class
                : s instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class;
        return proxy(type, s, (r, m) -> r);
    }

    private interface After {
        Object apply(Object result, Method method);
    }

    private <T> T proxy(Class<T> type, Object target, After after) {
        InvocationHandler handler = (p, method, args) -> {
            if (method.getName().startsWith("execute") && target instanceof Statement) {
                executed.incrementAndGet();
            }
            try {
                return after.apply(method.invoke(target, args), method);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        Object p = Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler);
        return type.cast(p);
    }
}
