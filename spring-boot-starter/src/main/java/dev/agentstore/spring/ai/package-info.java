/**
 * Spring AI on agentstore: {@link dev.agentstore.spring.ai.AgentStoreVectorStore} (a {@code VectorStore})
 * and {@link dev.agentstore.spring.ai.AgentStoreChatMemoryRepository} (a {@code ChatMemoryRepository}).
 * Usable without Spring Boot; the starter's auto-configuration creates both when Spring AI is present.
 */
package dev.agentstore.spring.ai;
