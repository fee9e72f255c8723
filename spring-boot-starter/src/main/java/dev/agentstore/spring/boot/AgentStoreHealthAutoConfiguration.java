package dev.agentstore.spring.boot;

import dev.agentstore.AgentStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The Actuator health component {@code agentstore} ({@link AgentStoreHealthIndicator}), when
 * spring-boot-health is on the classpath and an {@link AgentStore} bean exists. Turn it off with
 * {@code management.health.agentstore.enabled=false}.
 */
@AutoConfiguration(after = AgentStoreAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, AgentStore.class})
@ConditionalOnBean(AgentStore.class)
@ConditionalOnEnabledHealthIndicator("agentstore")
public class AgentStoreHealthAutoConfiguration {

    /** The health indicator over the store. */
    @Bean
    @ConditionalOnMissingBean(name = "agentstoreHealthIndicator")
    public AgentStoreHealthIndicator agentstoreHealthIndicator(AgentStore store) {
        return new AgentStoreHealthIndicator(store);
    }
}
