/**
 * Conversations: chat history of agents. Sessions per user and agent, messages with a gapless
 * per-session sequence number, the sources an answer used, response times and token counts,
 * feedback on answers, retention and per-agent statistics. {@link dev.agentstore.conversation.Conversations}
 * is the facade, reached through {@code AgentStore.conversations(tenant)}; every call is scoped to
 * that tenant. The value types are immutable records.
 */
package dev.agentstore.conversation;
