-- agentstore schema, version 14: recording a run keeps the daily rollup itself (issue #18).
--
--   * The daily rollup of V10 is no longer maintained by a statement trigger on INSERT into agent_run:
--     agentstore's record call (Runs.record) writes the run, its chunks, its tool calls and the two rollup
--     upserts in ONE statement (data-modifying CTEs), so the hot path of a chat turn pays no trigger and no
--     transition table. The UPDATE and DELETE triggers stay: feedback and quality arriving later, deletion,
--     retention, cascades and erasure are not on the hot path, and they also cover writes made outside
--     agentstore.
--   * Runs inserted with SQL outside agentstore are therefore NOT in the rollup until
--     agent_run_rollup_rebuild(tenant, from_day, to_day) is called (RunStatistics.rebuildRollup); delete them
--     only after that (the delete trigger subtracts what the rollup holds).
--   * Every agent version and day has up to 4 rollup rows (shards), chosen by the run id, so that concurrent
--     recordings of one agent version do not wait for each other's row lock; the statistics sum the shards.
--     A run's shard follows from its id, so the update and delete triggers find the row that counted it.

-- The rollup shard of a run: 0 to 3, from the last byte of its (random) id.
CREATE FUNCTION agent_run_rollup_shard(run_id uuid) RETURNS smallint
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog
AS $fn$
  SELECT (get_byte(uuid_send(run_id), 15) & 3)::smallint
$fn$;

ALTER TABLE agent_run_daily ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE agent_run_daily DROP CONSTRAINT agent_run_daily_pk;
ALTER TABLE agent_run_daily ADD CONSTRAINT agent_run_daily_pk PRIMARY KEY (tenant_id, agent_id, day, version, shard);
ALTER TABLE agent_run_daily ALTER COLUMN shard DROP DEFAULT;
ALTER TABLE agent_run_daily ADD CONSTRAINT agent_run_daily_shard_ck CHECK (shard BETWEEN 0 AND 3);
COMMENT ON TABLE agent_run_daily IS
  'agentstore: per agent version, UTC day and shard, the sums of the runs started that day (written by Runs.record; '
  'kept by triggers on agent_run for updates and deletes; agent_run_rollup_rebuild for runs inserted outside agentstore)';

ALTER TABLE agent_run_daily_latency ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE agent_run_daily_latency DROP CONSTRAINT agent_run_daily_latency_pk;
ALTER TABLE agent_run_daily_latency ADD CONSTRAINT agent_run_daily_latency_pk
  PRIMARY KEY (tenant_id, agent_id, day, version, bucket, shard);
ALTER TABLE agent_run_daily_latency ALTER COLUMN shard DROP DEFAULT;
ALTER TABLE agent_run_daily_latency ADD CONSTRAINT agent_run_daily_latency_shard_ck CHECK (shard BETWEEN 0 AND 3);
COMMENT ON TABLE agent_run_daily_latency IS
  'agentstore: per agent version, UTC day, latency bucket (agent_run_latency_bucket) and shard, how many runs fell into it';

DROP TRIGGER agent_run_rollup_insert_trg ON agent_run;

-- The update and delete triggers (V10), now per shard: old rows (DELETE, UPDATE) are subtracted, new rows
-- (UPDATE) added, per agent version, day and shard; rows left with zero runs are deleted. Deleting never
-- inserts (a cascade from a deleted agent version may have removed the rollup rows already). Rows are
-- locked in key order first, daily rows before latency rows (as Runs.record writes them), so that
-- concurrent writers cannot deadlock on each other.
CREATE OR REPLACE FUNCTION agent_run_rollup() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = "${schema}", pg_temp
AS $fn$
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
$fn$;

-- Recomputes the rollup of the runs started in the UTC days [p_from, p_to) (null: unbounded) of one tenant
-- (null: every tenant the caller can see) from the runs themselves, and returns how many runs it holds now.
-- For runs inserted with SQL outside agentstore. Takes a SHARE lock on agent_run for the rest of the
-- transaction: runs are not recorded, changed or deleted meanwhile, so none is lost or counted twice.
CREATE FUNCTION agent_run_rollup_rebuild(p_tenant text, p_from date, p_to date) RETURNS bigint
  LANGUAGE plpgsql
  SET search_path = "${schema}", pg_temp
AS $fn$
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
$fn$;
COMMENT ON FUNCTION agent_run_rollup_rebuild(text, date, date) IS
  'agentstore: recomputes the daily run rollup of a tenant (null: all) for the UTC days [from, to) (null: unbounded)';

-- the rollup recorded so far, now by shard
SELECT agent_run_rollup_rebuild(NULL, NULL, NULL);
