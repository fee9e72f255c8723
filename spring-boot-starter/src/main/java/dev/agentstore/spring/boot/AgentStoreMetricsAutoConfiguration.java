package dev.agentstore.spring.boot;

import dev.agentstore.micrometer.MicrometerStoreObserver;
import dev.agentstore.observe.StoreObserver;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer metrics of the auto-configured store: when {@code agentstore-micrometer} is on the class path and the
 * application has a {@link MeterRegistry} bean (e.g. from Actuator), a {@link MicrometerStoreObserver} over it,
 * which {@link AgentStoreAutoConfiguration} hands to the store. An application's own {@link StoreObserver} bean
 * replaces it; without a registry there is no observer and the store measures nothing.
 */
@AutoConfiguration(before = AgentStoreAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, MicrometerStoreObserver.class})
public class AgentStoreMetricsAutoConfiguration {

    /** The observer recording the store's operation timers and pool gauges into the application's registry. */
    @Bean
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnMissingBean(StoreObserver.class)
    public MicrometerStoreObserver agentStoreObserver(MeterRegistry registry) {
        return MicrometerStoreObserver.of(registry);
    }
}
