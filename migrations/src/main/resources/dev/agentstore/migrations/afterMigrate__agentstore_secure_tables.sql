-- Flyway callback, after every migrate: row-level security and the tenant policy on every table of
-- the schema (see V8__enable_row_level_security.sql), so that tables added by later migrations are
-- covered without repeating it. A no-op before V8 and when everything is covered already.
DO $agentstore$
BEGIN
  IF to_regprocedure('"${schema}".agentstore_secure_tables()') IS NOT NULL THEN
    PERFORM "${schema}".agentstore_secure_tables();
  END IF;
END
$agentstore$;
