-- A host application's own first migration, in Flyway's (and Spring Boot's) default location.
-- HostFlywayIT checks that a host Flyway scanning this location runs this script and nothing of agentstore's.
CREATE TABLE host_account (
  tenant_id text NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  email text NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
