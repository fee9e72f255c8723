-- agentstore schema, version 5: a versioned agent registry, teams, and every run of an agent version
-- recorded with what it cost and how it went (issue #18).
--
-- References only version-1 tables. As everywhere: tenant_id on every table, leading every primary,
-- unique and foreign key.
--
-- agent_id is the text id conversations (conversation_session.agent_id) and memory
-- (memory_entry.agent_id, memory.agent_id) already use, so the registry entry of an agent names its
-- sessions and its memory without a join table.

-- ---------------------------------------------------------------------------------------------
-- Registry
-- ---------------------------------------------------------------------------------------------

CREATE TABLE agent (
  tenant_id       text        NOT NULL,
  agent_id        text        NOT NULL,
  display_name    text,
  description     text,
  metadata        jsonb       NOT NULL DEFAULT '{}',
  -- the version new work should use; null: none active (e.g. before the first activation)
  active_version  integer,
  -- the highest version number handed out; publishing takes the next one under the row lock
  latest_version  integer     NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT agent_pk PRIMARY KEY (tenant_id, agent_id),
  CONSTRAINT agent_tenant_ck CHECK (tenant_id <> ''),
  CONSTRAINT agent_id_ck CHECK (btrim(agent_id) <> ''),
  CONSTRAINT agent_latest_version_ck CHECK (latest_version >= 0),
  CONSTRAINT agent_active_version_ck CHECK (active_version IS NULL OR (active_version > 0 AND active_version <= latest_version)),
  CONSTRAINT agent_metadata_ck CHECK (jsonb_typeof(metadata) = 'object')
);

-- One immutable, numbered version of an agent's definition. content_hash is the SHA-256 of the
-- canonical JSON of the definition (model, prompt, instructions, parameters, tools, knowledge bases),
-- so publishing a definition that already exists returns that version instead of a new one.
CREATE TABLE agent_version (
  tenant_id       text        NOT NULL,
  agent_id        text        NOT NULL,
  version         integer     NOT NULL,
  content_hash    bytea       NOT NULL,
  model_provider  text,
  model_name      text        NOT NULL,
  system_prompt   text,
  instructions    jsonb       NOT NULL DEFAULT '{}',
  parameters      jsonb       NOT NULL DEFAULT '{}',
  change_note     text,
  retired_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT agent_version_pk PRIMARY KEY (tenant_id, agent_id, version),
  CONSTRAINT agent_version_hash_uk UNIQUE (tenant_id, agent_id, content_hash),
  CONSTRAINT agent_version_agent_fk FOREIGN KEY (tenant_id, agent_id)
    REFERENCES agent (tenant_id, agent_id) ON DELETE CASCADE,
  CONSTRAINT agent_version_version_ck CHECK (version > 0),
  CONSTRAINT agent_version_hash_ck CHECK (octet_length(content_hash) = 32),
  CONSTRAINT agent_version_model_ck CHECK (btrim(model_name) <> ''),
  CONSTRAINT agent_version_instructions_ck CHECK (jsonb_typeof(instructions) = 'object'),
  CONSTRAINT agent_version_parameters_ck CHECK (jsonb_typeof(parameters) = 'object')
);

ALTER TABLE agent ADD CONSTRAINT agent_active_version_fk FOREIGN KEY (tenant_id, agent_id, active_version)
  REFERENCES agent_version (tenant_id, agent_id, version);

-- The tools a version may call, in the order given to the model.
CREATE TABLE agent_version_tool (
  tenant_id         text     NOT NULL,
  agent_id          text     NOT NULL,
  version           integer  NOT NULL,
  position          smallint NOT NULL,
  tool_name         text     NOT NULL,
  description       text,
  parameters_schema jsonb    NOT NULL DEFAULT '{}',
  CONSTRAINT agent_version_tool_pk PRIMARY KEY (tenant_id, agent_id, version, position),
  CONSTRAINT agent_version_tool_name_uk UNIQUE (tenant_id, agent_id, version, tool_name),
  CONSTRAINT agent_version_tool_version_fk FOREIGN KEY (tenant_id, agent_id, version)
    REFERENCES agent_version (tenant_id, agent_id, version) ON DELETE CASCADE,
  CONSTRAINT agent_version_tool_position_ck CHECK (position >= 0),
  CONSTRAINT agent_version_tool_name_ck CHECK (btrim(tool_name) <> ''),
  CONSTRAINT agent_version_tool_schema_ck CHECK (jsonb_typeof(parameters_schema) = 'object')
);

-- The knowledge bases a version searches. No foreign key to knowledge_base: a version is an
-- immutable record of what was configured, and deleting a knowledge base must neither fail nor
-- rewrite published versions (publishing checks that the knowledge bases exist).
CREATE TABLE agent_version_knowledge_base (
  tenant_id          text    NOT NULL,
  agent_id           text    NOT NULL,
  version            integer NOT NULL,
  knowledge_base_id  uuid    NOT NULL,
  CONSTRAINT agent_version_knowledge_base_pk PRIMARY KEY (tenant_id, agent_id, version, knowledge_base_id),
  CONSTRAINT agent_version_knowledge_base_version_fk FOREIGN KEY (tenant_id, agent_id, version)
    REFERENCES agent_version (tenant_id, agent_id, version) ON DELETE CASCADE
);

-- Teams of agents: a mode and an ordered list of members, each optionally pinned to a version.
CREATE TABLE agent_team (
  tenant_id    text        NOT NULL,
  team_id      text        NOT NULL,
  mode         text        NOT NULL,
  description  text,
  metadata     jsonb       NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT agent_team_pk PRIMARY KEY (tenant_id, team_id),
  CONSTRAINT agent_team_tenant_ck CHECK (tenant_id <> ''),
  CONSTRAINT agent_team_id_ck CHECK (btrim(team_id) <> ''),
  CONSTRAINT agent_team_mode_ck CHECK (mode IN ('route', 'parallel', 'sequential')),
  CONSTRAINT agent_team_metadata_ck CHECK (jsonb_typeof(metadata) = 'object')
);

CREATE TABLE agent_team_member (
  tenant_id       text     NOT NULL,
  team_id         text     NOT NULL,
  position        smallint NOT NULL,
  agent_id        text     NOT NULL,
  pinned_version  integer,
  role            text,
  CONSTRAINT agent_team_member_pk PRIMARY KEY (tenant_id, team_id, position),
  CONSTRAINT agent_team_member_agent_uk UNIQUE (tenant_id, team_id, agent_id),
  CONSTRAINT agent_team_member_team_fk FOREIGN KEY (tenant_id, team_id)
    REFERENCES agent_team (tenant_id, team_id) ON DELETE CASCADE,
  CONSTRAINT agent_team_member_agent_fk FOREIGN KEY (tenant_id, agent_id)
    REFERENCES agent (tenant_id, agent_id) ON DELETE CASCADE,
  CONSTRAINT agent_team_member_version_fk FOREIGN KEY (tenant_id, agent_id, pinned_version)
    REFERENCES agent_version (tenant_id, agent_id, version),
  CONSTRAINT agent_team_member_position_ck CHECK (position >= 0)
);
CREATE INDEX agent_team_member_agent_idx ON agent_team_member (tenant_id, agent_id);

-- ---------------------------------------------------------------------------------------------
-- Runs
-- ---------------------------------------------------------------------------------------------

-- One run of one agent version: what it was asked, what it answered, what it cost, how it went.
-- A run in a session goes with the session (retention and deletion follow the messages' rules);
-- a run answering a message goes with that message.
CREATE TABLE agent_run (
  tenant_id           text        NOT NULL,
  id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
  agent_id            text        NOT NULL,
  version             integer     NOT NULL,
  session_id          uuid,
  message_id          uuid,
  input               text,
  output              text,
  started_at          timestamptz NOT NULL,
  duration_ms         bigint      NOT NULL,
  input_tokens        integer,
  output_tokens       integer,
  cost                numeric(20, 10),
  success             boolean     NOT NULL,
  error_message       text,
  routed_by           text,
  routing_confidence  double precision,
  routing_reason      text,
  quality_score       double precision,
  quality_at          timestamptz,
  feedback            smallint,
  feedback_comment    text,
  feedback_at         timestamptz,
  metadata            jsonb       NOT NULL DEFAULT '{}',
  created_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT agent_run_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT agent_run_version_fk FOREIGN KEY (tenant_id, agent_id, version)
    REFERENCES agent_version (tenant_id, agent_id, version) ON DELETE CASCADE,
  CONSTRAINT agent_run_session_fk FOREIGN KEY (tenant_id, session_id)
    REFERENCES conversation_session (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT agent_run_message_fk FOREIGN KEY (tenant_id, message_id)
    REFERENCES conversation_message (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT agent_run_duration_ck CHECK (duration_ms >= 0),
  CONSTRAINT agent_run_input_tokens_ck CHECK (input_tokens IS NULL OR input_tokens >= 0),
  CONSTRAINT agent_run_output_tokens_ck CHECK (output_tokens IS NULL OR output_tokens >= 0),
  CONSTRAINT agent_run_cost_ck CHECK (cost IS NULL OR cost >= 0),
  CONSTRAINT agent_run_error_ck CHECK (success OR error_message IS NOT NULL),
  CONSTRAINT agent_run_routing_confidence_ck CHECK (routing_confidence IS NULL OR (routing_confidence >= 0 AND routing_confidence <= 1)),
  CONSTRAINT agent_run_quality_ck CHECK (quality_score IS NULL OR (quality_score >= 0 AND quality_score <= 1)),
  CONSTRAINT agent_run_feedback_ck CHECK (feedback IS NULL OR feedback IN (-1, 1)),
  CONSTRAINT agent_run_feedback_at_ck CHECK ((feedback IS NULL) = (feedback_at IS NULL)),
  CONSTRAINT agent_run_quality_at_ck CHECK ((quality_score IS NULL) = (quality_at IS NULL)),
  CONSTRAINT agent_run_metadata_ck CHECK (jsonb_typeof(metadata) = 'object')
);
-- Statistics per version and day, version comparison and the per-agent listing: one range of this
-- index per agent and period, answered by an index-only scan (every figure is an included column).
CREATE INDEX agent_run_agent_started_idx ON agent_run (tenant_id, agent_id, started_at, id)
  INCLUDE (version, success, duration_ms, input_tokens, output_tokens, cost, feedback, quality_score);
-- The tenant-wide listing and retention of runs without a session.
CREATE INDEX agent_run_started_idx ON agent_run (tenant_id, started_at, id);
-- Deleting a session or a message finds its runs.
CREATE INDEX agent_run_session_idx ON agent_run (tenant_id, session_id) WHERE session_id IS NOT NULL;
CREATE INDEX agent_run_message_idx ON agent_run (tenant_id, message_id) WHERE message_id IS NOT NULL;

-- The chunks a run retrieved, in rank order, with their scores. chunk_id is not a foreign key: the
-- log keeps the id of content that was later replaced.
CREATE TABLE agent_run_chunk (
  tenant_id  text     NOT NULL,
  run_id     uuid     NOT NULL,
  position   smallint NOT NULL,
  chunk_id   uuid     NOT NULL,
  score      double precision,
  CONSTRAINT agent_run_chunk_pk PRIMARY KEY (tenant_id, run_id, position),
  CONSTRAINT agent_run_chunk_run_fk FOREIGN KEY (tenant_id, run_id)
    REFERENCES agent_run (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT agent_run_chunk_position_ck CHECK (position >= 0)
);

-- The tool calls a run made, in call order.
CREATE TABLE agent_run_tool_call (
  tenant_id      text     NOT NULL,
  run_id         uuid     NOT NULL,
  position       smallint NOT NULL,
  tool_name      text     NOT NULL,
  arguments      jsonb    NOT NULL DEFAULT '{}',
  result_size    integer,
  latency_ms     bigint   NOT NULL,
  outcome        text     NOT NULL,
  error_message  text,
  CONSTRAINT agent_run_tool_call_pk PRIMARY KEY (tenant_id, run_id, position),
  CONSTRAINT agent_run_tool_call_run_fk FOREIGN KEY (tenant_id, run_id)
    REFERENCES agent_run (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT agent_run_tool_call_position_ck CHECK (position >= 0),
  CONSTRAINT agent_run_tool_call_name_ck CHECK (btrim(tool_name) <> ''),
  CONSTRAINT agent_run_tool_call_result_size_ck CHECK (result_size IS NULL OR result_size >= 0),
  CONSTRAINT agent_run_tool_call_latency_ck CHECK (latency_ms >= 0),
  CONSTRAINT agent_run_tool_call_outcome_ck CHECK (outcome IN ('success', 'error', 'timeout'))
);

-- ---------------------------------------------------------------------------------------------
-- Messages name the run (and so the agent version) that produced them
-- ---------------------------------------------------------------------------------------------

ALTER TABLE conversation_message ADD COLUMN agent_run_id uuid;
ALTER TABLE conversation_message ADD CONSTRAINT conversation_message_agent_run_fk FOREIGN KEY (tenant_id, agent_run_id)
  REFERENCES agent_run (tenant_id, id) ON DELETE SET NULL (agent_run_id);
CREATE INDEX conversation_message_agent_run_idx ON conversation_message (tenant_id, agent_run_id)
  WHERE agent_run_id IS NOT NULL;
