package dev.agentstore.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link AgentStoreTest}: creates the test class's database on first
 * use and resolves {@link TestDatabase} and {@link TestPostgres} parameters.
 */
public final class AgentStoreExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AgentStoreExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == TestPostgres.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == TestPostgres.class) {
            return TestPostgres.shared();
        }
        Class<?> testClass = context.getRequiredTestClass();
        AgentStoreTest config = AnnotationSupport.findAnnotation(testClass, AgentStoreTest.class)
                .orElseThrow(() -> new ParameterResolutionException(testClass.getName()
                        + " asks for a TestDatabase but is not annotated with @AgentStoreTest"));
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(testClass, c -> {
            TestPostgres server = TestPostgres.shared();
            return config.migrated()
                    ? server.createDatabase(config.schema(), config.dimension())
                    : server.createEmptyDatabase();
        }, TestDatabase.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }
}
