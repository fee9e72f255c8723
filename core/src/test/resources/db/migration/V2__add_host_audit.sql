-- The host's second migration: versions 1 and 2 exist in agentstore's history too; neither Flyway minds.
CREATE TABLE host_audit (
  tenant_id text NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  what text NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
