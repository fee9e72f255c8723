package dev.agentstore.testkit;

import dev.agentstore.migrations.AgentStoreMigrations;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit 5 test class its own database on a real PostgreSQL with pgvector (see
 * {@link TestPostgres} for where the server comes from), migrated with agentstore's migrations.
 * Declare a {@link TestDatabase} parameter on a constructor, a lifecycle method or a test method
 * to receive it; {@link TestPostgres} parameters are resolved too.
 *
 * <pre>{@code
 * @AgentStoreTest(dimension = 3)
 * class MyIT {
 *     @Test
 *     void works(TestDatabase db) { ... }
 * }
 * }</pre>
 *
 * Test classes do not share databases, so they may run in parallel.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(AgentStoreExtension.class)
public @interface AgentStoreTest {

    /** The agentstore schema name. */
    String schema() default AgentStoreMigrations.DEFAULT_SCHEMA;

    /** The embedding dimension of the migrated schema. */
    int dimension() default AgentStoreMigrations.DEFAULT_EMBEDDING_DIMENSION;

    /** Whether to apply the migrations; false gives an empty database (no schema, no pgvector extension). */
    boolean migrated() default true;
}
