package dev.agentstore.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.AgentStoreException;
import dev.agentstore.internal.JooqCompatibility;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * This module's dependency management forces jOOQ 3.19 under agentstore-core, as Spring Boot 3.5's and
 * 4.0's do. The store must refuse to build, before touching the database, with both versions and the fix.
 */
class OldJooqFailsFastTest {

    @Test
    void the_build_really_runs_on_the_old_jooq() {
        assertThat(JooqCompatibility.runtimeVersion()).isEqualTo(System.getProperty("old.jooq.version")).startsWith("3.19.");
        assertThat(JooqCompatibility.COMPILED_AGAINST).startsWith("3.21.");
    }

    @Test
    void building_a_store_fails_fast_naming_both_versions_and_the_jooq_version_property() {
        AtomicInteger connections = new AtomicInteger();
        DataSource dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    connections.incrementAndGet();
                    throw new AssertionError("the check must run before any connection is asked for");
                });

        assertThatThrownBy(() -> AgentStore.builder().dataSource(dataSource).build())
                .isInstanceOf(AgentStoreException.class)
                .hasMessageContaining("jOOQ " + System.getProperty("old.jooq.version"))
                .hasMessageContaining("built against " + JooqCompatibility.COMPILED_AGAINST)
                .hasMessageContaining("<jooq.version>" + JooqCompatibility.COMPILED_AGAINST + "</jooq.version>")
                .hasMessageContaining("Spring Boot 3.x");
        assertThat(connections).hasValue(0);
    }
}
