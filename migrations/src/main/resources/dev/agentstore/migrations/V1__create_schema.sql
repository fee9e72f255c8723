-- agentstore schema, version 1: the tables of the four capabilities in their first form.
--
-- Placeholders (set by agentstore's Flyway configuration):
--   ${schema}               the schema agentstore's tables live in (default agentstore)
--   ${embedding_dimension}  dimension of every embedding column (default 1536)
-- Flyway runs this script with the agentstore schema first on the search_path, so unqualified
-- names below land in that schema.
--
-- Conventions:
--   * every table has tenant_id, and every primary, unique and foreign key starts with it, so that
--     the tables can be distributed or partitioned by tenant and a row can never reference a row of
--     another tenant;
--   * UUID ids from gen_random_uuid(); JSONB metadata; created_at/updated_at timestamptz;
--   * CHECK constraints for every value that must never be stored.

-- pgvector. The extension is not "trusted", so creating it needs a superuser unless it already
-- exists; turn the server's error into one that says what to do.
DO $agentstore$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
    BEGIN
      CREATE EXTENSION vector SCHEMA public;
    EXCEPTION
      WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'agentstore needs the pgvector extension, and only a superuser can create it'
          USING HINT = 'Ask a superuser to run "CREATE EXTENSION vector;" in database "'
                       || current_database() || '", then run the agentstore migration again.',
                ERRCODE = 'insufficient_privilege';
      WHEN undefined_file THEN
        RAISE EXCEPTION 'agentstore needs the pgvector extension, but it is not installed on this PostgreSQL server'
          USING HINT = 'Install pgvector for PostgreSQL ' || current_setting('server_version')
                       || ' (Debian/Ubuntu: scripts/install-pgvector.sh; macOS: brew install pgvector), '
                       || 'then run the agentstore migration again.',
                ERRCODE = 'undefined_file';
    END;
  END IF;
END
$agentstore$;

COMMENT ON SCHEMA "${schema}" IS 'agentstore: conversations, documents and chunks, knowledge search, agent memory';

-- ---------------------------------------------------------------------------------------------
-- Knowledge bases, documents and content-addressed chunks
-- ---------------------------------------------------------------------------------------------

CREATE TABLE knowledge_base (
  tenant_id            text        NOT NULL,
  id                   uuid        NOT NULL DEFAULT gen_random_uuid(),
  name                 text        NOT NULL,
  description          text,
  embedding_model      text,
  embedding_dimension  integer     NOT NULL,
  distance_metric      text        NOT NULL DEFAULT 'cosine',
  text_search_config   text        NOT NULL DEFAULT 'english',
  metadata             jsonb       NOT NULL DEFAULT '{}',
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT knowledge_base_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT knowledge_base_name_uk UNIQUE (tenant_id, name),
  CONSTRAINT knowledge_base_tenant_ck CHECK (tenant_id <> ''),
  CONSTRAINT knowledge_base_name_ck CHECK (btrim(name) <> ''),
  CONSTRAINT knowledge_base_dimension_ck CHECK (embedding_dimension = ${embedding_dimension}),
  CONSTRAINT knowledge_base_metric_ck CHECK (distance_metric IN ('cosine', 'l2', 'inner_product')),
  CONSTRAINT knowledge_base_ts_config_ck CHECK (text_search_config IN
    ('simple', 'english', 'german', 'french', 'spanish', 'italian', 'portuguese', 'dutch')),
  CONSTRAINT knowledge_base_metadata_ck CHECK (jsonb_typeof(metadata) = 'object')
);

CREATE TABLE document (
  tenant_id          text        NOT NULL,
  id                 uuid        NOT NULL DEFAULT gen_random_uuid(),
  knowledge_base_id  uuid        NOT NULL,
  source_uri         text        NOT NULL,
  title              text,
  doc_type           text,
  version            text,
  metadata           jsonb       NOT NULL DEFAULT '{}',
  status             text        NOT NULL DEFAULT 'pending',
  error_message      text,
  content_hash       bytea,
  chunk_count        integer     NOT NULL DEFAULT 0,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT document_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT document_source_uk UNIQUE (tenant_id, knowledge_base_id, source_uri),
  CONSTRAINT document_knowledge_base_fk FOREIGN KEY (tenant_id, knowledge_base_id)
    REFERENCES knowledge_base (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT document_source_uri_ck CHECK (btrim(source_uri) <> ''),
  CONSTRAINT document_status_ck CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
  CONSTRAINT document_failed_has_error_ck CHECK (status <> 'failed' OR error_message IS NOT NULL),
  CONSTRAINT document_content_hash_ck CHECK (content_hash IS NULL OR octet_length(content_hash) = 32),
  CONSTRAINT document_chunk_count_ck CHECK (chunk_count >= 0),
  CONSTRAINT document_metadata_ck CHECK (jsonb_typeof(metadata) = 'object')
);
CREATE INDEX document_kb_type_idx ON document (tenant_id, knowledge_base_id, doc_type);
CREATE INDEX document_kb_created_idx ON document (tenant_id, knowledge_base_id, created_at);
CREATE INDEX document_metadata_idx ON document USING gin (metadata jsonb_path_ops);

-- One row per distinct chunk text of a knowledge base (content-addressed by a SHA-256 hash of the
-- normalised text). distance_metric and text_search_config are copied from the knowledge base
-- (they never change for a knowledge base) so that the partial HNSW indexes and the generated
-- tsvector can be defined on this table alone.
CREATE TABLE chunk (
  tenant_id           text        NOT NULL,
  id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
  knowledge_base_id   uuid        NOT NULL,
  content_hash        bytea       NOT NULL,
  content             text        NOT NULL,
  embedding           vector(${embedding_dimension}) NOT NULL,
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
  created_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT chunk_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT chunk_hash_uk UNIQUE (tenant_id, knowledge_base_id, content_hash),
  CONSTRAINT chunk_knowledge_base_fk FOREIGN KEY (tenant_id, knowledge_base_id)
    REFERENCES knowledge_base (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT chunk_content_hash_ck CHECK (octet_length(content_hash) = 32),
  CONSTRAINT chunk_content_ck CHECK (btrim(content) <> ''),
  CONSTRAINT chunk_metric_ck CHECK (distance_metric IN ('cosine', 'l2', 'inner_product')),
  CONSTRAINT chunk_ts_config_ck CHECK (text_search_config IN
    ('simple', 'english', 'german', 'french', 'spanish', 'italian', 'portuguese', 'dutch'))
);
-- One HNSW index per metric, each holding only the chunks of knowledge bases using that metric.
CREATE INDEX chunk_embedding_cosine_idx ON chunk USING hnsw (embedding vector_cosine_ops)
  WITH (m = 16, ef_construction = 64) WHERE distance_metric = 'cosine';
CREATE INDEX chunk_embedding_l2_idx ON chunk USING hnsw (embedding vector_l2_ops)
  WITH (m = 16, ef_construction = 64) WHERE distance_metric = 'l2';
CREATE INDEX chunk_embedding_ip_idx ON chunk USING hnsw (embedding vector_ip_ops)
  WITH (m = 16, ef_construction = 64) WHERE distance_metric = 'inner_product';
CREATE INDEX chunk_content_tsv_idx ON chunk USING gin (content_tsv);

-- The ordered chunk list of each document. A chunk shared by several documents has one link per
-- document (and per position).
CREATE TABLE document_chunk (
  tenant_id    text    NOT NULL,
  document_id  uuid    NOT NULL,
  chunk_index  integer NOT NULL,
  chunk_id     uuid    NOT NULL,
  metadata     jsonb   NOT NULL DEFAULT '{}',
  CONSTRAINT document_chunk_pk PRIMARY KEY (tenant_id, document_id, chunk_index),
  CONSTRAINT document_chunk_document_fk FOREIGN KEY (tenant_id, document_id)
    REFERENCES document (tenant_id, id) ON DELETE CASCADE,
  -- NO ACTION (checked at the end of the statement): content still linked is never deleted, yet
  -- deleting a knowledge base cascades through documents and chunks in one statement.
  CONSTRAINT document_chunk_chunk_fk FOREIGN KEY (tenant_id, chunk_id)
    REFERENCES chunk (tenant_id, id),
  CONSTRAINT document_chunk_index_ck CHECK (chunk_index >= 0),
  CONSTRAINT document_chunk_metadata_ck CHECK (jsonb_typeof(metadata) = 'object')
);
CREATE INDEX document_chunk_chunk_idx ON document_chunk (tenant_id, chunk_id);

-- ---------------------------------------------------------------------------------------------
-- Conversations
-- ---------------------------------------------------------------------------------------------

CREATE TABLE conversation_session (
  tenant_id         text        NOT NULL,
  id                uuid        NOT NULL DEFAULT gen_random_uuid(),
  user_id           text,
  agent_id          text,
  title             text,
  metadata          jsonb       NOT NULL DEFAULT '{}',
  -- the sequence number of the last message; appends take it with UPDATE ... RETURNING, which
  -- serialises them on the session row and leaves neither gaps nor duplicates
  last_seq          bigint      NOT NULL DEFAULT 0,
  last_activity_at  timestamptz NOT NULL DEFAULT now(),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT conversation_session_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT conversation_session_tenant_ck CHECK (tenant_id <> ''),
  CONSTRAINT conversation_session_last_seq_ck CHECK (last_seq >= 0),
  CONSTRAINT conversation_session_metadata_ck CHECK (jsonb_typeof(metadata) = 'object')
);
CREATE INDEX conversation_session_user_idx
  ON conversation_session (tenant_id, user_id, last_activity_at DESC, id DESC) WHERE user_id IS NOT NULL;
CREATE INDEX conversation_session_agent_idx
  ON conversation_session (tenant_id, agent_id, last_activity_at DESC, id DESC) WHERE agent_id IS NOT NULL;
CREATE INDEX conversation_session_activity_idx ON conversation_session (tenant_id, last_activity_at);

CREATE TABLE conversation_message (
  tenant_id         text        NOT NULL,
  id                uuid        NOT NULL DEFAULT gen_random_uuid(),
  session_id        uuid        NOT NULL,
  seq               bigint      NOT NULL,
  role              text        NOT NULL,
  content           text        NOT NULL,
  sources           jsonb       NOT NULL DEFAULT '[]',
  response_time_ms  bigint,
  input_tokens      integer,
  output_tokens     integer,
  model             text,
  metadata          jsonb       NOT NULL DEFAULT '{}',
  feedback          smallint,
  feedback_comment  text,
  feedback_at       timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT conversation_message_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT conversation_message_seq_uk UNIQUE (tenant_id, session_id, seq),
  CONSTRAINT conversation_message_session_fk FOREIGN KEY (tenant_id, session_id)
    REFERENCES conversation_session (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT conversation_message_seq_ck CHECK (seq > 0),
  CONSTRAINT conversation_message_role_ck CHECK (role IN ('system', 'user', 'assistant', 'tool')),
  CONSTRAINT conversation_message_content_ck CHECK (btrim(content) <> ''),
  CONSTRAINT conversation_message_sources_ck CHECK (jsonb_typeof(sources) = 'array'),
  CONSTRAINT conversation_message_response_time_ck CHECK (response_time_ms IS NULL OR response_time_ms >= 0),
  CONSTRAINT conversation_message_input_tokens_ck CHECK (input_tokens IS NULL OR input_tokens >= 0),
  CONSTRAINT conversation_message_output_tokens_ck CHECK (output_tokens IS NULL OR output_tokens >= 0),
  CONSTRAINT conversation_message_feedback_ck CHECK (feedback IS NULL OR feedback IN (-1, 1)),
  CONSTRAINT conversation_message_feedback_role_ck CHECK (feedback IS NULL OR role = 'assistant'),
  CONSTRAINT conversation_message_metadata_ck CHECK (jsonb_typeof(metadata) = 'object')
);
CREATE INDEX conversation_message_created_idx ON conversation_message (tenant_id, created_at);

-- ---------------------------------------------------------------------------------------------
-- Agent memory
-- ---------------------------------------------------------------------------------------------

-- Key/value state per agent and scope. scope_id is '' for the agent scope, the user id for the
-- user scope and the session id (as text) for the session scope; session_id is set for the
-- session scope only, so that deleting a session deletes its memory.
CREATE TABLE memory_entry (
  tenant_id   text        NOT NULL,
  id          uuid        NOT NULL DEFAULT gen_random_uuid(),
  agent_id    text        NOT NULL,
  scope       text        NOT NULL,
  scope_id    text        NOT NULL DEFAULT '',
  session_id  uuid,
  key         text        NOT NULL,
  value       jsonb       NOT NULL,
  version     bigint      NOT NULL DEFAULT 1,
  expires_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT memory_entry_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT memory_entry_key_uk UNIQUE (tenant_id, agent_id, scope, scope_id, key),
  CONSTRAINT memory_entry_session_fk FOREIGN KEY (tenant_id, session_id)
    REFERENCES conversation_session (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT memory_entry_tenant_ck CHECK (tenant_id <> ''),
  CONSTRAINT memory_entry_agent_ck CHECK (btrim(agent_id) <> ''),
  CONSTRAINT memory_entry_key_ck CHECK (btrim(key) <> ''),
  CONSTRAINT memory_entry_scope_ck CHECK (
       (scope = 'agent'   AND scope_id = '' AND session_id IS NULL)
    OR (scope = 'user'    AND scope_id <> '' AND session_id IS NULL)
    OR (scope = 'session' AND session_id IS NOT NULL AND scope_id = session_id::text)),
  CONSTRAINT memory_entry_version_ck CHECK (version > 0)
);
CREATE INDEX memory_entry_expires_idx ON memory_entry (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX memory_entry_session_idx ON memory_entry (tenant_id, session_id) WHERE session_id IS NOT NULL;

-- Semantic ("deep") memories: what an agent learned, decided or experienced.
CREATE TABLE memory (
  tenant_id             text        NOT NULL,
  id                    uuid        NOT NULL DEFAULT gen_random_uuid(),
  agent_id              text        NOT NULL,
  user_id               text,
  session_id            uuid,
  kind                  text        NOT NULL,
  content               text        NOT NULL,
  content_hash          bytea       NOT NULL,
  embedding             vector(${embedding_dimension}) NOT NULL,
  importance            double precision NOT NULL DEFAULT 0.5,
  metadata              jsonb       NOT NULL DEFAULT '{}',
  reinforcement_count   integer     NOT NULL DEFAULT 1,
  last_seen_at          timestamptz NOT NULL DEFAULT now(),
  access_count          integer     NOT NULL DEFAULT 0,
  last_accessed_at      timestamptz,
  expires_at            timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT memory_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT memory_content_uk UNIQUE (tenant_id, agent_id, content_hash),
  CONSTRAINT memory_tenant_ck CHECK (tenant_id <> ''),
  CONSTRAINT memory_agent_ck CHECK (btrim(agent_id) <> ''),
  CONSTRAINT memory_kind_ck CHECK (btrim(kind) <> ''),
  CONSTRAINT memory_content_ck CHECK (btrim(content) <> ''),
  CONSTRAINT memory_content_hash_ck CHECK (octet_length(content_hash) = 32),
  CONSTRAINT memory_importance_ck CHECK (importance >= 0 AND importance <= 1),
  CONSTRAINT memory_reinforcement_ck CHECK (reinforcement_count > 0),
  CONSTRAINT memory_access_count_ck CHECK (access_count >= 0),
  CONSTRAINT memory_metadata_ck CHECK (jsonb_typeof(metadata) = 'object')
);
CREATE INDEX memory_embedding_idx ON memory USING hnsw (embedding vector_cosine_ops)
  WITH (m = 16, ef_construction = 64);
CREATE INDEX memory_agent_idx ON memory (tenant_id, agent_id, kind);
CREATE INDEX memory_expires_idx ON memory (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX memory_metadata_idx ON memory USING gin (metadata jsonb_path_ops);
