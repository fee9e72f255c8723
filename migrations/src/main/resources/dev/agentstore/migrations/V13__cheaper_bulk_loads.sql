-- agentstore schema, version 13: cheaper bulk loads into knowledge bases (issue #10).
-- Design and measurements: docs/design/knowledge-storage.md.
--
--   * toast_tuple_target on every chunk partition whose vectors take more than a quarter of a page: a row is
--     only toasted down to the largest size that still fits as many rows per page as a row holding just the
--     vector (kept inline, STORAGE MAIN) and the fixed columns; for 768 dimensions 4,072 bytes (two rows per page).
--     With the default target (2,032 bytes) every ~4.3 KB row had its text and its tsvector compressed (tried)
--     and moved out of line (two TOAST rows and their index entries per chunk) and then pglz tried on the
--     vector as well, only to keep it inline anyway: the heap had the same two rows per page, but a COPY did
--     that work for every row (measured: raw COPY into a plain table with pgvector's default EXTERNAL vector
--     storage was faster than agentstore's COPY into its partition). Now the text stays inline next to the
--     vector and only the tsvector is toasted. The target applies to rows written from now on.
--   * knowledge_storage_analyze_documents: ANALYZE of the document table for a bulk load that has just written
--     many document rows of one knowledge base, before it writes their links. Without statistics for that
--     knowledge base the planner served the links' foreign-key checks (tenant_id, knowledge_base_id, id) through
--     document_kb_created_idx with a filter on id, i.e. a scan of all documents of the knowledge base per link
--     (measured: 1,000 documents, 20,000 links: 3.0 of the 4.6 s the link COPY took, at load ~10), instead of
--     the unique key.
--   * MigrationsIT counts the storage functions (nine now).

CREATE OR REPLACE FUNCTION knowledge_storage_create(p_tenant text, p_kb uuid, p_with_indexes boolean DEFAULT true)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = "${schema}", pg_temp AS $fn$
DECLARE
  kb knowledge_base := knowledge_storage_kb(p_tenant, p_kb);
  ext text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
               WHERE e.extname = 'vector');
  part text := 'chunk_p' || kb.storage_id;
  links text := 'document_chunk_p' || kb.storage_id;
  -- the largest row that keeps as many rows per page as a row holding only the vector and the fixed columns
  -- (V13; see the migration's header)
  vector_bytes integer := 8 + kb.embedding_dimension * CASE kb.vector_type WHEN 'halfvec' THEN 2 ELSE 4 END;
  per_page integer := greatest(1, 8160 / (vector_bytes + 200));
BEGIN
  -- a table of its own, then ATTACH: SHARE UPDATE EXCLUSIVE on the parent, which writers of other
  -- partitions do not conflict with (CREATE TABLE ... PARTITION OF takes ACCESS EXCLUSIVE); the parent's
  -- keys are created on the empty table by the ATTACH
  EXECUTE format('CREATE TABLE %I (LIKE chunk INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED '
                 'INCLUDING STORAGE)', part);
  EXECUTE format('ALTER TABLE %I ALTER COLUMN embedding SET STORAGE MAIN, '
                 'ADD CONSTRAINT %I CHECK (%I.vector_dims(embedding) = %s), ADD CONSTRAINT %I CHECK (tenant_id = %L)',
                 part, part || '_dimension_ck', ext, kb.embedding_dimension, part || '_tenant_ck', kb.tenant_id);
  IF per_page < 4 THEN
    EXECUTE format('ALTER TABLE %I SET (toast_tuple_target = %s)', part, least(8160, (8160 / per_page - 8) / 8 * 8));
  END IF;
  EXECUTE format('ALTER TABLE chunk ATTACH PARTITION %I FOR VALUES IN (%L)', part, kb.id);
  PERFORM knowledge_storage_secure(part::regclass, 'chunk'::regclass);
  IF p_with_indexes THEN
    PERFORM knowledge_storage_index_range(p_tenant, p_kb, 0, 0, NULL, NULL, true);
  END IF;
  -- last: attaching the link partition clones its parent's foreign key to document, which locks document
  -- (SHARE ROW EXCLUSIVE) until commit against every document writer
  EXECUTE format('CREATE TABLE %I (LIKE document_chunk INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)',
                 links);
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (tenant_id = %L), '
                 'ADD CONSTRAINT %I FOREIGN KEY (tenant_id, knowledge_base_id, chunk_id) '
                 'REFERENCES %I (tenant_id, knowledge_base_id, id)',
                 links, links || '_tenant_ck', kb.tenant_id, links || '_chunk_fk', part);
  EXECUTE format('ALTER TABLE document_chunk ATTACH PARTITION %I FOR VALUES IN (%L)', links, kb.id);
  PERFORM knowledge_storage_secure(links::regclass, 'document_chunk'::regclass);
  RETURN kb.storage_id;
END
$fn$;

-- Statistics of the document table for the planner (the library calls it in a bulk load after writing many
-- document rows, before their links: the links' foreign-key checks are planned from these statistics).
-- ANALYZE needs the table's owner; it takes SHARE UPDATE EXCLUSIVE on document until the caller commits.
CREATE FUNCTION knowledge_storage_analyze_documents(p_tenant text, p_kb uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = "${schema}", pg_temp AS $fn$
DECLARE
  kb knowledge_base := knowledge_storage_kb(p_tenant, p_kb);
BEGIN
  ANALYZE document;
END
$fn$;

REVOKE ALL ON FUNCTION knowledge_storage_analyze_documents(text, uuid) FROM PUBLIC;
-- the new function gets the grants of knowledge_storage_create (an application role was granted EXECUTE on that)
DO $agentstore$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT a.grantee FROM pg_proc p, aclexplode(p.proacl) a
    WHERE p.oid = 'knowledge_storage_create(text, uuid, boolean)'::regprocedure
      AND a.grantee <> p.proowner AND a.privilege_type = 'EXECUTE'
  LOOP
    EXECUTE format('GRANT EXECUTE ON FUNCTION knowledge_storage_analyze_documents(text, uuid) TO %s',
                   CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r.grantee)) END);
  END LOOP;
END
$agentstore$;

-- the partitions that exist get the same target (rows written from now on)
DO $agentstore$
DECLARE
  r record;
  per_page integer;
BEGIN
  FOR r IN SELECT storage_id, embedding_dimension, vector_type FROM knowledge_base ORDER BY storage_id LOOP
    per_page := greatest(1, 8160 / (8 + r.embedding_dimension * CASE r.vector_type WHEN 'halfvec' THEN 2 ELSE 4 END + 200));
    IF per_page < 4 AND to_regclass(format('%I', 'chunk_p' || r.storage_id)) IS NOT NULL THEN
      EXECUTE format('ALTER TABLE %I SET (toast_tuple_target = %s)', 'chunk_p' || r.storage_id,
                     least(8160, (8160 / per_page - 8) / 8 * 8));
    END IF;
  END LOOP;
END
$agentstore$;
