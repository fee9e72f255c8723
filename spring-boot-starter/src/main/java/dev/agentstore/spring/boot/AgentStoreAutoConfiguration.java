package dev.agentstore.spring.boot;

import dev.agentstore.AgentStore;
import dev.agentstore.observe.StoreObserver;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Auto-configures an {@link AgentStore} from the {@code agentstore.*} properties: over the application's
 * {@link DataSource} bean when there is one (agentstore never closes it), otherwise over a pool of its
 * own when {@code agentstore.jdbc.url} is set (closed with the context). The Actuator health indicator
 * comes from {@link AgentStoreHealthAutoConfiguration}, the Micrometer observer from
 * {@link AgentStoreMetricsAutoConfiguration}, the Spring AI beans from
 * {@link AgentStoreVectorStoreAutoConfiguration} and
 * {@link AgentStoreChatMemoryAutoConfiguration}.
 *
 * <p>agentstore migrates with a Flyway of its own (scripts outside {@code db/migration}, history table
 * {@code agentstore_schema_history} in its own schema), so it neither sees nor disturbs the application's
 * Flyway migrations. Turn migration on with {@code agentstore.migrate-on-start=true}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(AgentStore.class)
@ConditionalOnProperty(prefix = "agentstore", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AgentStoreProperties.class)
public class AgentStoreAutoConfiguration {

    /** The store: the application's DataSource if it has one, else a pool from {@code agentstore.jdbc.url}. */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(DataSourceAvailable.class)
    public AgentStore agentStore(AgentStoreProperties properties, ObjectProvider<DataSource> dataSources,
            ObjectProvider<StoreObserver> observers) {
        AgentStore.Builder builder = AgentStore.builder();
        DataSource dataSource = dataSources.getIfUnique();
        if (dataSource != null) {
            builder.dataSource(dataSource);
        } else if (properties.getJdbc().getUrl() != null) {
            AgentStoreProperties.Jdbc jdbc = properties.getJdbc();
            builder.jdbcUrl(jdbc.getUrl()).user(jdbc.getUsername()).password(jdbc.getPassword())
                    .poolSize(jdbc.getPoolSize()).connectionTimeout(jdbc.getConnectionTimeout());
            if (jdbc.getMinimumIdle() != null) {
                builder.minimumIdle(jdbc.getMinimumIdle());
            }
        } else {
            throw new IllegalStateException("agentstore found several DataSource beans and none is @Primary: mark the one"
                    + " agentstore should use @Primary, or define your own AgentStore bean");
        }
        builder.schema(properties.getSchema())
                .migrateOnStart(properties.isMigrateOnStart())
                .validateOnStart(properties.isValidateOnStart())
                .maxMessageLength(properties.getLimits().getMaxMessageLength())
                .maxChunkLength(properties.getLimits().getMaxChunkLength())
                .maxMemoryLength(properties.getLimits().getMaxMemoryLength())
                .embeddingBatchSize(properties.getLimits().getEmbeddingBatchSize())
                .ingestLease(properties.getIngestLease());
        if (properties.getIndexBuildWorkers() != null) {
            builder.indexBuildWorkers(properties.getIndexBuildWorkers());
        }
        if (properties.getEmbeddingDimension() != null) {
            builder.embeddingDimension(properties.getEmbeddingDimension());
        }
        // a MicrometerStoreObserver from AgentStoreMetricsAutoConfiguration, or the application's own
        builder.observer(observers.getIfUnique());
        return builder.build();
    }

    /** A DataSource bean exists, or {@code agentstore.jdbc.url} is set. */
    static class DataSourceAvailable extends AnyNestedCondition {

        DataSourceAvailable() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(DataSource.class)
        static class HasDataSource {
        }

        @ConditionalOnProperty(prefix = "agentstore.jdbc", name = "url")
        static class HasUrl {
        }
    }
}
