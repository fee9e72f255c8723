-- agentstore schema snapshot: what the migrations create, in a stable order.
-- Generated; do not edit. Regenerate with: mvn -pl codegen -am -Pregenerate -DskipTests process-classes

CREATE TABLE agent (
  tenant_id text NOT NULL,
  agent_id text NOT NULL,
  display_name text,
  description text,
  metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
  active_version integer,
  latest_version integer DEFAULT 0 NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT agent_pk PRIMARY KEY (tenant_id, agent_id),
  CONSTRAINT agent_active_version_fk FOREIGN KEY (tenant_id, agent_id, active_version) REFERENCES ${schema}.agent_version(tenant_id, agent_id, version),
  CONSTRAINT agent_active_version_ck CHECK (active_version IS NULL OR active_version > 0 AND active_version <= latest_version),
  CONSTRAINT agent_id_ck CHECK (btrim(agent_id) <> ''::text),
  CONSTRAINT agent_latest_version_ck CHECK (latest_version >= 0),
  CONSTRAINT agent_metadata_ck CHECK (jsonb_typeof(metadata) = 'object'::text),
  CONSTRAINT agent_tenant_ck CHECK (tenant_id <> ''::text)
);
ALTER TABLE agent ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON agent AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));

CREATE TABLE agent_run (
  tenant_id text NOT NULL,
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  agent_id text NOT NULL,
  version integer NOT NULL,
  session_id uuid,
  message_id uuid,
  input text,
  output text,
  started_at timestamp with time zone NOT NULL,
  duration_ms bigint NOT NULL,
  input_tokens integer,
  output_tokens integer,
  cost numeric(20,10),
  success boolean NOT NULL,
  error_message text,
  routed_by text,
  routing_confidence double precision,
  routing_reason text,
  quality_score double precision,
  quality_at timestamp with time zone,
  feedback smallint,
  feedback_comment text,
  feedback_at timestamp with time zone,
  metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  user_id text,
  CONSTRAINT agent_run_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT agent_run_message_fk FOREIGN KEY (tenant_id, message_id) REFERENCES ${schema}.conversation_message(tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT agent_run_session_fk FOREIGN KEY (tenant_id, session_id) REFERENCES ${schema}.conversation_session(tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT agent_run_version_fk FOREIGN KEY (tenant_id, agent_id, version) REFERENCES ${schema}.agent_version(tenant_id, agent_id, version) ON DELETE CASCADE,
  CONSTRAINT agent_run_cost_ck CHECK (cost IS NULL OR cost >= 0::numeric),
  CONSTRAINT agent_run_duration_ck CHECK (duration_ms >= 0),
  CONSTRAINT agent_run_error_ck CHECK (success OR error_message IS NOT NULL),
  CONSTRAINT agent_run_feedback_at_ck CHECK ((feedback IS NULL) = (feedback_at IS NULL)),
  CONSTRAINT agent_run_feedback_ck CHECK (feedback IS NULL OR (feedback = ANY (ARRAY['-1'::integer, 1]))),
  CONSTRAINT agent_run_input_tokens_ck CHECK (input_tokens IS NULL OR input_tokens >= 0),
  CONSTRAINT agent_run_metadata_ck CHECK (jsonb_typeof(metadata) = 'object'::text),
  CONSTRAINT agent_run_output_tokens_ck CHECK (output_tokens IS NULL OR output_tokens >= 0),
  CONSTRAINT agent_run_quality_at_ck CHECK ((quality_score IS NULL) = (quality_at IS NULL)),
  CONSTRAINT agent_run_quality_ck CHECK (quality_score IS NULL OR quality_score >= 0::double precision AND quality_score <= 1::double precision),
  CONSTRAINT agent_run_routing_confidence_ck CHECK (routing_confidence IS NULL OR routing_confidence >= 0::double precision AND routing_confidence <= 1::double precision),
  CONSTRAINT agent_run_user_ck CHECK (user_id IS NULL OR btrim(user_id) <> ''::text)
);
ALTER TABLE agent_run ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON agent_run AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));
CREATE INDEX agent_run_agent_started_idx ON ${schema}.agent_run USING btree (tenant_id, agent_id, started_at, id) INCLUDE (version, success, duration_ms, input_tokens, output_tokens, cost, feedback, quality_score);
CREATE INDEX agent_run_message_idx ON ${schema}.agent_run USING btree (tenant_id, message_id) WHERE (message_id IS NOT NULL);
CREATE INDEX agent_run_session_idx ON ${schema}.agent_run USING btree (tenant_id, session_id) WHERE (session_id IS NOT NULL);
CREATE INDEX agent_run_started_idx ON ${schema}.agent_run USING btree (tenant_id, started_at, id);
CREATE INDEX agent_run_user_idx ON ${schema}.agent_run USING btree (tenant_id, user_id) WHERE (user_id IS NOT NULL);
CREATE TRIGGER agent_run_feedback_to_message_trg AFTER UPDATE OF feedback, feedback_comment, feedback_at ON ${schema}.agent_run FOR EACH ROW WHEN (new.feedback IS DISTINCT FROM old.feedback OR new.feedback_comment IS DISTINCT FROM old.feedback_comment OR new.feedback_at IS DISTINCT FROM old.feedback_at) EXECUTE FUNCTION ${schema}.agent_run_feedback_to_message();
CREATE TRIGGER agent_run_rollup_delete_trg AFTER DELETE ON ${schema}.agent_run REFERENCING OLD TABLE AS old_runs FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.agent_run_rollup();
CREATE TRIGGER agent_run_rollup_update_trg AFTER UPDATE ON ${schema}.agent_run REFERENCING OLD TABLE AS old_runs NEW TABLE AS new_runs FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.agent_run_rollup();

CREATE TABLE agent_run_chunk (
  tenant_id text NOT NULL,
  run_id uuid NOT NULL,
  position smallint NOT NULL,
  chunk_id uuid NOT NULL,
  score double precision,
  CONSTRAINT agent_run_chunk_pk PRIMARY KEY (tenant_id, run_id, "position"),
  CONSTRAINT agent_run_chunk_run_fk FOREIGN KEY (tenant_id, run_id) REFERENCES ${schema}.agent_run(tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT agent_run_chunk_position_ck CHECK ("position" >= 0)
);
ALTER TABLE agent_run_chunk ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON agent_run_chunk AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));

CREATE TABLE agent_run_daily (
  tenant_id text NOT NULL,
  agent_id text NOT NULL,
  day date NOT NULL,
  version integer NOT NULL,
  runs bigint NOT NULL,
  successes bigint NOT NULL,
  duration_ms bigint NOT NULL,
  input_tokens bigint NOT NULL,
  output_tokens bigint NOT NULL,
  cost numeric NOT NULL,
  feedback_up bigint NOT NULL,
  feedback_down bigint NOT NULL,
  quality numeric NOT NULL,
  scored bigint NOT NULL,
  shard smallint NOT NULL,
  CONSTRAINT agent_run_daily_pk PRIMARY KEY (tenant_id, agent_id, day, version, shard),
  CONSTRAINT agent_run_daily_version_fk FOREIGN KEY (tenant_id, agent_id, version) REFERENCES ${schema}.agent_version(tenant_id, agent_id, version) ON DELETE CASCADE,
  CONSTRAINT agent_run_daily_runs_ck CHECK (runs >= 0),
  CONSTRAINT agent_run_daily_shard_ck CHECK (shard >= 0 AND shard <= 3)
);
COMMENT ON TABLE agent_run_daily IS 'agentstore: per agent version, UTC day and shard, the sums of the runs started that day (written by Runs.record; kept by triggers on agent_run for updates and deletes; agent_run_rollup_rebuild for runs inserted outside agentstore)';
ALTER TABLE agent_run_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON agent_run_daily AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));

CREATE TABLE agent_run_daily_latency (
  tenant_id text NOT NULL,
  agent_id text NOT NULL,
  day date NOT NULL,
  version integer NOT NULL,
  bucket integer NOT NULL,
  runs bigint NOT NULL,
  shard smallint NOT NULL,
  CONSTRAINT agent_run_daily_latency_pk PRIMARY KEY (tenant_id, agent_id, day, version, bucket, shard),
  CONSTRAINT agent_run_daily_latency_version_fk FOREIGN KEY (tenant_id, agent_id, version) REFERENCES ${schema}.agent_version(tenant_id, agent_id, version) ON DELETE CASCADE,
  CONSTRAINT agent_run_daily_latency_runs_ck CHECK (runs >= 0),
  CONSTRAINT agent_run_daily_latency_shard_ck CHECK (shard >= 0 AND shard <= 3)
);
COMMENT ON TABLE agent_run_daily_latency IS 'agentstore: per agent version, UTC day, latency bucket (agent_run_latency_bucket) and shard, how many runs fell into it';
ALTER TABLE agent_run_daily_latency ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON agent_run_daily_latency AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));

CREATE TABLE agent_run_tool_call (
  tenant_id text NOT NULL,
  run_id uuid NOT NULL,
  position smallint NOT NULL,
  tool_name text NOT NULL,
  arguments jsonb DEFAULT '{}'::jsonb NOT NULL,
  result_size integer,
  latency_ms bigint NOT NULL,
  outcome text NOT NULL,
  error_message text,
  CONSTRAINT agent_run_tool_call_pk PRIMARY KEY (tenant_id, run_id, "position"),
  CONSTRAINT agent_run_tool_call_run_fk FOREIGN KEY (tenant_id, run_id) REFERENCES ${schema}.agent_run(tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT agent_run_tool_call_latency_ck CHECK (latency_ms >= 0),
  CONSTRAINT agent_run_tool_call_name_ck CHECK (btrim(tool_name) <> ''::text),
  CONSTRAINT agent_run_tool_call_outcome_ck CHECK (outcome = ANY (ARRAY['success'::text, 'error'::text, 'timeout'::text])),
  CONSTRAINT agent_run_tool_call_position_ck CHECK ("position" >= 0),
  CONSTRAINT agent_run_tool_call_result_size_ck CHECK (result_size IS NULL OR result_size >= 0)
);
ALTER TABLE agent_run_tool_call ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON agent_run_tool_call AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));

CREATE TABLE agent_team (
  tenant_id text NOT NULL,
  team_id text NOT NULL,
  mode text NOT NULL,
  description text,
  metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT agent_team_pk PRIMARY KEY (tenant_id, team_id),
  CONSTRAINT agent_team_id_ck CHECK (btrim(team_id) <> ''::text),
  CONSTRAINT agent_team_metadata_ck CHECK (jsonb_typeof(metadata) = 'object'::text),
  CONSTRAINT agent_team_mode_ck CHECK (mode = ANY (ARRAY['route'::text, 'parallel'::text, 'sequential'::text])),
  CONSTRAINT agent_team_tenant_ck CHECK (tenant_id <> ''::text)
);
ALTER TABLE agent_team ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON agent_team AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));

CREATE TABLE agent_team_member (
  tenant_id text NOT NULL,
  team_id text NOT NULL,
  position smallint NOT NULL,
  agent_id text NOT NULL,
  pinned_version integer,
  role text,
  CONSTRAINT agent_team_member_pk PRIMARY KEY (tenant_id, team_id, "position"),
  CONSTRAINT agent_team_member_agent_uk UNIQUE (tenant_id, team_id, agent_id),
  CONSTRAINT agent_team_member_agent_fk FOREIGN KEY (tenant_id, agent_id) REFERENCES ${schema}.agent(tenant_id, agent_id) ON DELETE CASCADE,
  CONSTRAINT agent_team_member_team_fk FOREIGN KEY (tenant_id, team_id) REFERENCES ${schema}.agent_team(tenant_id, team_id) ON DELETE CASCADE,
  CONSTRAINT agent_team_member_version_fk FOREIGN KEY (tenant_id, agent_id, pinned_version) REFERENCES ${schema}.agent_version(tenant_id, agent_id, version),
  CONSTRAINT agent_team_member_position_ck CHECK ("position" >= 0)
);
ALTER TABLE agent_team_member ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON agent_team_member AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));
CREATE INDEX agent_team_member_agent_idx ON ${schema}.agent_team_member USING btree (tenant_id, agent_id);

CREATE TABLE agent_version (
  tenant_id text NOT NULL,
  agent_id text NOT NULL,
  version integer NOT NULL,
  content_hash bytea NOT NULL,
  model_provider text,
  model_name text NOT NULL,
  system_prompt text,
  instructions jsonb DEFAULT '{}'::jsonb NOT NULL,
  parameters jsonb DEFAULT '{}'::jsonb NOT NULL,
  change_note text,
  retired_at timestamp with time zone,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT agent_version_pk PRIMARY KEY (tenant_id, agent_id, version),
  CONSTRAINT agent_version_hash_uk UNIQUE (tenant_id, agent_id, content_hash),
  CONSTRAINT agent_version_agent_fk FOREIGN KEY (tenant_id, agent_id) REFERENCES ${schema}.agent(tenant_id, agent_id) ON DELETE CASCADE,
  CONSTRAINT agent_version_hash_ck CHECK (octet_length(content_hash) = 32),
  CONSTRAINT agent_version_instructions_ck CHECK (jsonb_typeof(instructions) = 'object'::text),
  CONSTRAINT agent_version_model_ck CHECK (btrim(model_name) <> ''::text),
  CONSTRAINT agent_version_parameters_ck CHECK (jsonb_typeof(parameters) = 'object'::text),
  CONSTRAINT agent_version_version_ck CHECK (version > 0)
);
ALTER TABLE agent_version ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON agent_version AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));

CREATE TABLE agent_version_knowledge_base (
  tenant_id text NOT NULL,
  agent_id text NOT NULL,
  version integer NOT NULL,
  knowledge_base_id uuid NOT NULL,
  CONSTRAINT agent_version_knowledge_base_pk PRIMARY KEY (tenant_id, agent_id, version, knowledge_base_id),
  CONSTRAINT agent_version_knowledge_base_version_fk FOREIGN KEY (tenant_id, agent_id, version) REFERENCES ${schema}.agent_version(tenant_id, agent_id, version) ON DELETE CASCADE
);
ALTER TABLE agent_version_knowledge_base ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON agent_version_knowledge_base AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));

CREATE TABLE agent_version_tool (
  tenant_id text NOT NULL,
  agent_id text NOT NULL,
  version integer NOT NULL,
  position smallint NOT NULL,
  tool_name text NOT NULL,
  description text,
  parameters_schema jsonb DEFAULT '{}'::jsonb NOT NULL,
  CONSTRAINT agent_version_tool_pk PRIMARY KEY (tenant_id, agent_id, version, "position"),
  CONSTRAINT agent_version_tool_name_uk UNIQUE (tenant_id, agent_id, version, tool_name),
  CONSTRAINT agent_version_tool_version_fk FOREIGN KEY (tenant_id, agent_id, version) REFERENCES ${schema}.agent_version(tenant_id, agent_id, version) ON DELETE CASCADE,
  CONSTRAINT agent_version_tool_name_ck CHECK (btrim(tool_name) <> ''::text),
  CONSTRAINT agent_version_tool_position_ck CHECK ("position" >= 0),
  CONSTRAINT agent_version_tool_schema_ck CHECK (jsonb_typeof(parameters_schema) = 'object'::text)
);
ALTER TABLE agent_version_tool ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON agent_version_tool AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));

CREATE TABLE chunk (
  tenant_id text NOT NULL,
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  knowledge_base_id uuid NOT NULL,
  content_hash bytea NOT NULL,
  content text,
  embedding vector NOT NULL,
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
  segment integer DEFAULT 0 NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT chunk_pk PRIMARY KEY (tenant_id, knowledge_base_id, id),
  CONSTRAINT chunk_hash_uk UNIQUE (tenant_id, content_hash, knowledge_base_id),
  CONSTRAINT chunk_content_ck CHECK (content IS NULL OR btrim(content) <> ''::text),
  CONSTRAINT chunk_content_hash_ck CHECK (octet_length(content_hash) = 32),
  CONSTRAINT chunk_metric_ck CHECK (distance_metric = ANY (ARRAY['cosine'::text, 'l2'::text, 'inner_product'::text])),
  CONSTRAINT chunk_segment_ck CHECK (segment >= 0),
  CONSTRAINT chunk_ts_config_ck CHECK (text_search_config = ANY (ARRAY['simple'::text, 'english'::text, 'german'::text, 'french'::text, 'spanish'::text, 'italian'::text, 'portuguese'::text, 'dutch'::text]))
) PARTITION BY LIST (knowledge_base_id);
ALTER TABLE chunk ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON chunk AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));

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
  agent_run_id uuid,
  tool_calls jsonb,
  tool_call_id text,
  tool_name text,
  CONSTRAINT conversation_message_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT conversation_message_seq_uk UNIQUE (tenant_id, session_id, seq),
  CONSTRAINT conversation_message_agent_run_fk FOREIGN KEY (tenant_id, agent_run_id) REFERENCES ${schema}.agent_run(tenant_id, id) ON DELETE SET NULL (agent_run_id),
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
ALTER TABLE conversation_message ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON conversation_message AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));
CREATE INDEX conversation_message_agent_run_idx ON ${schema}.conversation_message USING btree (tenant_id, agent_run_id) WHERE (agent_run_id IS NOT NULL);
CREATE INDEX conversation_message_created_idx ON ${schema}.conversation_message USING btree (tenant_id, created_at);
CREATE TRIGGER conversation_message_feedback_to_run_trg AFTER UPDATE OF feedback, feedback_comment, feedback_at, agent_run_id ON ${schema}.conversation_message FOR EACH ROW WHEN (new.agent_run_id IS NOT NULL AND (new.feedback IS NOT NULL OR old.feedback IS NOT NULL) AND (new.feedback IS DISTINCT FROM old.feedback OR new.feedback_comment IS DISTINCT FROM old.feedback_comment OR new.feedback_at IS DISTINCT FROM old.feedback_at OR new.agent_run_id IS DISTINCT FROM old.agent_run_id)) EXECUTE FUNCTION ${schema}.conversation_message_feedback_to_run();

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
  deleted_messages bigint DEFAULT 0 NOT NULL,
  CONSTRAINT conversation_session_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT conversation_session_deleted_messages_ck CHECK (deleted_messages >= 0 AND deleted_messages <= last_seq),
  CONSTRAINT conversation_session_host_key_ck CHECK (host_key IS NULL OR btrim(host_key) <> ''::text AND length(host_key) <= 500),
  CONSTRAINT conversation_session_last_seq_ck CHECK (last_seq >= 0),
  CONSTRAINT conversation_session_metadata_ck CHECK (jsonb_typeof(metadata) = 'object'::text),
  CONSTRAINT conversation_session_tenant_ck CHECK (tenant_id <> ''::text)
);
ALTER TABLE conversation_session ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON conversation_session AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));
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
  CONSTRAINT document_kb_id_uk UNIQUE (tenant_id, knowledge_base_id, id),
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
ALTER TABLE document ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON document AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));
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
  knowledge_base_id uuid NOT NULL,
  document_id uuid NOT NULL,
  chunk_index integer NOT NULL,
  chunk_id uuid NOT NULL,
  metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
  CONSTRAINT document_chunk_pk PRIMARY KEY (tenant_id, knowledge_base_id, document_id, chunk_index),
  CONSTRAINT document_chunk_document_fk FOREIGN KEY (tenant_id, knowledge_base_id, document_id) REFERENCES ${schema}.document(tenant_id, knowledge_base_id, id) ON DELETE CASCADE,
  CONSTRAINT document_chunk_index_ck CHECK (chunk_index >= 0),
  CONSTRAINT document_chunk_metadata_ck CHECK (jsonb_typeof(metadata) = 'object'::text)
) PARTITION BY LIST (knowledge_base_id);
ALTER TABLE document_chunk ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON document_chunk AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));
CREATE INDEX document_chunk_chunk_idx ON ONLY ${schema}.document_chunk USING btree (tenant_id, chunk_id, knowledge_base_id);

CREATE TABLE knowledge_base (
  tenant_id text NOT NULL,
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  name text NOT NULL,
  description text,
  embedding_model text,
  embedding_dimension integer DEFAULT ${embedding_dimension} NOT NULL,
  distance_metric text DEFAULT 'cosine'::text NOT NULL,
  text_search_config text DEFAULT 'english'::text NOT NULL,
  metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  storage_id integer DEFAULT nextval('${schema}.knowledge_storage_id_seq'::regclass) NOT NULL,
  vector_type text DEFAULT 'vector'::text NOT NULL,
  next_segment integer DEFAULT 1 NOT NULL,
  CONSTRAINT knowledge_base_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT knowledge_base_name_uk UNIQUE (tenant_id, name),
  CONSTRAINT knowledge_base_storage_uk UNIQUE (tenant_id, storage_id),
  CONSTRAINT knowledge_base_dimension_ck CHECK (embedding_dimension >= 1 AND embedding_dimension <=
CASE vector_type
    WHEN 'halfvec'::text THEN 4000
    ELSE 2000
END),
  CONSTRAINT knowledge_base_metadata_ck CHECK (jsonb_typeof(metadata) = 'object'::text),
  CONSTRAINT knowledge_base_metric_ck CHECK (distance_metric = ANY (ARRAY['cosine'::text, 'l2'::text, 'inner_product'::text])),
  CONSTRAINT knowledge_base_name_ck CHECK (btrim(name) <> ''::text),
  CONSTRAINT knowledge_base_next_segment_ck CHECK (next_segment >= 1),
  CONSTRAINT knowledge_base_tenant_ck CHECK (tenant_id <> ''::text),
  CONSTRAINT knowledge_base_ts_config_ck CHECK (text_search_config = ANY (ARRAY['simple'::text, 'english'::text, 'german'::text, 'french'::text, 'spanish'::text, 'italian'::text, 'portuguese'::text, 'dutch'::text])),
  CONSTRAINT knowledge_base_vector_type_ck CHECK (vector_type = ANY (ARRAY['vector'::text, 'halfvec'::text]))
);
ALTER TABLE knowledge_base ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON knowledge_base AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));

CREATE TABLE knowledge_base_segment (
  tenant_id text NOT NULL,
  knowledge_base_id uuid NOT NULL,
  segment_from integer NOT NULL,
  segment_to integer NOT NULL,
  vector_index text,
  text_index text NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT knowledge_base_segment_pk PRIMARY KEY (tenant_id, knowledge_base_id, segment_from),
  CONSTRAINT knowledge_base_segment_kb_fk FOREIGN KEY (tenant_id, knowledge_base_id) REFERENCES ${schema}.knowledge_base(tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT knowledge_base_segment_live_ck CHECK (segment_from > 0 OR segment_to = 0),
  CONSTRAINT knowledge_base_segment_range_ck CHECK (segment_from >= 0 AND segment_from <= segment_to)
);
ALTER TABLE knowledge_base_segment ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON knowledge_base_segment AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));

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
ALTER TABLE memory ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON memory AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));
CREATE INDEX memory_agent_idx ON ${schema}.memory USING btree (tenant_id, agent_id, kind);
CREATE INDEX memory_embedding_idx ON ${schema}.memory USING hnsw (embedding vector_cosine_ops) WITH (m='32', ef_construction='128');
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
ALTER TABLE memory_entry ENABLE ROW LEVEL SECURITY;
CREATE POLICY agentstore_tenant_isolation ON memory_entry AS PERMISSIVE FOR ALL TO public USING ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting))) WITH CHECK ((tenant_id = ( SELECT current_setting('agentstore.tenant'::text, true) AS current_setting)));
CREATE INDEX memory_entry_expires_idx ON ${schema}.memory_entry USING btree (expires_at) WHERE (expires_at IS NOT NULL);
CREATE INDEX memory_entry_session_idx ON ${schema}.memory_entry USING btree (tenant_id, session_id) WHERE (session_id IS NOT NULL);
CREATE INDEX memory_entry_user_idx ON ${schema}.memory_entry USING btree (tenant_id, scope_id) WHERE (scope = 'user'::text);

CREATE SEQUENCE knowledge_storage_id_seq;

CREATE OR REPLACE FUNCTION ${schema}.agent_run_feedback_to_message()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
BEGIN
  UPDATE conversation_message m
     SET feedback = NEW.feedback, feedback_comment = NEW.feedback_comment, feedback_at = NEW.feedback_at
   WHERE m.tenant_id = NEW.tenant_id AND m.agent_run_id = NEW.id AND m.role = 'assistant'
     AND (m.feedback, m.feedback_comment, m.feedback_at) IS DISTINCT FROM (NEW.feedback, NEW.feedback_comment, NEW.feedback_at);
  RETURN NULL;
END
$function$;

CREATE OR REPLACE FUNCTION ${schema}.agent_run_latency_bucket(duration_ms bigint)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
 SET search_path TO 'pg_catalog'
AS $function$
  SELECT CASE WHEN duration_ms < 20 THEN duration_ms::integer
              ELSE 20 + floor(ln(duration_ms / 20.0) / ln(1.05))::integer END
$function$;

CREATE OR REPLACE FUNCTION ${schema}.agent_run_rollup()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM 1 FROM agent_run_daily t
      JOIN (SELECT DISTINCT o.tenant_id, o.agent_id, (o.started_at AT TIME ZONE 'UTC')::date AS day, o.version,
                   agent_run_rollup_shard(o.id) AS shard
              FROM old_runs o) k USING (tenant_id, agent_id, day, version, shard)
     ORDER BY t.tenant_id, t.agent_id, t.day, t.version, t.shard
       FOR UPDATE OF t;
    PERFORM 1 FROM agent_run_daily_latency t
      JOIN (SELECT DISTINCT o.tenant_id, o.agent_id, (o.started_at AT TIME ZONE 'UTC')::date AS day, o.version,
                   agent_run_latency_bucket(o.duration_ms) AS bucket, agent_run_rollup_shard(o.id) AS shard
              FROM old_runs o) k USING (tenant_id, agent_id, day, version, bucket, shard)
     ORDER BY t.tenant_id, t.agent_id, t.day, t.version, t.bucket, t.shard
       FOR UPDATE OF t;
    UPDATE agent_run_daily t
       SET runs = t.runs - d.runs, successes = t.successes - d.successes, duration_ms = t.duration_ms - d.duration_ms,
           input_tokens = t.input_tokens - d.input_tokens, output_tokens = t.output_tokens - d.output_tokens,
           cost = t.cost - d.cost, feedback_up = t.feedback_up - d.feedback_up,
           feedback_down = t.feedback_down - d.feedback_down, quality = t.quality - d.quality, scored = t.scored - d.scored
      FROM (SELECT o.tenant_id, o.agent_id, (o.started_at AT TIME ZONE 'UTC')::date AS day, o.version,
                   agent_run_rollup_shard(o.id) AS shard, count(*) AS runs,
                   count(*) FILTER (WHERE o.success) AS successes, sum(o.duration_ms) AS duration_ms,
                   coalesce(sum(o.input_tokens), 0) AS input_tokens, coalesce(sum(o.output_tokens), 0) AS output_tokens,
                   coalesce(sum(o.cost), 0) AS cost, count(*) FILTER (WHERE o.feedback = 1) AS feedback_up,
                   count(*) FILTER (WHERE o.feedback = -1) AS feedback_down,
                   coalesce(sum(o.quality_score::numeric), 0) AS quality, count(o.quality_score) AS scored
              FROM old_runs o
             GROUP BY 1, 2, 3, 4, 5) d
     WHERE t.tenant_id = d.tenant_id AND t.agent_id = d.agent_id AND t.day = d.day AND t.version = d.version
       AND t.shard = d.shard;
    UPDATE agent_run_daily_latency t
       SET runs = t.runs - d.runs
      FROM (SELECT o.tenant_id, o.agent_id, (o.started_at AT TIME ZONE 'UTC')::date AS day, o.version,
                   agent_run_latency_bucket(o.duration_ms) AS bucket, agent_run_rollup_shard(o.id) AS shard, count(*) AS runs
              FROM old_runs o
             GROUP BY 1, 2, 3, 4, 5, 6) d
     WHERE t.tenant_id = d.tenant_id AND t.agent_id = d.agent_id AND t.day = d.day AND t.version = d.version
       AND t.bucket = d.bucket AND t.shard = d.shard;
  END IF;

  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO agent_run_daily AS t (tenant_id, agent_id, day, version, shard, runs, successes, duration_ms, input_tokens,
                                      output_tokens, cost, feedback_up, feedback_down, quality, scored)
    SELECT n.tenant_id, n.agent_id, (n.started_at AT TIME ZONE 'UTC')::date, n.version, agent_run_rollup_shard(n.id),
           count(*), count(*) FILTER (WHERE n.success), sum(n.duration_ms), coalesce(sum(n.input_tokens), 0),
           coalesce(sum(n.output_tokens), 0), coalesce(sum(n.cost), 0), count(*) FILTER (WHERE n.feedback = 1),
           count(*) FILTER (WHERE n.feedback = -1), coalesce(sum(n.quality_score::numeric), 0), count(n.quality_score)
      FROM new_runs n
     GROUP BY 1, 2, 3, 4, 5
     ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (tenant_id, agent_id, day, version, shard) DO UPDATE
       SET runs = t.runs + excluded.runs, successes = t.successes + excluded.successes,
           duration_ms = t.duration_ms + excluded.duration_ms, input_tokens = t.input_tokens + excluded.input_tokens,
           output_tokens = t.output_tokens + excluded.output_tokens, cost = t.cost + excluded.cost,
           feedback_up = t.feedback_up + excluded.feedback_up, feedback_down = t.feedback_down + excluded.feedback_down,
           quality = t.quality + excluded.quality, scored = t.scored + excluded.scored;
    INSERT INTO agent_run_daily_latency AS t (tenant_id, agent_id, day, version, bucket, shard, runs)
    SELECT n.tenant_id, n.agent_id, (n.started_at AT TIME ZONE 'UTC')::date, n.version,
           agent_run_latency_bucket(n.duration_ms), agent_run_rollup_shard(n.id), count(*)
      FROM new_runs n
     GROUP BY 1, 2, 3, 4, 5, 6
     ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (tenant_id, agent_id, day, version, bucket, shard) DO UPDATE SET runs = t.runs + excluded.runs;
  END IF;

  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    DELETE FROM agent_run_daily t
     USING (SELECT DISTINCT o.tenant_id, o.agent_id, (o.started_at AT TIME ZONE 'UTC')::date AS day, o.version,
                   agent_run_rollup_shard(o.id) AS shard
              FROM old_runs o) k
     WHERE t.tenant_id = k.tenant_id AND t.agent_id = k.agent_id AND t.day = k.day AND t.version = k.version
       AND t.shard = k.shard AND t.runs = 0;
    DELETE FROM agent_run_daily_latency t
     USING (SELECT DISTINCT o.tenant_id, o.agent_id, (o.started_at AT TIME ZONE 'UTC')::date AS day, o.version,
                   agent_run_latency_bucket(o.duration_ms) AS bucket, agent_run_rollup_shard(o.id) AS shard
              FROM old_runs o) k
     WHERE t.tenant_id = k.tenant_id AND t.agent_id = k.agent_id AND t.day = k.day AND t.version = k.version
       AND t.bucket = k.bucket AND t.shard = k.shard AND t.runs = 0;
  END IF;
  RETURN NULL;
END
$function$;

CREATE OR REPLACE FUNCTION ${schema}.agent_run_rollup_rebuild(p_tenant text, p_from date, p_to date)
 RETURNS bigint
 LANGUAGE plpgsql
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
DECLARE
  v_runs bigint;
BEGIN
  LOCK TABLE agent_run IN SHARE MODE;
  DELETE FROM agent_run_daily t
   WHERE (p_tenant IS NULL OR t.tenant_id = p_tenant) AND (p_from IS NULL OR t.day >= p_from)
     AND (p_to IS NULL OR t.day < p_to);
  DELETE FROM agent_run_daily_latency t
   WHERE (p_tenant IS NULL OR t.tenant_id = p_tenant) AND (p_from IS NULL OR t.day >= p_from)
     AND (p_to IS NULL OR t.day < p_to);
  INSERT INTO agent_run_daily (tenant_id, agent_id, day, version, shard, runs, successes, duration_ms, input_tokens,
                               output_tokens, cost, feedback_up, feedback_down, quality, scored)
  SELECT r.tenant_id, r.agent_id, (r.started_at AT TIME ZONE 'UTC')::date, r.version, agent_run_rollup_shard(r.id), count(*),
         count(*) FILTER (WHERE r.success), sum(r.duration_ms), coalesce(sum(r.input_tokens), 0),
         coalesce(sum(r.output_tokens), 0), coalesce(sum(r.cost), 0), count(*) FILTER (WHERE r.feedback = 1),
         count(*) FILTER (WHERE r.feedback = -1), coalesce(sum(r.quality_score::numeric), 0), count(r.quality_score)
    FROM agent_run r
   WHERE (p_tenant IS NULL OR r.tenant_id = p_tenant)
     AND (p_from IS NULL OR r.started_at >= (p_from::timestamp AT TIME ZONE 'UTC'))
     AND (p_to IS NULL OR r.started_at < (p_to::timestamp AT TIME ZONE 'UTC'))
   GROUP BY 1, 2, 3, 4, 5;
  INSERT INTO agent_run_daily_latency (tenant_id, agent_id, day, version, bucket, shard, runs)
  SELECT r.tenant_id, r.agent_id, (r.started_at AT TIME ZONE 'UTC')::date, r.version, agent_run_latency_bucket(r.duration_ms),
         agent_run_rollup_shard(r.id), count(*)
    FROM agent_run r
   WHERE (p_tenant IS NULL OR r.tenant_id = p_tenant)
     AND (p_from IS NULL OR r.started_at >= (p_from::timestamp AT TIME ZONE 'UTC'))
     AND (p_to IS NULL OR r.started_at < (p_to::timestamp AT TIME ZONE 'UTC'))
   GROUP BY 1, 2, 3, 4, 5, 6;
  SELECT coalesce(sum(t.runs), 0) INTO v_runs
    FROM agent_run_daily t
   WHERE (p_tenant IS NULL OR t.tenant_id = p_tenant) AND (p_from IS NULL OR t.day >= p_from)
     AND (p_to IS NULL OR t.day < p_to);
  RETURN v_runs;
END
$function$;

CREATE OR REPLACE FUNCTION ${schema}.agent_run_rollup_shard(run_id uuid)
 RETURNS smallint
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE STRICT
 SET search_path TO 'pg_catalog'
AS $function$
  SELECT (get_byte(uuid_send(run_id), 15) & 3)::smallint
$function$;

CREATE OR REPLACE FUNCTION ${schema}.agentstore_grant_runtime_role(runtime name)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
DECLARE
  r record;
BEGIN
  SELECT rolsuper, rolbypassrls INTO r FROM pg_roles WHERE rolname = runtime;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'role "%" does not exist', runtime
      USING HINT = 'CREATE ROLE ' || quote_ident(runtime) || ' LOGIN PASSWORD ''...'' NOSUPERUSER NOBYPASSRLS;';
  END IF;
  IF r.rolsuper OR r.rolbypassrls THEN
    RAISE EXCEPTION 'role "%" bypasses row-level security (superuser or BYPASSRLS), so it cannot be the runtime role', runtime
      USING HINT = 'ALTER ROLE ' || quote_ident(runtime) || ' NOSUPERUSER NOBYPASSRLS;';
  END IF;
  IF pg_has_role(runtime, (SELECT relowner FROM pg_class WHERE oid = '${schema}.knowledge_base'::regclass), 'USAGE') THEN
    RAISE EXCEPTION 'role "%" owns (or is a member of the owner of) the agentstore tables, and owners are not bound by row-level security', runtime
      USING HINT = 'use a separate login role for the application; keep the owner for migrations';
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', '${schema}', runtime);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', '${schema}', runtime);
  EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON %I.%I FROM %I', '${schema}', 'agentstore_schema_history', runtime);
  EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %I', '${schema}', runtime);
  EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO %I', '${schema}', runtime);
  -- the administration functions stay with the owner
  EXECUTE format('REVOKE EXECUTE ON FUNCTION %I.agentstore_grant_runtime_role(name), %I.agentstore_secure_tables(), '
                 '%I.agentstore_secure_table(regclass) FROM %I', '${schema}', '${schema}', '${schema}', runtime);
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', '${schema}', runtime);
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE ON SEQUENCES TO %I', '${schema}', runtime);
END
$function$;

CREATE OR REPLACE FUNCTION ${schema}.agentstore_secure_table(target regclass)
 RETURNS boolean
 LANGUAGE plpgsql
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
DECLARE
  changed boolean := false;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = target AND attname = 'tenant_id' AND NOT attisdropped) THEN
    RETURN false;
  END IF;
  IF NOT (SELECT relrowsecurity FROM pg_class WHERE oid = target) THEN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
    changed := true;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = target AND polname = 'agentstore_tenant_isolation') THEN
    -- (SELECT current_setting(...)) is an InitPlan: evaluated once per statement, not once per row, and
    -- usable as an index key; a bare current_setting() call would run for every row scanned.
    EXECUTE format('CREATE POLICY agentstore_tenant_isolation ON %s AS PERMISSIVE FOR ALL TO PUBLIC '
                   'USING (tenant_id = (SELECT current_setting(''agentstore.tenant'', true))) '
                   'WITH CHECK (tenant_id = (SELECT current_setting(''agentstore.tenant'', true)))', target);
    changed := true;
  END IF;
  RETURN changed;
END
$function$;

CREATE OR REPLACE FUNCTION ${schema}.agentstore_secure_tables()
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
DECLARE
  t regclass;
  n integer := 0;
BEGIN
  FOR t IN
    SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
    WHERE s.nspname = '${schema}' AND c.relkind IN ('r', 'p')
    ORDER BY c.oid
  LOOP
    IF agentstore_secure_table(t) THEN
      n := n + 1;
    END IF;
  END LOOP;
  RETURN n;
END
$function$;

CREATE OR REPLACE FUNCTION ${schema}.conversation_message_feedback_to_run()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
BEGIN
  UPDATE agent_run r
     SET feedback = NEW.feedback, feedback_comment = NEW.feedback_comment, feedback_at = NEW.feedback_at
   WHERE r.tenant_id = NEW.tenant_id AND r.id = NEW.agent_run_id
     AND (r.feedback, r.feedback_comment, r.feedback_at) IS DISTINCT FROM (NEW.feedback, NEW.feedback_comment, NEW.feedback_at);
  RETURN NULL;
END
$function$;

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

CREATE OR REPLACE FUNCTION ${schema}.document_recover_expired(p_tenant text, p_now timestamp with time zone, p_max_attempts integer, p_batch integer, OUT tenant_ids text[], OUT statuses text[])
 RETURNS record
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
  WITH expired AS (
    SELECT d.tenant_id, d.id
      FROM document d
     WHERE d.status = 'processing' AND d.lease_expires_at < p_now
       AND (p_tenant IS NULL OR d.tenant_id = p_tenant)
     ORDER BY d.lease_expires_at
     LIMIT greatest(1, least(p_batch, 100000))
       FOR UPDATE SKIP LOCKED
  )
  , changed AS (
  UPDATE document d
     SET status = CASE WHEN d.lease_owner IS NOT NULL AND d.attempts < p_max_attempts THEN 'pending' ELSE 'failed' END,
         error_message = CASE
           WHEN d.lease_owner IS NULL THEN
             'ingestion was abandoned: its lease expired at '
             || to_char(d.lease_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
             || ' (the ingesting host died or an error escaped the embedding function); the previous chunks are kept,'
             || ' ingest the document again'
           ELSE
             'processing lease of worker ''' || d.lease_owner || ''' expired at '
             || to_char(d.lease_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
             || ' (attempt ' || d.attempts || ' of ' || p_max_attempts || ')'
             || CASE WHEN d.attempts < p_max_attempts THEN '; pending again' ELSE '; no attempts left' END
         END,
         updated_at = p_now
    FROM expired e
   WHERE d.tenant_id = e.tenant_id AND d.id = e.id
  RETURNING d.tenant_id, d.status
  )
  SELECT coalesce(array_agg(c.tenant_id ORDER BY c.tenant_id), '{}'), coalesce(array_agg(c.status ORDER BY c.tenant_id), '{}')
    FROM changed c
$function$;

CREATE OR REPLACE FUNCTION ${schema}.knowledge_lexeme_stats(p_tenant text, p_storage_id integer, p_lexemes text[], OUT freqs double precision[], OUT min_share double precision, OUT est_rows double precision)
 RETURNS record
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION ${schema}.knowledge_storage_analyze_documents(p_tenant text, p_kb uuid)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
DECLARE
  kb knowledge_base := knowledge_storage_kb(p_tenant, p_kb);
BEGIN
  ANALYZE document;
END
$function$;

CREATE OR REPLACE FUNCTION ${schema}.knowledge_storage_begin_bulk(p_tenant text, p_kb uuid)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION ${schema}.knowledge_storage_copy_grants(p_partition regclass, p_parent regclass)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION ${schema}.knowledge_storage_create(p_tenant text, p_kb uuid, p_with_indexes boolean DEFAULT true)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION ${schema}.knowledge_storage_drop(p_tenant text, p_kb uuid)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION ${schema}.knowledge_storage_index_range(p_tenant text, p_kb uuid, p_from integer, p_to integer, p_memory text DEFAULT NULL::text, p_workers integer DEFAULT NULL::integer)
 RETURNS integer
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
  SELECT knowledge_storage_index_range(p_tenant, p_kb, p_from, p_to, p_memory, p_workers, true)
$function$;

CREATE OR REPLACE FUNCTION ${schema}.knowledge_storage_index_range(p_tenant text, p_kb uuid, p_from integer, p_to integer, p_memory text, p_workers integer, p_vector_index boolean)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION ${schema}.knowledge_storage_kb(p_tenant text, p_kb uuid)
 RETURNS ${schema}.knowledge_base
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
DECLARE
  kb knowledge_base;
BEGIN
  SELECT * INTO kb FROM knowledge_base WHERE tenant_id = p_tenant AND id = p_kb;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'knowledge base % not found for tenant %', p_kb, p_tenant USING ERRCODE = 'no_data_found';
  END IF;
  RETURN kb;
END
$function$;

CREATE OR REPLACE FUNCTION ${schema}.knowledge_storage_secure(p_partition regclass, p_parent regclass)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO '${schema}', 'pg_temp'
AS $function$
    BEGIN
      PERFORM knowledge_storage_copy_grants(p_partition, p_parent);
      PERFORM agentstore_secure_table(p_partition);
    END
    $function$;
