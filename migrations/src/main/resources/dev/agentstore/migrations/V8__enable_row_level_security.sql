-- agentstore schema, version 8: database-enforced tenant isolation (row-level security).
--
-- Every table of the schema that has a tenant_id column gets ROW LEVEL SECURITY enabled and one
-- policy, agentstore_tenant_isolation: a row is visible, and may be written, only when its tenant_id
-- equals the transaction-local setting agentstore.tenant, which agentstore sets at the start of every
-- transaction (set_config('agentstore.tenant', <tenant>, true)). A connection that never set it sees
-- no row and can write none: current_setting(..., true) is then NULL or '', and tenant_id is never ''.
--
-- Who is bound: every role except the tables' owner (the role that migrates), superusers and roles
-- with BYPASSRLS. FORCE ROW LEVEL SECURITY is not used: the owner is the administration role (it runs
-- migrations, which may move rows of several tenants, and the SECURITY DEFINER storage functions,
-- which check the tenant themselves). Applications run as a separate runtime role; see
-- agentstore_grant_runtime_role below and the README section "Guarantees".
--
-- Later migrations need not repeat this: agentstore_secure_tables() is idempotent, and the Flyway
-- callback afterMigrate__agentstore_secure_tables.sql runs it after every migration, so that a table
-- added by V9 or later is covered too. Partitions created at run time are covered by
-- knowledge_storage_secure (the storage functions' hook), which calls agentstore_secure_table.
-- RlsCoverageIT fails when any table or partition of the schema lacks RLS or the policy.

-- Enables RLS on one table and creates the tenant policy when missing. Returns true when it changed
-- anything. A table without tenant_id is left alone (RlsCoverageIT reports it).
CREATE FUNCTION agentstore_secure_table(target regclass) RETURNS boolean
  LANGUAGE plpgsql
  SET search_path = "${schema}", pg_temp
AS $fn$
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
$fn$;

COMMENT ON FUNCTION agentstore_secure_table(regclass) IS
  'migration only: enables row-level security and the tenant policy on one table (idempotent)';

-- Every ordinary and partitioned table of the schema, partitions included.
CREATE FUNCTION agentstore_secure_tables() RETURNS integer
  LANGUAGE plpgsql
  SET search_path = "${schema}", pg_temp
AS $fn$
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
$fn$;

COMMENT ON FUNCTION agentstore_secure_tables() IS
  'migration only: row-level security and the tenant policy on every table of the schema (idempotent)';

SELECT agentstore_secure_tables();

-- The storage functions (V2) create two partitions per knowledge base at run time and pass each to
-- knowledge_storage_secure(partition, parent), which copies the parent's grants. Keep that function
-- under another name and put one in its place that also secures the partition. Partitions are read
-- directly by searches, and a partition read directly is bound by its own policies, not its parent's.
DO $agentstore$
BEGIN
  IF to_regprocedure('"${schema}".knowledge_storage_secure(regclass, regclass)') IS NOT NULL THEN
    ALTER FUNCTION knowledge_storage_secure(regclass, regclass) RENAME TO knowledge_storage_copy_grants;
    CREATE FUNCTION knowledge_storage_secure(p_partition regclass, p_parent regclass) RETURNS void
      LANGUAGE plpgsql
      SECURITY DEFINER
      SET search_path = "${schema}", pg_temp
    AS $fn$
    BEGIN
      PERFORM knowledge_storage_copy_grants(p_partition, p_parent);
      PERFORM agentstore_secure_table(p_partition);
    END
    $fn$;
    REVOKE EXECUTE ON FUNCTION knowledge_storage_secure(regclass, regclass) FROM PUBLIC;
    REVOKE EXECUTE ON FUNCTION knowledge_storage_copy_grants(regclass, regclass) FROM PUBLIC;
    COMMENT ON FUNCTION knowledge_storage_secure(regclass, regclass) IS
      'agentstore: grants, row-level security and the tenant policy of a new knowledge-base partition';
  END IF;
END
$agentstore$;

-- Grants a runtime role what agentstore needs, and nothing that bypasses the policies: USAGE on the
-- schema, SELECT/INSERT/UPDATE/DELETE on the tables, USAGE on the sequences, EXECUTE on the
-- functions, and SELECT on the schema history (start-up validation reads it). Refuses a role that
-- would not be bound by the policies (superuser, BYPASSRLS, or the tables' owner). Run it as the
-- owner after every migration (agentstore's migrate() does not know the role), or grant by hand.
CREATE FUNCTION agentstore_grant_runtime_role(runtime name) RETURNS void
  LANGUAGE plpgsql
  SET search_path = "${schema}", pg_temp
AS $fn$
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
  IF pg_has_role(runtime, (SELECT relowner FROM pg_class WHERE oid = '"${schema}".knowledge_base'::regclass), 'USAGE') THEN
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
$fn$;

REVOKE EXECUTE ON FUNCTION agentstore_grant_runtime_role(name) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION agentstore_secure_tables() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION agentstore_secure_table(regclass) FROM PUBLIC;

COMMENT ON FUNCTION agentstore_grant_runtime_role(name) IS
  'migration only: grants a runtime role (bound by row-level security) what the library needs; run by the owner';
