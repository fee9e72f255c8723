-- agentstore schema, version 2: one physical home per knowledge base (issue #10).
-- Design and measurements: docs/design/knowledge-storage.md.
--
--   * chunk and document_chunk are partitioned BY LIST (knowledge_base_id); every knowledge base has
--     its own partitions chunk_p<storage_id> and document_chunk_p<storage_id>, with its own vector
--     and full-text indexes, its own dimension and vector type (vector or halfvec);
--   * a chunk row has a segment; every index range [segment_from, segment_to] of a knowledge base has
--     one partial HNSW and one partial GIN index, registered in knowledge_base_segment; segment 0 is
--     the live range, written row by row; bulk loads take a new segment and build its indexes after
--     the load;
--   * all DDL at run time goes through the SECURITY DEFINER functions below (the application role
--     needs no CREATE on the schema);
--   * chunk.content may be NULL (a chunk identified by a caller's key, with an embedding only).
--
-- Existing data is moved: ids, hashes, text, embeddings and links are kept; every chunk of V1 lands
-- in segment 0 of its knowledge base.

-- ---------------------------------------------------------------------------------------------
-- knowledge bases: storage id, vector type, segment counter; the dimension is per knowledge base
-- ---------------------------------------------------------------------------------------------

CREATE SEQUENCE knowledge_storage_id_seq AS integer;

ALTER TABLE knowledge_base
  DROP CONSTRAINT knowledge_base_dimension_ck,
  ADD COLUMN storage_id    integer,
  ADD COLUMN vector_type   text    NOT NULL DEFAULT 'vector',
  ADD COLUMN next_segment  integer NOT NULL DEFAULT 1;
UPDATE knowledge_base SET storage_id = nextval('knowledge_storage_id_seq');
ALTER TABLE knowledge_base
  ALTER COLUMN storage_id SET DEFAULT nextval('knowledge_storage_id_seq'),
  ALTER COLUMN storage_id SET NOT NULL,
  ALTER COLUMN embedding_dimension SET DEFAULT ${embedding_dimension},
  -- the storage id names tables, so it is unique in the store (the sequence); the key starts with
  -- tenant_id like every key
  ADD CONSTRAINT knowledge_base_storage_uk UNIQUE (tenant_id, storage_id),
  ADD CONSTRAINT knowledge_base_vector_type_ck CHECK (vector_type IN ('vector', 'halfvec')),
  ADD CONSTRAINT knowledge_base_dimension_ck CHECK (embedding_dimension >= 1
    AND embedding_dimension <= CASE vector_type WHEN 'halfvec' THEN 4000 ELSE 2000 END),
  ADD CONSTRAINT knowledge_base_next_segment_ck CHECK (next_segment >= 1);
ALTER SEQUENCE knowledge_storage_id_seq OWNED BY knowledge_base.storage_id;
COMMENT ON COLUMN knowledge_base.storage_id IS
  'names the knowledge base''s partitions chunk_p<storage_id> and document_chunk_p<storage_id>';

-- document_chunk references documents with the partition key
ALTER TABLE document ADD CONSTRAINT document_kb_id_uk UNIQUE (tenant_id, knowledge_base_id, id);

-- ---------------------------------------------------------------------------------------------
-- the V1 tables move aside
-- ---------------------------------------------------------------------------------------------

DROP INDEX chunk_embedding_cosine_idx, chunk_embedding_l2_idx, chunk_embedding_ip_idx, chunk_content_tsv_idx,
  document_chunk_chunk_idx;
ALTER TABLE document_chunk RENAME TO document_chunk_v1;
ALTER INDEX document_chunk_pk RENAME TO document_chunk_v1_pk;
ALTER TABLE chunk RENAME TO chunk_v1;
ALTER INDEX chunk_pk RENAME TO chunk_v1_pk;
ALTER INDEX chunk_hash_uk RENAME TO chunk_v1_hash_uk;

-- ---------------------------------------------------------------------------------------------
-- the partitioned tables
-- ---------------------------------------------------------------------------------------------

-- One row per distinct chunk of a knowledge base, content-addressed by content_hash (SHA-256 of the
-- normalised text, or of a caller's identity key in its own namespace). content is kept exactly as
-- given, or NULL for an embedding-only chunk. embedding has no typmod: each partition checks its
-- knowledge base's dimension, and its indexes cast to vector(d) or halfvec(d).
CREATE TABLE chunk (
  tenant_id           text        NOT NULL,
  id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
  knowledge_base_id   uuid        NOT NULL,
  content_hash        bytea       NOT NULL,
  content             text,
  embedding           vector      NOT NULL,
  distance_metric     text        NOT NULL,
  text_search_config  text        NOT NULL,
  content_tsv         tsvector    GENERATED ALWAYS AS (
    CASE text_search_config
      WHEN 'english'    THEN to_tsvector('english'::regconfig, content)
      WHEN 'german'     THEN to_tsvector('german'::regconfig, content)
      WHEN 'french'     THEN to_tsvector('french'::regconfig, content)
      WHEN 'spanish'    THEN to_tsvector('spanish'::regconfig, content)
      WHEN 'italian'    THEN to_tsvector('italian'::regconfig, content)
      WHEN 'portuguese' THEN to_tsvector('portuguese'::regconfig, content)
      WHEN 'dutch'      THEN to_tsvector('dutch'::regconfig, content)
      ELSE                   to_tsvector('simple'::regconfig, content)
    END) STORED,
  segment             integer     NOT NULL DEFAULT 0,
  created_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT chunk_pk PRIMARY KEY (tenant_id, knowledge_base_id, id),
  -- column order: (tenant_id, knowledge_base_id) must not be a prefix shared with the primary key, or
  -- the planner, without statistics (a partition right after its bulk load), may serve the FK checks
  -- of the links by this index with a filter on id: a scan of the whole partition per link (measured:
  -- 11 s for 2,500 links)
  CONSTRAINT chunk_hash_uk UNIQUE (tenant_id, content_hash, knowledge_base_id),
  -- no FK to knowledge_base: each partition holds one knowledge base (its bound) of one tenant (its
  -- CHECK), and a cloned FK would lock knowledge_base against writers whenever a partition is created
  CONSTRAINT chunk_content_hash_ck CHECK (octet_length(content_hash) = 32),
  CONSTRAINT chunk_content_ck CHECK (content IS NULL OR btrim(content) <> ''),
  CONSTRAINT chunk_segment_ck CHECK (segment >= 0),
  CONSTRAINT chunk_metric_ck CHECK (distance_metric IN ('cosine', 'l2', 'inner_product')),
  CONSTRAINT chunk_ts_config_ck CHECK (text_search_config IN
    ('simple', 'english', 'german', 'french', 'spanish', 'italian', 'portuguese', 'dutch'))
) PARTITION BY LIST (knowledge_base_id);
-- keep vectors inline (an exact scan reads no TOAST); partitions repeat it (see knowledge_storage_create)
ALTER TABLE chunk ALTER COLUMN embedding SET STORAGE MAIN;

-- The ordered chunk list of each document. The FK to chunk is declared per partition pair (an FK
-- between the partitioned parents would make a chunk partition impossible to drop); the FK to
-- document is declared once, here.
CREATE TABLE document_chunk (
  tenant_id          text    NOT NULL,
  knowledge_base_id  uuid    NOT NULL,
  document_id        uuid    NOT NULL,
  chunk_index        integer NOT NULL,
  chunk_id           uuid    NOT NULL,
  metadata           jsonb   NOT NULL DEFAULT '{}',
  CONSTRAINT document_chunk_pk PRIMARY KEY (tenant_id, knowledge_base_id, document_id, chunk_index),
  CONSTRAINT document_chunk_document_fk FOREIGN KEY (tenant_id, knowledge_base_id, document_id)
    REFERENCES document (tenant_id, knowledge_base_id, id) ON DELETE CASCADE,
  CONSTRAINT document_chunk_index_ck CHECK (chunk_index >= 0),
  CONSTRAINT document_chunk_metadata_ck CHECK (jsonb_typeof(metadata) = 'object')
) PARTITION BY LIST (knowledge_base_id);
-- (tenant_id, chunk_id, ...): see chunk_hash_uk on why the primary key's prefix is not repeated
CREATE INDEX document_chunk_chunk_idx ON document_chunk (tenant_id, chunk_id, knowledge_base_id);

-- The index ranges of each knowledge base: [segment_from, segment_to] is covered by one partial HNSW
-- index and one partial GIN index (WHERE segment BETWEEN segment_from AND segment_to). Searches read
-- the bounds from here and render them as literals, so that the planner can use those indexes.
CREATE TABLE knowledge_base_segment (
  tenant_id          text        NOT NULL,
  knowledge_base_id  uuid        NOT NULL,
  segment_from       integer     NOT NULL,
  segment_to         integer     NOT NULL,
  vector_index       text        NOT NULL,
  text_index         text        NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT knowledge_base_segment_pk PRIMARY KEY (tenant_id, knowledge_base_id, segment_from),
  CONSTRAINT knowledge_base_segment_kb_fk FOREIGN KEY (tenant_id, knowledge_base_id)
    REFERENCES knowledge_base (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT knowledge_base_segment_range_ck CHECK (segment_from >= 0 AND segment_from <= segment_to),
  CONSTRAINT knowledge_base_segment_live_ck CHECK (segment_from > 0 OR segment_to = 0)
);

-- ---------------------------------------------------------------------------------------------
-- run-time DDL: SECURITY DEFINER functions owned by the migrating role
-- ---------------------------------------------------------------------------------------------

-- The hook every knowledge-base partition goes through when it is created: copies the grants of its
-- parent (a partition read directly needs its own). The hardening migration (row-level security)
-- replaces this function to also enable RLS and copy the parent's policies.
CREATE FUNCTION knowledge_storage_secure(p_partition regclass, p_parent regclass) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = "${schema}", pg_temp AS $fn$
DECLARE
  r record;
BEGIN
  IF p_parent NOT IN ('chunk'::regclass, 'document_chunk'::regclass)
     OR NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = p_partition AND inhparent = p_parent) THEN
    RAISE EXCEPTION '% is not a knowledge-base partition of %', p_partition, p_parent
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  FOR r IN
    SELECT a.grantee, a.privilege_type, a.is_grantable
    FROM pg_class c, aclexplode(c.relacl) a
    WHERE c.oid = p_parent AND a.grantee <> c.relowner
  LOOP
    EXECUTE format('GRANT %s ON %s TO %s', r.privilege_type, p_partition,
      CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r.grantee)) END);
  END LOOP;
END
$fn$;

-- The knowledge base row of this tenant, or an error naming both.
CREATE FUNCTION knowledge_storage_kb(p_tenant text, p_kb uuid) RETURNS knowledge_base
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = "${schema}", pg_temp AS $fn$
DECLARE
  kb knowledge_base;
BEGIN
  SELECT * INTO kb FROM knowledge_base WHERE tenant_id = p_tenant AND id = p_kb;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'knowledge base % not found for tenant %', p_kb, p_tenant USING ERRCODE = 'no_data_found';
  END IF;
  RETURN kb;
END
$fn$;

-- Builds the partial HNSW and GIN indexes of the index range [p_from, p_to] of a knowledge base,
-- registers the range, and drops the ranges it covers (compaction). p_memory and p_workers set
-- maintenance_work_mem and max_parallel_maintenance_workers for this transaction only (NULL: leave).
-- Takes SHARE ROW EXCLUSIVE on the chunk partition: writers of this knowledge base wait, readers not.
CREATE FUNCTION knowledge_storage_index_range(p_tenant text, p_kb uuid, p_from integer, p_to integer,
    p_memory text DEFAULT NULL, p_workers integer DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = "${schema}", pg_temp AS $fn$
DECLARE
  kb knowledge_base := knowledge_storage_kb(p_tenant, p_kb);
  ext text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
               WHERE e.extname = 'vector');
  part text := 'chunk_p' || kb.storage_id;
  vname text := part || '_v' || p_from || '_' || p_to;
  tname text := part || '_t' || p_from || '_' || p_to;
  opclass text;
  r record;
  dropped integer := 0;
BEGIN
  IF p_from IS NULL OR p_to IS NULL OR p_from < 0 OR p_from > p_to OR (p_from = 0 AND p_to <> 0) THEN
    RAISE EXCEPTION 'index range [%, %] is not valid: 0 <= from <= to, and the live range 0 stays alone', p_from, p_to
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
    PERFORM set_config('max_parallel_maintenance_workers', p_workers::text, true);
  END IF;
  opclass := kb.vector_type || CASE kb.distance_metric WHEN 'l2' THEN '_l2_ops' WHEN 'inner_product' THEN '_ip_ops'
                                                       ELSE '_cosine_ops' END;
  -- covered ranges go first (their names may be reused, e.g. rebuilding [a, b] itself)
  FOR r IN SELECT * FROM knowledge_base_segment s WHERE s.tenant_id = p_tenant AND s.knowledge_base_id = p_kb
           AND s.segment_from >= p_from AND s.segment_to <= p_to LOOP
    EXECUTE format('DROP INDEX IF EXISTS %I, %I', r.vector_index, r.text_index);
    DELETE FROM knowledge_base_segment s WHERE s.tenant_id = p_tenant AND s.knowledge_base_id = p_kb
      AND s.segment_from = r.segment_from;
    dropped := dropped + 1;
  END LOOP;
  EXECUTE format('CREATE INDEX %I ON %I USING hnsw ((embedding::%I.%s(%s)) %I.%I) WITH (m = 16, ef_construction = 64) '
                 'WHERE segment BETWEEN %s AND %s',
                 vname, part, ext, kb.vector_type, kb.embedding_dimension, ext, opclass, p_from, p_to);
  EXECUTE format('CREATE INDEX %I ON %I USING gin (content_tsv) WHERE segment BETWEEN %s AND %s',
                 tname, part, p_from, p_to);
  INSERT INTO knowledge_base_segment (tenant_id, knowledge_base_id, segment_from, segment_to, vector_index, text_index)
  VALUES (p_tenant, p_kb, p_from, p_to, vname, tname);
  RETURN dropped;
END
$fn$;

-- Creates the storage of a knowledge base: its two partitions, the FK between them, the dimension and
-- tenant checks, inline vectors, grants (knowledge_storage_secure) and, unless p_with_indexes is false,
-- the indexes of the live range 0. Returns the storage id. Creating the link partition clones the FK
-- to document, which takes SHARE ROW EXCLUSIVE on document for the rest of the transaction: the library
-- serialises storage creation and drops with an advisory lock taken before anything else.
CREATE FUNCTION knowledge_storage_create(p_tenant text, p_kb uuid, p_with_indexes boolean DEFAULT true) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = "${schema}", pg_temp AS $fn$
DECLARE
  kb knowledge_base := knowledge_storage_kb(p_tenant, p_kb);
  ext text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
               WHERE e.extname = 'vector');
  part text := 'chunk_p' || kb.storage_id;
  links text := 'document_chunk_p' || kb.storage_id;
BEGIN
  EXECUTE format('CREATE TABLE %I PARTITION OF chunk FOR VALUES IN (%L)', part, kb.id);
  EXECUTE format('ALTER TABLE %I ALTER COLUMN embedding SET STORAGE MAIN, '
                 'ADD CONSTRAINT %I CHECK (%I.vector_dims(embedding) = %s), ADD CONSTRAINT %I CHECK (tenant_id = %L)',
                 part, part || '_dimension_ck', ext, kb.embedding_dimension, part || '_tenant_ck', kb.tenant_id);
  EXECUTE format('CREATE TABLE %I PARTITION OF document_chunk FOR VALUES IN (%L)', links, kb.id);
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (tenant_id = %L)', links, links || '_tenant_ck', kb.tenant_id);
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (tenant_id, knowledge_base_id, chunk_id) '
                 'REFERENCES %I (tenant_id, knowledge_base_id, id)', links, links || '_chunk_fk', part);
  PERFORM knowledge_storage_secure(part::regclass, 'chunk'::regclass);
  PERFORM knowledge_storage_secure(links::regclass, 'document_chunk'::regclass);
  IF p_with_indexes THEN
    PERFORM knowledge_storage_index_range(p_tenant, p_kb, 0, 0);
  END IF;
  RETURN kb.storage_id;
END
$fn$;

-- Starts a bulk load into a knowledge base: locks its chunk partition (SHARE ROW EXCLUSIVE: other
-- writers of this knowledge base wait until commit, readers never) and returns a new segment number,
-- which no index covers until knowledge_storage_index_range registers it.
CREATE FUNCTION knowledge_storage_begin_bulk(p_tenant text, p_kb uuid) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = "${schema}", pg_temp AS $fn$
DECLARE
  kb knowledge_base := knowledge_storage_kb(p_tenant, p_kb);
  segment integer;
BEGIN
  EXECUTE format('LOCK TABLE %I IN SHARE ROW EXCLUSIVE MODE', 'chunk_p' || kb.storage_id);
  UPDATE knowledge_base k SET next_segment = k.next_segment + 1
  WHERE k.tenant_id = p_tenant AND k.id = p_kb
  RETURNING k.next_segment - 1 INTO segment;
  RETURN segment;
END
$fn$;

-- Deletes a knowledge base in constant time: drops its two partitions (no row-by-row delete, no
-- dead tuples), then its documents, index ranges and row. Returns false when it did not exist.
CREATE FUNCTION knowledge_storage_drop(p_tenant text, p_kb uuid) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = "${schema}", pg_temp AS $fn$
DECLARE
  sid integer;
BEGIN
  SELECT storage_id INTO sid FROM knowledge_base WHERE tenant_id = p_tenant AND id = p_kb FOR UPDATE;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  EXECUTE format('DROP TABLE IF EXISTS %I, %I', 'document_chunk_p' || sid, 'chunk_p' || sid);
  DELETE FROM document WHERE tenant_id = p_tenant AND knowledge_base_id = p_kb;
  DELETE FROM knowledge_base WHERE tenant_id = p_tenant AND id = p_kb;
  RETURN true;
END
$fn$;

-- the owner (the migrating role) can execute them; an application role is granted EXECUTE explicitly
-- (README, "Least privilege")
REVOKE ALL ON FUNCTION knowledge_storage_secure(regclass, regclass) FROM PUBLIC;
REVOKE ALL ON FUNCTION knowledge_storage_kb(text, uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION knowledge_storage_index_range(text, uuid, integer, integer, text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION knowledge_storage_create(text, uuid, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION knowledge_storage_begin_bulk(text, uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION knowledge_storage_drop(text, uuid) FROM PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- move the V1 data
-- ---------------------------------------------------------------------------------------------

SELECT knowledge_storage_create(tenant_id, id, false) FROM knowledge_base ORDER BY storage_id;

INSERT INTO chunk (tenant_id, id, knowledge_base_id, content_hash, content, embedding, distance_metric,
                   text_search_config, segment, created_at)
SELECT tenant_id, id, knowledge_base_id, content_hash, content, embedding::vector, distance_metric,
       text_search_config, 0, created_at
FROM chunk_v1;

INSERT INTO document_chunk (tenant_id, knowledge_base_id, document_id, chunk_index, chunk_id, metadata)
SELECT l.tenant_id, d.knowledge_base_id, l.document_id, l.chunk_index, l.chunk_id, l.metadata
FROM document_chunk_v1 l JOIN document d ON d.tenant_id = l.tenant_id AND d.id = l.document_id;

SELECT knowledge_storage_index_range(tenant_id, id, 0, 0) FROM knowledge_base ORDER BY storage_id;

DROP TABLE document_chunk_v1;
DROP TABLE chunk_v1;
