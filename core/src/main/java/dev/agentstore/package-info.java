/**
 * agentstore: a typed data layer for agentic and RAG applications on PostgreSQL with pgvector.
 * {@link dev.agentstore.AgentStore} is the entry point; its capabilities live in the sub-packages
 * {@code conversation}, {@code document}, {@code knowledge} and {@code memory}; the generated jOOQ
 * tables for custom queries are in {@code dev.agentstore.schema}. All exceptions extend
 * {@link dev.agentstore.AgentStoreException}.
 */
package dev.agentstore;
