/**
 * Agents and their runs: a versioned agent registry (immutable numbered versions with a content
 * hash, the active version, retirement), teams with a mode and ordered members, links from an agent
 * version to its tools and knowledge bases, every run of an agent version recorded in one call
 * (retrieved chunks, tool calls, routing, tokens, cost, outcome; quality and feedback later), and
 * statistics in SQL. {@link dev.agentstore.agents.Agents} is the facade, reached through
 * {@code AgentStore.agents(tenant)}; every call is scoped to that tenant. The value types are
 * immutable records.
 */
package dev.agentstore.agents;
