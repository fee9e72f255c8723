/**
 * Spring Boot auto-configuration of agentstore: an {@link dev.agentstore.AgentStore} bean bound to the
 * {@code agentstore.*} properties ({@link dev.agentstore.spring.boot.AgentStoreProperties}), an Actuator
 * health indicator, and (with Spring AI) a {@code VectorStore} and a {@code ChatMemoryRepository}.
 */
package dev.agentstore.spring.boot;
