package dev.agentstore.spring.boot;

import dev.agentstore.AgentStore;
import dev.agentstore.spring.ai.AgentStoreVectorStore;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationConvention;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Spring AI's {@link VectorStore} on agentstore ({@link AgentStoreVectorStore}), when spring-ai-vector-store
 * is on the classpath, an {@link AgentStore} and an {@link EmbeddingModel} bean exist and the application
 * defines no VectorStore of its own. Ordered last, so that the embedding model auto-configurations of
 * Spring AI have run. Observed through the application's {@link ObservationRegistry} when it has one.
 * Off with {@code agentstore.vector-store.enabled=false}.
 */
@AutoConfiguration(after = AgentStoreAutoConfiguration.class)
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
@ConditionalOnClass({VectorStore.class, EmbeddingModel.class, AgentStore.class})
@ConditionalOnBean({AgentStore.class, EmbeddingModel.class})
@ConditionalOnProperty(prefix = "agentstore.vector-store", name = "enabled", havingValue = "true", matchIfMissing = true)
public class AgentStoreVectorStoreAutoConfiguration {

    /** The vector store over the tenant and knowledge base of {@code agentstore.*}. */
    @Bean
    @ConditionalOnMissingBean(VectorStore.class)
    public AgentStoreVectorStore agentStoreVectorStore(AgentStore store, EmbeddingModel embeddingModel,
            AgentStoreProperties properties, ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<VectorStoreObservationConvention> convention) {
        AgentStoreVectorStore.Builder builder = AgentStoreVectorStore.builder(store, embeddingModel)
                .tenant(properties.getTenant())
                .knowledgeBase(properties.getVectorStore().getKnowledgeBase())
                .metric(properties.getVectorStore().getMetric())
                .observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
        VectorStoreObservationConvention custom = convention.getIfAvailable();
        if (custom != null) {
            builder.customObservationConvention(custom);
        }
        return builder.build();
    }
}
