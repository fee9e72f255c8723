-- The host application's own first migration, in Flyway's and Spring Boot's default location
-- (classpath:db/migration), with its own history (public.flyway_schema_history).
--
-- It references agentstore's tables, so agentstore's migrations run first: the application builds its
-- AgentStore with migrateOnStart(true) before it runs this Flyway (HostMigrations.migrate).
--
-- Foreign keys to agentstore rows are composite, (tenant_id, id), like every key of agentstore's: a row
-- can never point at another tenant's row. Their ON DELETE rules decide what agentstore's retention
-- (deleteInactiveSessions) and erasure (deleteSession, deleteDocument, ...) do to the host's rows:
--   CASCADE                 the host row goes with the agentstore row (audit trail of a message)
--   SET NULL (column)       the host row stays, its reference is cleared (PostgreSQL 15+: only that
--                           column, since tenant_id is part of the host's own key and NOT NULL)
--   NO ACTION / RESTRICT    agentstore's delete fails (ConflictException naming the constraint):
--                           use only when the host must delete its rows first.

CREATE TABLE app_user (
  tenant_id text NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  email text NOT NULL,
  CONSTRAINT app_user_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT app_user_email_uk UNIQUE (tenant_id, email)
);

CREATE TABLE support_ticket (
  tenant_id text NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  -- the agent conversation about the ticket; the ticket outlives it
  session_id uuid,
  subject text NOT NULL,
  -- a vector column of the host's own, mapped to float[] by dev.agentstore.jooq.VectorBinding
  subject_embedding vector(3),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT support_ticket_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT support_ticket_user_fk FOREIGN KEY (tenant_id, user_id)
    REFERENCES app_user (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT support_ticket_session_fk FOREIGN KEY (tenant_id, session_id)
    REFERENCES agentstore.conversation_session (tenant_id, id) ON DELETE SET NULL (session_id)
);

CREATE INDEX support_ticket_session_idx ON support_ticket (tenant_id, session_id);

CREATE TABLE message_audit (
  tenant_id text NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  message_id uuid NOT NULL,
  actor text NOT NULL,
  CONSTRAINT message_audit_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT message_audit_message_fk FOREIGN KEY (tenant_id, message_id)
    REFERENCES agentstore.conversation_message (tenant_id, id) ON DELETE CASCADE
);

CREATE INDEX message_audit_message_idx ON message_audit (tenant_id, message_id);
