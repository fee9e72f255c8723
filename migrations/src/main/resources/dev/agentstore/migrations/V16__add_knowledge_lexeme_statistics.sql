-- agentstore schema, version 16: lexeme statistics for the full-text arm of knowledge search (issue #11).
--
--   * memory: fillfactor 70, so that the access update of a recall is a heap-only tuple (see the end).
--   * knowledge_lexeme_stats returns, for the lexemes of a query, their share of a knowledge base's chunks
--     as ANALYZE measured it (the element statistics of its partition's content_tsv column), the smallest
--     share listed, and the partition's estimated rows. The full-text arm weighs each query lexeme by its
--     rarity (idf) with these. The view pg_stats hides the statistics of a table with row-level security
--     from every role the policies bind, so a runtime role saw none and the arm weighed all lexemes
--     equally; this function runs as the owner (SECURITY DEFINER), reads only agentstore's own chunk
--     partitions, and answers only for a knowledge base of the tenant asked for (and, when the session is
--     bound to a tenant, only for that tenant). It also reads the statistics once per knowledge base and
--     call, where the statement before read pg_stats twice.

CREATE FUNCTION knowledge_lexeme_stats(p_tenant text, p_storage_id integer, p_lexemes text[],
    OUT freqs double precision[], OUT min_share double precision, OUT est_rows double precision)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = "${schema}", pg_temp AS $fn$
DECLARE
  part text := 'chunk_p' || p_storage_id;
  bound text := nullif(current_setting('agentstore.tenant', true), '');
  elems text[];
  shares real[];
BEGIN
  -- another tenant's knowledge base, or none: no statistics (the caller then weighs lexemes equally)
  IF (bound IS NOT NULL AND bound <> p_tenant)
     OR NOT EXISTS (SELECT 1 FROM knowledge_base kb WHERE kb.tenant_id = p_tenant AND kb.storage_id = p_storage_id) THEN
    RETURN;
  END IF;
  SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs INTO elems, shares
    FROM pg_stats s
   WHERE s.schemaname = '${schema}' AND s.tablename = part AND s.attname = 'content_tsv';
  IF elems IS NULL THEN
    RETURN; -- never analyzed, or no lexeme frequent enough to be listed
  END IF;
  -- most_common_elem_freqs: one share per element, then the smallest and the largest share and the share of nulls
  min_share := shares[array_length(shares, 1) - 2];
  SELECT array_agg(e.f ORDER BY q.i) INTO freqs
    FROM unnest(p_lexemes) WITH ORDINALITY q(w, i)
    LEFT JOIN unnest(elems, shares[1:array_length(elems, 1)]) e(w, f) ON e.w = q.w;
  SELECT greatest(c.reltuples, 1) INTO est_rows FROM pg_class c WHERE c.oid = to_regclass(quote_ident('${schema}') || '.' || part);
END
$fn$;

COMMENT ON FUNCTION knowledge_lexeme_stats(text, integer, text[]) IS
  'knowledge search: the shares of a knowledge base''s chunks that contain each lexeme (ANALYZE''s element statistics), for the full-text arm''s idf weights; readable by a role bound by row-level security';

-- Semantic memory: every recall records its hits' access (access_count, last_accessed_at). On a full page the new
-- row version goes to another page, which inserts it into every index of the table, the HNSW graph included (about
-- a millisecond each over 100,000 memories): a recall of 10 then spent most of its time in the graph. With free
-- space on the page the update is a heap-only tuple (no index columns change, no index is touched). New pages keep
-- 30% free; pages written before stay full until rewritten (VACUUM FULL or pg_repack).
ALTER TABLE memory SET (fillfactor = 70);
