-- agentstore schema snapshot: what the migrations create, in a stable order.
-- Generated; do not edit. Regenerate with: mvn -pl codegen -am -Pregenerate -DskipTests process-classes

CREATE TABLE chunk (
  tenant_id text NOT NULL,
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  knowledge_base_id uuid NOT NULL,
  content_hash bytea NOT NULL,
  content text NOT NULL,
  embedding vector(${embedding_dimension}) NOT NULL,
  distance_metric text NOT NULL,
  text_search_config text NOT NULL,
  content_tsv tsvector GENERATED ALWAYS AS (
CASE text_search_config
    WHEN 'english'::text THEN to_tsvector('english'::regconfig, content)
    WHEN 'german'::text THEN to_tsvector('german'::regconfig, content)
    WHEN 'french'::text THEN to_tsvector('french'::regconfig, content)
    WHEN 'spanish'::text THEN to_tsvector('spanish'::regconfig, content)
    WHEN 'italian'::text THEN to_tsvector('italian'::regconfig, content)
    WHEN 'portuguese'::text THEN to_tsvector('portuguese'::regconfig, content)
    WHEN 'dutch'::text THEN to_tsvector('dutch'::regconfig, content)
    ELSE to_tsvector('simple'::regconfig, content)
END) STORED,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT chunk_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT chunk_hash_uk UNIQUE (tenant_id, knowledge_base_id, content_hash),
  CONSTRAINT chunk_knowledge_base_fk FOREIGN KEY (tenant_id, knowledge_base_id) REFERENCES ${schema}.knowledge_base(tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT chunk_content_ck CHECK (btrim(content) <> ''::text),
  CONSTRAINT chunk_content_hash_ck CHECK (octet_length(content_hash) = 32),
  CONSTRAINT chunk_metric_ck CHECK (distance_metric = ANY (ARRAY['cosine'::text, 'l2'::text, 'inner_product'::text])),
  CONSTRAINT chunk_ts_config_ck CHECK (text_search_config = ANY (ARRAY['simple'::text, 'english'::text, 'german'::text, 'french'::text, 'spanish'::text, 'italian'::text, 'portuguese'::text, 'dutch'::text]))
);
CREATE INDEX chunk_content_tsv_idx ON ${schema}.chunk USING gin (content_tsv);
CREATE INDEX chunk_embedding_cosine_idx ON ${schema}.chunk USING hnsw (embedding vector_cosine_ops) WITH (m='16', ef_construction='64') WHERE (distance_metric = 'cosine'::text);
CREATE INDEX chunk_embedding_ip_idx ON ${schema}.chunk USING hnsw (embedding vector_ip_ops) WITH (m='16', ef_construction='64') WHERE (distance_metric = 'inner_product'::text);
CREATE INDEX chunk_embedding_l2_idx ON ${schema}.chunk USING hnsw (embedding vector_l2_ops) WITH (m='16', ef_construction='64') WHERE (distance_metric = 'l2'::text);

CREATE TABLE conversation_message (
  tenant_id text NOT NULL,
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  session_id uuid NOT NULL,
  seq bigint NOT NULL,
  role text NOT NULL,
  content text NOT NULL,
  sources jsonb DEFAULT '[]'::jsonb NOT NULL,
  response_time_ms bigint,
  input_tokens integer,
  output_tokens integer,
  model text,
  metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
  feedback smallint,
  feedback_comment text,
  feedback_at timestamp with time zone,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  tool_calls jsonb,
  tool_call_id text,
  tool_name text,
  CONSTRAINT conversation_message_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT conversation_message_seq_uk UNIQUE (tenant_id, session_id, seq),
  CONSTRAINT conversation_message_session_fk FOREIGN KEY (tenant_id, session_id) REFERENCES ${schema}.conversation_session(tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT conversation_message_content_ck CHECK (btrim(content) <> ''::text OR tool_calls IS NOT NULL OR tool_call_id IS NOT NULL OR tool_name IS NOT NULL),
  CONSTRAINT conversation_message_feedback_ck CHECK (feedback IS NULL OR (feedback = ANY (ARRAY['-1'::integer, 1]))),
  CONSTRAINT conversation_message_feedback_role_ck CHECK (feedback IS NULL OR role = 'assistant'::text),
  CONSTRAINT conversation_message_input_tokens_ck CHECK (input_tokens IS NULL OR input_tokens >= 0),
  CONSTRAINT conversation_message_metadata_ck CHECK (jsonb_typeof(metadata) = 'object'::text),
  CONSTRAINT conversation_message_output_tokens_ck CHECK (output_tokens IS NULL OR output_tokens >= 0),
  CONSTRAINT conversation_message_response_time_ck CHECK (response_time_ms IS NULL OR response_time_ms >= 0),
  CONSTRAINT conversation_message_role_ck CHECK (role = ANY (ARRAY['system'::text, 'user'::text, 'assistant'::text, 'tool'::text])),
  CONSTRAINT conversation_message_seq_ck CHECK (seq > 0),
  CONSTRAINT conversation_message_sources_ck CHECK (jsonb_typeof(sources) = 'array'::text),
  CONSTRAINT conversation_message_tool_calls_ck CHECK (tool_calls IS NULL OR role = 'assistant'::text AND jsonb_typeof(tool_calls) = 'array'::text AND jsonb_array_length(tool_calls) > 0),
  CONSTRAINT conversation_message_tool_name_ck CHECK (tool_name IS NULL OR btrim(tool_name) <> ''::text),
  CONSTRAINT conversation_message_tool_result_ck CHECK (tool_call_id IS NULL AND tool_name IS NULL OR role = 'tool'::text)
);
CREATE INDEX conversation_message_created_idx ON ${schema}.conversation_message USING btree (tenant_id, created_at);

CREATE TABLE conversation_session (
  tenant_id text NOT NULL,
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  user_id text,
  agent_id text,
  title text,
  metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
  last_seq bigint DEFAULT 0 NOT NULL,
  last_activity_at timestamp with time zone DEFAULT now() NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  host_key text,
  CONSTRAINT conversation_session_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT conversation_session_host_key_ck CHECK (host_key IS NULL OR btrim(host_key) <> ''::text AND length(host_key) <= 500),
  CONSTRAINT conversation_session_last_seq_ck CHECK (last_seq >= 0),
  CONSTRAINT conversation_session_metadata_ck CHECK (jsonb_typeof(metadata) = 'object'::text),
  CONSTRAINT conversation_session_tenant_ck CHECK (tenant_id <> ''::text)
);
CREATE INDEX conversation_session_activity_idx ON ${schema}.conversation_session USING btree (tenant_id, last_activity_at);
CREATE INDEX conversation_session_agent_idx ON ${schema}.conversation_session USING btree (tenant_id, agent_id, last_activity_at DESC, id DESC) WHERE (agent_id IS NOT NULL);
CREATE UNIQUE INDEX conversation_session_host_key_uk ON ${schema}.conversation_session USING btree (tenant_id, host_key) WHERE (host_key IS NOT NULL);
CREATE INDEX conversation_session_user_idx ON ${schema}.conversation_session USING btree (tenant_id, user_id, last_activity_at DESC, id DESC) WHERE (user_id IS NOT NULL);

CREATE TABLE document (
  tenant_id text NOT NULL,
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  knowledge_base_id uuid NOT NULL,
  source_uri text NOT NULL,
  title text,
  doc_type text,
  version text,
  metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
  status text DEFAULT 'pending'::text NOT NULL,
  error_message text,
  content_hash bytea,
  chunk_count integer DEFAULT 0 NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  storage_key text,
  user_id text,
  lease_owner text,
  lease_expires_at timestamp with time zone,
  attempts integer DEFAULT 0 NOT NULL,
  CONSTRAINT document_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT document_source_uk UNIQUE (tenant_id, knowledge_base_id, source_uri),
  CONSTRAINT document_knowledge_base_fk FOREIGN KEY (tenant_id, knowledge_base_id) REFERENCES ${schema}.knowledge_base(tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT document_attempts_ck CHECK (attempts >= 0),
  CONSTRAINT document_chunk_count_ck CHECK (chunk_count >= 0),
  CONSTRAINT document_content_hash_ck CHECK (content_hash IS NULL OR octet_length(content_hash) = 32),
  CONSTRAINT document_failed_has_error_ck CHECK (status <> 'failed'::text OR error_message IS NOT NULL),
  CONSTRAINT document_lease_ck CHECK ((status = 'processing'::text) = (lease_expires_at IS NOT NULL) AND (lease_owner IS NULL OR status = 'processing'::text)),
  CONSTRAINT document_metadata_ck CHECK (jsonb_typeof(metadata) = 'object'::text),
  CONSTRAINT document_source_uri_ck CHECK (btrim(source_uri) <> ''::text),
  CONSTRAINT document_status_ck CHECK (status = ANY (ARRAY['pending'::text, 'processing'::text, 'completed'::text, 'failed'::text])),
  CONSTRAINT document_storage_key_ck CHECK (storage_key IS NULL OR btrim(storage_key) <> ''::text AND length(storage_key) <= 1000),
  CONSTRAINT document_user_ck CHECK (user_id IS NULL OR btrim(user_id) <> ''::text)
);
CREATE INDEX document_kb_created_idx ON ${schema}.document USING btree (tenant_id, knowledge_base_id, created_at);
CREATE INDEX document_kb_type_idx ON ${schema}.document USING btree (tenant_id, knowledge_base_id, doc_type);
CREATE INDEX document_lease_idx ON ${schema}.document USING btree (lease_expires_at) WHERE (status = 'processing'::text);
CREATE INDEX document_metadata_idx ON ${schema}.document USING gin (metadata jsonb_path_ops);
CREATE INDEX document_status_created_idx ON ${schema}.document USING btree (tenant_id, status, created_at, id);
CREATE UNIQUE INDEX document_storage_key_uk ON ${schema}.document USING btree (tenant_id, knowledge_base_id, storage_key) WHERE (storage_key IS NOT NULL);
CREATE INDEX document_user_idx ON ${schema}.document USING btree (tenant_id, user_id) WHERE (user_id IS NOT NULL);
CREATE TRIGGER document_lease_guard_trg BEFORE INSERT OR UPDATE OF status, lease_expires_at, lease_owner ON ${schema}.document FOR EACH ROW EXECUTE FUNCTION ${schema}.document_lease_guard();

CREATE TABLE document_chunk (
  tenant_id text NOT NULL,
  document_id uuid NOT NULL,
  chunk_index integer NOT NULL,
  chunk_id uuid NOT NULL,
  metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
  CONSTRAINT document_chunk_pk PRIMARY KEY (tenant_id, document_id, chunk_index),
  CONSTRAINT document_chunk_chunk_fk FOREIGN KEY (tenant_id, chunk_id) REFERENCES ${schema}.chunk(tenant_id, id),
  CONSTRAINT document_chunk_document_fk FOREIGN KEY (tenant_id, document_id) REFERENCES ${schema}.document(tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT document_chunk_index_ck CHECK (chunk_index >= 0),
  CONSTRAINT document_chunk_metadata_ck CHECK (jsonb_typeof(metadata) = 'object'::text)
);
CREATE INDEX document_chunk_chunk_idx ON ${schema}.document_chunk USING btree (tenant_id, chunk_id);

CREATE TABLE knowledge_base (
  tenant_id text NOT NULL,
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  name text NOT NULL,
  description text,
  embedding_model text,
  embedding_dimension integer NOT NULL,
  distance_metric text DEFAULT 'cosine'::text NOT NULL,
  text_search_config text DEFAULT 'english'::text NOT NULL,
  metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT knowledge_base_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT knowledge_base_name_uk UNIQUE (tenant_id, name),
  CONSTRAINT knowledge_base_dimension_ck CHECK (embedding_dimension = ${embedding_dimension}),
  CONSTRAINT knowledge_base_metadata_ck CHECK (jsonb_typeof(metadata) = 'object'::text),
  CONSTRAINT knowledge_base_metric_ck CHECK (distance_metric = ANY (ARRAY['cosine'::text, 'l2'::text, 'inner_product'::text])),
  CONSTRAINT knowledge_base_name_ck CHECK (btrim(name) <> ''::text),
  CONSTRAINT knowledge_base_tenant_ck CHECK (tenant_id <> ''::text),
  CONSTRAINT knowledge_base_ts_config_ck CHECK (text_search_config = ANY (ARRAY['simple'::text, 'english'::text, 'german'::text, 'french'::text, 'spanish'::text, 'italian'::text, 'portuguese'::text, 'dutch'::text]))
);

CREATE TABLE memory (
  tenant_id text NOT NULL,
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  agent_id text NOT NULL,
  user_id text,
  session_id uuid,
  kind text NOT NULL,
  content text NOT NULL,
  content_hash bytea NOT NULL,
  embedding vector(${embedding_dimension}) NOT NULL,
  importance double precision DEFAULT 0.5 NOT NULL,
  metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
  reinforcement_count integer DEFAULT 1 NOT NULL,
  last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
  access_count integer DEFAULT 0 NOT NULL,
  last_accessed_at timestamp with time zone,
  expires_at timestamp with time zone,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT memory_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT memory_content_uk UNIQUE (tenant_id, agent_id, content_hash),
  CONSTRAINT memory_access_count_ck CHECK (access_count >= 0),
  CONSTRAINT memory_agent_ck CHECK (btrim(agent_id) <> ''::text),
  CONSTRAINT memory_content_ck CHECK (btrim(content) <> ''::text),
  CONSTRAINT memory_content_hash_ck CHECK (octet_length(content_hash) = 32),
  CONSTRAINT memory_importance_ck CHECK (importance >= 0::double precision AND importance <= 1::double precision),
  CONSTRAINT memory_kind_ck CHECK (btrim(kind) <> ''::text),
  CONSTRAINT memory_metadata_ck CHECK (jsonb_typeof(metadata) = 'object'::text),
  CONSTRAINT memory_reinforcement_ck CHECK (reinforcement_count > 0),
  CONSTRAINT memory_tenant_ck CHECK (tenant_id <> ''::text)
);
CREATE INDEX memory_agent_idx ON ${schema}.memory USING btree (tenant_id, agent_id, kind);
CREATE INDEX memory_embedding_idx ON ${schema}.memory USING hnsw (embedding vector_cosine_ops) WITH (m='16', ef_construction='64');
CREATE INDEX memory_expires_idx ON ${schema}.memory USING btree (expires_at) WHERE (expires_at IS NOT NULL);
CREATE INDEX memory_metadata_idx ON ${schema}.memory USING gin (metadata jsonb_path_ops);
CREATE INDEX memory_session_idx ON ${schema}.memory USING btree (tenant_id, session_id) WHERE (session_id IS NOT NULL);
CREATE INDEX memory_user_idx ON ${schema}.memory USING btree (tenant_id, user_id) WHERE (user_id IS NOT NULL);

CREATE TABLE memory_entry (
  tenant_id text NOT NULL,
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  agent_id text NOT NULL,
  scope text NOT NULL,
  scope_id text DEFAULT ''::text NOT NULL,
  session_id uuid,
  key text NOT NULL,
  value jsonb NOT NULL,
  version bigint DEFAULT 1 NOT NULL,
  expires_at timestamp with time zone,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT memory_entry_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT memory_entry_key_uk UNIQUE (tenant_id, agent_id, scope, scope_id, key),
  CONSTRAINT memory_entry_session_fk FOREIGN KEY (tenant_id, session_id) REFERENCES ${schema}.conversation_session(tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT memory_entry_agent_ck CHECK (btrim(agent_id) <> ''::text),
  CONSTRAINT memory_entry_key_ck CHECK (btrim(key) <> ''::text),
  CONSTRAINT memory_entry_scope_ck CHECK (scope = 'agent'::text AND scope_id = ''::text AND session_id IS NULL OR scope = 'user'::text AND scope_id <> ''::text AND session_id IS NULL OR scope = 'session'::text AND session_id IS NOT NULL AND scope_id = session_id::text),
  CONSTRAINT memory_entry_tenant_ck CHECK (tenant_id <> ''::text),
  CONSTRAINT memory_entry_version_ck CHECK (version > 0)
);
CREATE INDEX memory_entry_expires_idx ON ${schema}.memory_entry USING btree (expires_at) WHERE (expires_at IS NOT NULL);
CREATE INDEX memory_entry_session_idx ON ${schema}.memory_entry USING btree (tenant_id, session_id) WHERE (session_id IS NOT NULL);
CREATE INDEX memory_entry_user_idx ON ${schema}.memory_entry USING btree (tenant_id, scope_id) WHERE (scope = 'user'::text);

CREATE OR REPLACE FUNCTION ${schema}.document_lease_guard()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog'
AS $function$
BEGIN
  IF NEW.status = 'processing' THEN
    IF NEW.lease_expires_at IS NULL THEN
      NEW.lease_expires_at := statement_timestamp() + interval '10 minutes';
    END IF;
  ELSE
    NEW.lease_owner := NULL;
    NEW.lease_expires_at := NULL;
  END IF;
  RETURN NEW;
END
$function$;
