/**
 * Knowledge search: vector (HNSW, per knowledge-base distance metric), full-text ({@code tsvector},
 * per knowledge-base text-search configuration) and hybrid (score fusion or Reciprocal Rank Fusion) search over the
 * deduplicated chunks of {@link dev.agentstore.document}, with typed {@link dev.agentstore.knowledge.Filter}s
 * on documents, a minimum score and per-request pgvector tuning. Entry point:
 * {@link dev.agentstore.knowledge.Knowledge}, obtained from {@code AgentStore.knowledge(tenant)}.
 */
package dev.agentstore.knowledge;
