package dev.agentstore.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentstore.AgentStore;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.micrometer.MicrometerStoreObserver;
import dev.agentstore.observe.StoreObserver;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The Micrometer observer is auto-configured when the application has a MeterRegistry (with Spring Boot's managed
 * Micrometer on the class path), and the store reports to it; without a registry or without agentstore-micrometer
 * there is none.
 */
@AgentStoreTest(dimension = 8)
class AgentStoreMetricsAutoConfigurationIT {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AgentStoreAutoConfiguration.class, AgentStoreMetricsAutoConfiguration.class));

    private static HikariDataSource pool(TestDatabase db) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(db.jdbcUrl());
        ds.setUsername(db.user());
        ds.setPassword(db.password());
        ds.setMaximumPoolSize(3);
        return ds;
    }

    @Test
    void with_a_meter_registry_the_store_times_its_operations_and_gauges_the_pool(TestDatabase db) {
        try (HikariDataSource ds = pool(db)) {
            runner.withBean(DataSource.class, () -> ds).withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(ctx -> {
                assertThat(ctx).hasSingleBean(MicrometerStoreObserver.class);
                MeterRegistry registry = ctx.getBean(MeterRegistry.class);
                Conversations chats = ctx.getBean(AgentStore.class).conversations("metrics");
                chats.addMessage(chats.open(NewSession.of("alice", "helper")).id(), NewMessage.user("hi"));
                assertThat(registry.find(MicrometerStoreObserver.TIMER)
                        .tags("operation", "message.append", "outcome", "success").timer().count()).isEqualTo(1);
                assertThat(registry.find(MicrometerStoreObserver.POOL_PREFIX + "max").gauge().value()).isEqualTo(3.0);
                System.out.println("Micrometer on the starter's test class path: "
                        + MeterRegistry.class.getPackage().getImplementationVersion());
            });
        }
    }

    @Test
    void without_a_meter_registry_there_is_no_observer(TestDatabase db) {
        try (HikariDataSource ds = pool(db)) {
            runner.withBean(DataSource.class, () -> ds).run(ctx -> {
                assertThat(ctx).hasSingleBean(AgentStore.class);
                assertThat(ctx).doesNotHaveBean(StoreObserver.class);
            });
        }
    }

    @Test
    void without_agentstore_micrometer_on_the_class_path_there_is_no_observer_and_the_store_works(TestDatabase db) {
        try (HikariDataSource ds = pool(db)) {
            runner.withClassLoader(new FilteredClassLoader(MicrometerStoreObserver.class))
                    .withBean(DataSource.class, () -> ds).withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(ctx -> {
                        assertThat(ctx).hasNotFailed();
                        assertThat(ctx).doesNotHaveBean(StoreObserver.class);
                        Conversations chats = ctx.getBean(AgentStore.class).conversations("metrics");
                        assertThat(chats.addMessage(chats.open(NewSession.of("bob", "helper")).id(), NewMessage.user("hi"))
                                .content()).isEqualTo("hi");
                        assertThat(ctx.getBean(MeterRegistry.class).find(MicrometerStoreObserver.TIMER).timers()).isEmpty();
                    });
        }
    }

    @Test
    void an_application_observer_replaces_the_micrometer_one(TestDatabase db) {
        StoreObserver own = (operation, outcome, nanos, failure) -> { };
        try (HikariDataSource ds = pool(db)) {
            runner.withBean(DataSource.class, () -> ds).withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                    .withBean(StoreObserver.class, () -> own).run(ctx -> {
                        assertThat(ctx).doesNotHaveBean(MicrometerStoreObserver.class);
                        assertThat(ctx.getBean(StoreObserver.class)).isSameAs(own);
                    });
        }
    }
}
