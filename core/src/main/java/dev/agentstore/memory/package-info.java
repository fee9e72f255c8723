/**
 * Agent memory: key/value state per agent and scope (the agent itself, one user, or one
 * conversation session) with versions for optimistic concurrency and optional expiry, and semantic
 * ("deep") memories that are stored once per content, reinforced when remembered again, and
 * recalled by a documented score of similarity, importance and recency. Reached through
 * {@link dev.agentstore.AgentStore#memory(dev.agentstore.TenantId)}; start with {@link dev.agentstore.memory.Memory}.
 */
package dev.agentstore.memory;
