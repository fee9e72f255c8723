-- agentstore schema, version 9: a denser HNSW graph for semantic memories (issue #11).
--
-- Measured with the memory benchmark (100,000 memories of 20 agents, 384 dimensions, 100 seeded
-- clusters; recall@10 of one agent's 50,000 memories against the exact top 10, similarity-only
-- scoring, 200 queries): with m = 16, ef_construction = 64 some queries found one or none of the
-- exact ten (minimum 0.0-0.1, also at hnsw.ef_search 400: the graph does not connect the clusters
-- well enough); with m = 32, ef_construction = 128 the mean and the minimum were 1.000 at
-- ef_search 100. The index is about twice as large and takes about twice as long to build, and
-- each remembered memory costs more to insert into it.
DROP INDEX memory_embedding_idx;
CREATE INDEX memory_embedding_idx ON memory USING hnsw (embedding vector_cosine_ops)
  WITH (m = 32, ef_construction = 128);
