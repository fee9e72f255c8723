-- agentstore schema, version 12: cheaper knowledge-base storage DDL (issue #10).
-- Design and measurements: docs/design/knowledge-storage.md.
--
--   * knowledge_storage_create builds each partition as a table of its own and ATTACHes it (SHARE UPDATE
--     EXCLUSIVE on the parent) instead of CREATE TABLE ... PARTITION OF (ACCESS EXCLUSIVE on the parent):
--     creating a knowledge base no longer waits for, nor blocks, the writers of every other knowledge base
--     (measured: a creation waited for a running bulk load of another knowledge base, index build included).
--     The link partition, whose foreign key to document is cloned under SHARE ROW EXCLUSIVE on document,
--     comes last, so that lock is held for the last statements of the creation only.
--   * knowledge_storage_index_range can build an index range without its HNSW index (p_vector_index false):
--     a bulk load into a knowledge base that stays below the exact-search threshold registers its range with
--     vector_index NULL, because searches of such a knowledge base scan its partition exactly and never use
--     the graph. A later bulk load or compaction that takes it past the threshold covers those ranges with
--     a graph.
--   * p_workers sets max_parallel_maintenance_workers for the build's transaction (already in V2; the
--     library now passes it).

ALTER TABLE knowledge_base_segment ALTER COLUMN vector_index DROP NOT NULL;
COMMENT ON COLUMN knowledge_base_segment.vector_index IS
  'the partial HNSW index of the range; NULL while the knowledge base is small enough to be searched exactly';

CREATE FUNCTION knowledge_storage_index_range(p_tenant text, p_kb uuid, p_from integer, p_to integer,
    p_memory text, p_workers integer, p_vector_index boolean) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = "${schema}", pg_temp AS $fn$
DECLARE
  kb knowledge_base := knowledge_storage_kb(p_tenant, p_kb);
  ext text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
               WHERE e.extname = 'vector');
  part text := 'chunk_p' || kb.storage_id;
  vname text := CASE WHEN p_vector_index THEN part || '_v' || p_from || '_' || p_to END;
  tname text := part || '_t' || p_from || '_' || p_to;
  opclass text;
  r record;
  dropped integer := 0;
BEGIN
  IF p_from IS NULL OR p_to IS NULL OR p_from < 0 OR p_from > p_to OR (p_from = 0 AND p_to <> 0) THEN
    RAISE EXCEPTION 'index range [%, %] is not valid: 0 <= from <= to, and the live range 0 stays alone', p_from, p_to
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_vector_index IS NULL OR (p_from = 0 AND NOT p_vector_index) THEN
    RAISE EXCEPTION 'p_vector_index must be true or false, and true for the live range 0'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF EXISTS (SELECT 1 FROM knowledge_base_segment s WHERE s.tenant_id = p_tenant AND s.knowledge_base_id = p_kb
             AND s.segment_to >= p_from AND s.segment_from <= p_to
             AND NOT (s.segment_from >= p_from AND s.segment_to <= p_to)) THEN
    RAISE EXCEPTION 'index range [%, %] of knowledge base % overlaps a range it does not cover', p_from, p_to, p_kb
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  EXECUTE format('LOCK TABLE %I IN SHARE ROW EXCLUSIVE MODE', part);
  IF p_memory IS NOT NULL THEN
    PERFORM set_config('maintenance_work_mem', p_memory, true);
  END IF;
  IF p_workers IS NOT NULL THEN
    IF p_workers < 0 OR p_workers > 64 THEN
      RAISE EXCEPTION 'p_workers must be between 0 and 64, but was %', p_workers USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM set_config('max_parallel_maintenance_workers', p_workers::text, true);
  END IF;
  opclass := kb.vector_type || CASE kb.distance_metric WHEN 'l2' THEN '_l2_ops' WHEN 'inner_product' THEN '_ip_ops'
                                                       ELSE '_cosine_ops' END;
  -- covered ranges go first (their names may be reused, e.g. rebuilding [a, b] itself)
  FOR r IN SELECT * FROM knowledge_base_segment s WHERE s.tenant_id = p_tenant AND s.knowledge_base_id = p_kb
           AND s.segment_from >= p_from AND s.segment_to <= p_to LOOP
    IF r.vector_index IS NOT NULL THEN
      EXECUTE format('DROP INDEX IF EXISTS %I', r.vector_index);
    END IF;
    EXECUTE format('DROP INDEX IF EXISTS %I', r.text_index);
    DELETE FROM knowledge_base_segment s WHERE s.tenant_id = p_tenant AND s.knowledge_base_id = p_kb
      AND s.segment_from = r.segment_from;
    dropped := dropped + 1;
  END LOOP;
  IF p_vector_index THEN
    EXECUTE format('CREATE INDEX %I ON %I USING hnsw ((embedding::%I.%s(%s)) %I.%I) WITH (m = 16, ef_construction = 64) '
                   'WHERE segment BETWEEN %s AND %s',
                   vname, part, ext, kb.vector_type, kb.embedding_dimension, ext, opclass, p_from, p_to);
  END IF;
  EXECUTE format('CREATE INDEX %I ON %I USING gin (content_tsv) WHERE segment BETWEEN %s AND %s',
                 tname, part, p_from, p_to);
  INSERT INTO knowledge_base_segment (tenant_id, knowledge_base_id, segment_from, segment_to, vector_index, text_index)
  VALUES (p_tenant, p_kb, p_from, p_to, vname, tname);
  RETURN dropped;
END
$fn$;

-- V2's six-argument form stays for callers of that version (it builds the graph, as before)
CREATE OR REPLACE FUNCTION knowledge_storage_index_range(p_tenant text, p_kb uuid, p_from integer, p_to integer,
    p_memory text DEFAULT NULL, p_workers integer DEFAULT NULL) RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = "${schema}", pg_temp AS $fn$
  SELECT knowledge_storage_index_range(p_tenant, p_kb, p_from, p_to, p_memory, p_workers, true)
$fn$;

CREATE OR REPLACE FUNCTION knowledge_storage_create(p_tenant text, p_kb uuid, p_with_indexes boolean DEFAULT true)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = "${schema}", pg_temp AS $fn$
DECLARE
  kb knowledge_base := knowledge_storage_kb(p_tenant, p_kb);
  ext text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
               WHERE e.extname = 'vector');
  part text := 'chunk_p' || kb.storage_id;
  links text := 'document_chunk_p' || kb.storage_id;
BEGIN
  -- a table of its own, then ATTACH: SHARE UPDATE EXCLUSIVE on the parent, which writers of other
  -- partitions do not conflict with (CREATE TABLE ... PARTITION OF takes ACCESS EXCLUSIVE); the parent's
  -- keys are created on the empty table by the ATTACH
  EXECUTE format('CREATE TABLE %I (LIKE chunk INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED '
                 'INCLUDING STORAGE)', part);
  EXECUTE format('ALTER TABLE %I ALTER COLUMN embedding SET STORAGE MAIN, '
                 'ADD CONSTRAINT %I CHECK (%I.vector_dims(embedding) = %s), ADD CONSTRAINT %I CHECK (tenant_id = %L)',
                 part, part || '_dimension_ck', ext, kb.embedding_dimension, part || '_tenant_ck', kb.tenant_id);
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

REVOKE ALL ON FUNCTION knowledge_storage_index_range(text, uuid, integer, integer, text, integer, boolean) FROM PUBLIC;
-- the new form gets the grants of the form it extends (an application role was granted EXECUTE on that)
DO $agentstore$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT a.grantee FROM pg_proc p, aclexplode(p.proacl) a
    WHERE p.oid = 'knowledge_storage_index_range(text, uuid, integer, integer, text, integer)'::regprocedure
      AND a.grantee <> p.proowner AND a.privilege_type = 'EXECUTE'
  LOOP
    EXECUTE format('GRANT EXECUTE ON FUNCTION knowledge_storage_index_range(text, uuid, integer, integer, text, integer, '
                   'boolean) TO %s', CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r.grantee)) END);
  END LOOP;
END
$agentstore$;
