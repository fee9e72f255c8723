-- agentstore schema, version 10: the rest of the data lifecycle (issue #15) and of agents and runs (#18).
--
--   * agent runs carry the user they ran for, so that erasing a user erases the runs outside sessions too;
--   * a session counts the messages message-level retention deleted, so that its message count stays right;
--   * one store-wide recovery of expired document leases, for an operator or a scheduler, that works for the
--     runtime role bound by row-level security (a SECURITY DEFINER function: the role cannot see other
--     tenants' documents);
--   * a daily rollup of the runs per agent version (figures and a latency histogram), maintained by
--     statement-level triggers, so that statistics over many runs read a few hundred rows;
--   * run feedback and message feedback are one fact: a run that produced a message and that message hold
--     the same feedback, whichever of the two was rated, kept equal by triggers.

-- ---------------------------------------------------------------------------------------------
-- Runs: the user
-- ---------------------------------------------------------------------------------------------

ALTER TABLE agent_run ADD COLUMN user_id text;
ALTER TABLE agent_run ADD CONSTRAINT agent_run_user_ck CHECK (user_id IS NULL OR btrim(user_id) <> '');
CREATE INDEX agent_run_user_idx ON agent_run (tenant_id, user_id) WHERE user_id IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- Sessions: messages deleted by message-level retention (message count = last_seq - deleted_messages)
-- ---------------------------------------------------------------------------------------------

ALTER TABLE conversation_session ADD COLUMN deleted_messages bigint NOT NULL DEFAULT 0;
UPDATE conversation_session s
   SET deleted_messages = s.last_seq - (SELECT count(*) FROM conversation_message m
                                         WHERE m.tenant_id = s.tenant_id AND m.session_id = s.id)
 WHERE s.last_seq > 0;
ALTER TABLE conversation_session ADD CONSTRAINT conversation_session_deleted_messages_ck
  CHECK (deleted_messages >= 0 AND deleted_messages <= last_seq);

-- ---------------------------------------------------------------------------------------------
-- Documents: recovery of expired leases, one tenant or all of them, in batches
-- ---------------------------------------------------------------------------------------------

-- Recovers up to p_batch documents whose processing lease expired before p_now, longest expired first,
-- skipping documents another transaction holds: a document claimed by a worker with fewer than
-- p_max_attempts attempts goes back to pending, any other becomes failed; the error message names the
-- worker, the expiry and the attempts. p_tenant null: every tenant. SECURITY DEFINER so that the runtime
-- role (bound by row-level security to one tenant per transaction) can run the store-wide sweep; it
-- returns only the tenant and the new status of each recovered document (one row of two arrays, so that
-- it is a routine, not a table-valued function, to jOOQ's code generator).
CREATE FUNCTION document_recover_expired(p_tenant text, p_now timestamptz, p_max_attempts integer, p_batch integer,
                                         OUT tenant_ids text[], OUT statuses text[])
  LANGUAGE sql
  SECURITY DEFINER
  SET search_path = "${schema}", pg_temp
AS $fn$
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
$fn$;
REVOKE EXECUTE ON FUNCTION document_recover_expired(text, timestamptz, integer, integer) FROM PUBLIC;
COMMENT ON FUNCTION document_recover_expired(text, timestamptz, integer, integer) IS
  'agentstore: recovers a batch of documents whose processing lease expired (one tenant, or all when null)';

-- ---------------------------------------------------------------------------------------------
-- Runs: daily rollup per agent version (UTC days)
-- ---------------------------------------------------------------------------------------------

-- The latency bucket of a duration: exact below 20 ms, then buckets 5% wide (bucket b >= 20 holds
-- [20 * 1.05^(b-20), 20 * 1.05^(b-19)) ms), so that a percentile read from the histogram is within 5%.
CREATE FUNCTION agent_run_latency_bucket(duration_ms bigint) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog
AS $fn$
  SELECT CASE WHEN duration_ms < 20 THEN duration_ms::integer
              ELSE 20 + floor(ln(duration_ms / 20.0) / ln(1.05))::integer END
$fn$;

CREATE TABLE agent_run_daily (
  tenant_id       text    NOT NULL,
  agent_id        text    NOT NULL,
  day             date    NOT NULL,
  version         integer NOT NULL,
  runs            bigint  NOT NULL,
  successes       bigint  NOT NULL,
  duration_ms     bigint  NOT NULL,
  input_tokens    bigint  NOT NULL,
  output_tokens   bigint  NOT NULL,
  cost            numeric NOT NULL,
  feedback_up     bigint  NOT NULL,
  feedback_down   bigint  NOT NULL,
  quality         numeric NOT NULL,
  scored          bigint  NOT NULL,
  CONSTRAINT agent_run_daily_pk PRIMARY KEY (tenant_id, agent_id, day, version),
  CONSTRAINT agent_run_daily_version_fk FOREIGN KEY (tenant_id, agent_id, version)
    REFERENCES agent_version (tenant_id, agent_id, version) ON DELETE CASCADE,
  CONSTRAINT agent_run_daily_runs_ck CHECK (runs >= 0)
);
COMMENT ON TABLE agent_run_daily IS
  'agentstore: per agent version and UTC day, the sums of the runs started that day (maintained by triggers on agent_run)';

CREATE TABLE agent_run_daily_latency (
  tenant_id  text    NOT NULL,
  agent_id   text    NOT NULL,
  day        date    NOT NULL,
  version    integer NOT NULL,
  bucket     integer NOT NULL,
  runs       bigint  NOT NULL,
  CONSTRAINT agent_run_daily_latency_pk PRIMARY KEY (tenant_id, agent_id, day, version, bucket),
  CONSTRAINT agent_run_daily_latency_version_fk FOREIGN KEY (tenant_id, agent_id, version)
    REFERENCES agent_version (tenant_id, agent_id, version) ON DELETE CASCADE,
  CONSTRAINT agent_run_daily_latency_runs_ck CHECK (runs >= 0)
);
COMMENT ON TABLE agent_run_daily_latency IS
  'agentstore: per agent version and UTC day, how many runs fell into each latency bucket (agent_run_latency_bucket)';

-- One function for the three statement-level triggers: old rows (DELETE, UPDATE) are subtracted, new
-- rows (INSERT, UPDATE) added, per agent version and day; rows left with zero runs are deleted. Deleting
-- never inserts (a cascade from a deleted agent version may have removed the rollup rows already). Rows
-- are locked in key order first so that concurrent batches cannot deadlock on each other.
CREATE FUNCTION agent_run_rollup() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = "${schema}", pg_temp
AS $fn$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM 1 FROM agent_run_daily t
      JOIN (SELECT DISTINCT o.tenant_id, o.agent_id, (o.started_at AT TIME ZONE 'UTC')::date AS day, o.version
              FROM old_runs o) k USING (tenant_id, agent_id, day, version)
     ORDER BY t.tenant_id, t.agent_id, t.day, t.version
       FOR UPDATE OF t;
    UPDATE agent_run_daily t
       SET runs = t.runs - d.runs, successes = t.successes - d.successes, duration_ms = t.duration_ms - d.duration_ms,
           input_tokens = t.input_tokens - d.input_tokens, output_tokens = t.output_tokens - d.output_tokens,
           cost = t.cost - d.cost, feedback_up = t.feedback_up - d.feedback_up,
           feedback_down = t.feedback_down - d.feedback_down, quality = t.quality - d.quality, scored = t.scored - d.scored
      FROM (SELECT o.tenant_id, o.agent_id, (o.started_at AT TIME ZONE 'UTC')::date AS day, o.version, count(*) AS runs,
                   count(*) FILTER (WHERE o.success) AS successes, sum(o.duration_ms) AS duration_ms,
                   coalesce(sum(o.input_tokens), 0) AS input_tokens, coalesce(sum(o.output_tokens), 0) AS output_tokens,
                   coalesce(sum(o.cost), 0) AS cost, count(*) FILTER (WHERE o.feedback = 1) AS feedback_up,
                   count(*) FILTER (WHERE o.feedback = -1) AS feedback_down,
                   coalesce(sum(o.quality_score::numeric), 0) AS quality, count(o.quality_score) AS scored
              FROM old_runs o
             GROUP BY 1, 2, 3, 4) d
     WHERE t.tenant_id = d.tenant_id AND t.agent_id = d.agent_id AND t.day = d.day AND t.version = d.version;
    PERFORM 1 FROM agent_run_daily_latency t
      JOIN (SELECT DISTINCT o.tenant_id, o.agent_id, (o.started_at AT TIME ZONE 'UTC')::date AS day, o.version,
                   agent_run_latency_bucket(o.duration_ms) AS bucket
              FROM old_runs o) k USING (tenant_id, agent_id, day, version, bucket)
     ORDER BY t.tenant_id, t.agent_id, t.day, t.version, t.bucket
       FOR UPDATE OF t;
    UPDATE agent_run_daily_latency t
       SET runs = t.runs - d.runs
      FROM (SELECT o.tenant_id, o.agent_id, (o.started_at AT TIME ZONE 'UTC')::date AS day, o.version,
                   agent_run_latency_bucket(o.duration_ms) AS bucket, count(*) AS runs
              FROM old_runs o
             GROUP BY 1, 2, 3, 4, 5) d
     WHERE t.tenant_id = d.tenant_id AND t.agent_id = d.agent_id AND t.day = d.day AND t.version = d.version
       AND t.bucket = d.bucket;
  END IF;

  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO agent_run_daily AS t (tenant_id, agent_id, day, version, runs, successes, duration_ms, input_tokens,
                                      output_tokens, cost, feedback_up, feedback_down, quality, scored)
    SELECT n.tenant_id, n.agent_id, (n.started_at AT TIME ZONE 'UTC')::date, n.version, count(*),
           count(*) FILTER (WHERE n.success), sum(n.duration_ms), coalesce(sum(n.input_tokens), 0),
           coalesce(sum(n.output_tokens), 0), coalesce(sum(n.cost), 0), count(*) FILTER (WHERE n.feedback = 1),
           count(*) FILTER (WHERE n.feedback = -1), coalesce(sum(n.quality_score::numeric), 0), count(n.quality_score)
      FROM new_runs n
     GROUP BY 1, 2, 3, 4
     ORDER BY 1, 2, 3, 4
    ON CONFLICT (tenant_id, agent_id, day, version) DO UPDATE
       SET runs = t.runs + excluded.runs, successes = t.successes + excluded.successes,
           duration_ms = t.duration_ms + excluded.duration_ms, input_tokens = t.input_tokens + excluded.input_tokens,
           output_tokens = t.output_tokens + excluded.output_tokens, cost = t.cost + excluded.cost,
           feedback_up = t.feedback_up + excluded.feedback_up, feedback_down = t.feedback_down + excluded.feedback_down,
           quality = t.quality + excluded.quality, scored = t.scored + excluded.scored;
    INSERT INTO agent_run_daily_latency AS t (tenant_id, agent_id, day, version, bucket, runs)
    SELECT n.tenant_id, n.agent_id, (n.started_at AT TIME ZONE 'UTC')::date, n.version,
           agent_run_latency_bucket(n.duration_ms), count(*)
      FROM new_runs n
     GROUP BY 1, 2, 3, 4, 5
     ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (tenant_id, agent_id, day, version, bucket) DO UPDATE SET runs = t.runs + excluded.runs;
  END IF;

  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    DELETE FROM agent_run_daily t
     USING (SELECT DISTINCT o.tenant_id, o.agent_id, (o.started_at AT TIME ZONE 'UTC')::date AS day, o.version
              FROM old_runs o) k
     WHERE t.tenant_id = k.tenant_id AND t.agent_id = k.agent_id AND t.day = k.day AND t.version = k.version
       AND t.runs = 0;
    DELETE FROM agent_run_daily_latency t
     USING (SELECT DISTINCT o.tenant_id, o.agent_id, (o.started_at AT TIME ZONE 'UTC')::date AS day, o.version,
                   agent_run_latency_bucket(o.duration_ms) AS bucket
              FROM old_runs o) k
     WHERE t.tenant_id = k.tenant_id AND t.agent_id = k.agent_id AND t.day = k.day AND t.version = k.version
       AND t.bucket = k.bucket AND t.runs = 0;
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER agent_run_rollup_insert_trg AFTER INSERT ON agent_run
  REFERENCING NEW TABLE AS new_runs FOR EACH STATEMENT EXECUTE FUNCTION agent_run_rollup();
CREATE TRIGGER agent_run_rollup_update_trg AFTER UPDATE ON agent_run
  REFERENCING OLD TABLE AS old_runs NEW TABLE AS new_runs FOR EACH STATEMENT EXECUTE FUNCTION agent_run_rollup();
CREATE TRIGGER agent_run_rollup_delete_trg AFTER DELETE ON agent_run
  REFERENCING OLD TABLE AS old_runs FOR EACH STATEMENT EXECUTE FUNCTION agent_run_rollup();

-- the runs recorded before this version
INSERT INTO agent_run_daily (tenant_id, agent_id, day, version, runs, successes, duration_ms, input_tokens, output_tokens,
                             cost, feedback_up, feedback_down, quality, scored)
SELECT r.tenant_id, r.agent_id, (r.started_at AT TIME ZONE 'UTC')::date, r.version, count(*),
       count(*) FILTER (WHERE r.success), sum(r.duration_ms), coalesce(sum(r.input_tokens), 0),
       coalesce(sum(r.output_tokens), 0), coalesce(sum(r.cost), 0), count(*) FILTER (WHERE r.feedback = 1),
       count(*) FILTER (WHERE r.feedback = -1), coalesce(sum(r.quality_score::numeric), 0), count(r.quality_score)
  FROM agent_run r
 GROUP BY 1, 2, 3, 4;
INSERT INTO agent_run_daily_latency (tenant_id, agent_id, day, version, bucket, runs)
SELECT r.tenant_id, r.agent_id, (r.started_at AT TIME ZONE 'UTC')::date, r.version, agent_run_latency_bucket(r.duration_ms),
       count(*)
  FROM agent_run r
 GROUP BY 1, 2, 3, 4, 5;

-- ---------------------------------------------------------------------------------------------
-- Feedback: a run and the message it produced hold the same feedback
-- ---------------------------------------------------------------------------------------------

-- Feedback given on a message (Conversations.addFeedback) is the feedback of the run that produced it;
-- a message that gets linked to its run hands its feedback, if any, to the run.
CREATE FUNCTION conversation_message_feedback_to_run() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = "${schema}", pg_temp
AS $fn$
BEGIN
  UPDATE agent_run r
     SET feedback = NEW.feedback, feedback_comment = NEW.feedback_comment, feedback_at = NEW.feedback_at
   WHERE r.tenant_id = NEW.tenant_id AND r.id = NEW.agent_run_id
     AND (r.feedback, r.feedback_comment, r.feedback_at) IS DISTINCT FROM (NEW.feedback, NEW.feedback_comment, NEW.feedback_at);
  RETURN NULL;
END
$fn$;
CREATE TRIGGER conversation_message_feedback_to_run_trg
  AFTER UPDATE OF feedback, feedback_comment, feedback_at, agent_run_id ON conversation_message
  FOR EACH ROW
  WHEN (NEW.agent_run_id IS NOT NULL AND (NEW.feedback IS NOT NULL OR OLD.feedback IS NOT NULL)
        AND ((NEW.feedback, NEW.feedback_comment, NEW.feedback_at) IS DISTINCT FROM (OLD.feedback, OLD.feedback_comment, OLD.feedback_at)
             OR NEW.agent_run_id IS DISTINCT FROM OLD.agent_run_id))
  EXECUTE FUNCTION conversation_message_feedback_to_run();

-- Feedback given on a run (Runs.addFeedback) is the feedback of the (assistant) message it produced.
CREATE FUNCTION agent_run_feedback_to_message() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = "${schema}", pg_temp
AS $fn$
BEGIN
  UPDATE conversation_message m
     SET feedback = NEW.feedback, feedback_comment = NEW.feedback_comment, feedback_at = NEW.feedback_at
   WHERE m.tenant_id = NEW.tenant_id AND m.agent_run_id = NEW.id AND m.role = 'assistant'
     AND (m.feedback, m.feedback_comment, m.feedback_at) IS DISTINCT FROM (NEW.feedback, NEW.feedback_comment, NEW.feedback_at);
  RETURN NULL;
END
$fn$;
CREATE TRIGGER agent_run_feedback_to_message_trg
  AFTER UPDATE OF feedback, feedback_comment, feedback_at ON agent_run
  FOR EACH ROW
  WHEN ((NEW.feedback, NEW.feedback_comment, NEW.feedback_at) IS DISTINCT FROM (OLD.feedback, OLD.feedback_comment, OLD.feedback_at))
  EXECUTE FUNCTION agent_run_feedback_to_message();
