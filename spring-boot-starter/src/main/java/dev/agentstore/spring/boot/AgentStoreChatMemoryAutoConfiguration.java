package dev.agentstore.spring.boot;

import dev.agentstore.AgentStore;
import dev.agentstore.spring.ai.AgentStoreChatMemoryRepository;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Spring AI's {@link ChatMemoryRepository} on agentstore's conversations
 * ({@link AgentStoreChatMemoryRepository}), when spring-ai-model is on the classpath, an {@link AgentStore}
 * bean exists and the application defines no repository of its own. Runs before Spring AI's
 * {@code ChatMemoryAutoConfiguration}, so its {@code MessageWindowChatMemory} is built on this repository
 * instead of the in-memory one. Off with {@code agentstore.chat-memory.enabled=false}.
 */
@AutoConfiguration(after = AgentStoreAutoConfiguration.class,
        beforeName = "org.springframework.ai.model.chat.memory.autoconfigure.ChatMemoryAutoConfiguration")
@ConditionalOnClass({ChatMemoryRepository.class, AgentStore.class})
@ConditionalOnBean(AgentStore.class)
@ConditionalOnProperty(prefix = "agentstore.chat-memory", name = "enabled", havingValue = "true", matchIfMissing = true)
public class AgentStoreChatMemoryAutoConfiguration {

    /** The repository in the tenant of {@code agentstore.tenant}. */
    @Bean
    @ConditionalOnMissingBean(ChatMemoryRepository.class)
    public AgentStoreChatMemoryRepository agentStoreChatMemoryRepository(AgentStore store, AgentStoreProperties properties) {
        return AgentStoreChatMemoryRepository.builder(store)
                .tenant(properties.getTenant())
                .agentId(properties.getChatMemory().getAgentId())
                .build();
    }
}
