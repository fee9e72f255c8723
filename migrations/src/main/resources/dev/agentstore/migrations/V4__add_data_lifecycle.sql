-- agentstore schema, version 4: data lifecycle (issue #15, and #16 item 4).
--
--   * conversation sessions get the host's own key (unique per tenant), so that existing history can be
--     imported and a session found by the id the host already has;
--   * documents get the host's storage key (unique per knowledge base), the user they belong to, and a
--     processing lease (owner, expiry, attempts) so that a document left "processing" by a dead worker or
--     host is found, retried or failed with a message;
--   * indexes that let erasure (of a user, an agent) and message-level retention find their rows without
--     scanning other subjects' rows.

-- ---------------------------------------------------------------------------------------------
-- Conversations: the host's session key
-- ---------------------------------------------------------------------------------------------

ALTER TABLE conversation_session ADD COLUMN host_key text;
ALTER TABLE conversation_session ADD CONSTRAINT conversation_session_host_key_ck
  CHECK (host_key IS NULL OR (btrim(host_key) <> '' AND length(host_key) <= 500));
CREATE UNIQUE INDEX conversation_session_host_key_uk
  ON conversation_session (tenant_id, host_key) WHERE host_key IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- Documents: storage key, owner, processing lease
-- ---------------------------------------------------------------------------------------------

ALTER TABLE document ADD COLUMN storage_key text;
ALTER TABLE document ADD COLUMN user_id text;
ALTER TABLE document ADD COLUMN lease_owner text;
ALTER TABLE document ADD COLUMN lease_expires_at timestamptz;
ALTER TABLE document ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE document ADD CONSTRAINT document_storage_key_ck
  CHECK (storage_key IS NULL OR (btrim(storage_key) <> '' AND length(storage_key) <= 1000));
ALTER TABLE document ADD CONSTRAINT document_user_ck
  CHECK (user_id IS NULL OR btrim(user_id) <> '');
ALTER TABLE document ADD CONSTRAINT document_attempts_ck CHECK (attempts >= 0);
-- documents a V1/V2 host left processing: their lease is already over, so the pipeline reports them
UPDATE document SET lease_expires_at = now() WHERE status = 'processing';
-- a lease exists exactly while a document is processing
ALTER TABLE document ADD CONSTRAINT document_lease_ck
  CHECK ((status = 'processing') = (lease_expires_at IS NOT NULL) AND (lease_owner IS NULL OR status = 'processing'));

-- Whatever writes the status (agentstore's ingest, the pipeline, a host's own SQL), "processing" always
-- carries a lease: a writer that sets no expiry gets 10 minutes from now (database time), and leaving
-- "processing" ends the lease. So no document can stay processing without a deadline after which the
-- pipeline reports it.
CREATE FUNCTION document_lease_guard() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog AS $agentstore$
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
$agentstore$;
CREATE TRIGGER document_lease_guard_trg BEFORE INSERT OR UPDATE OF status, lease_expires_at, lease_owner ON document
  FOR EACH ROW EXECUTE FUNCTION document_lease_guard();

CREATE UNIQUE INDEX document_storage_key_uk
  ON document (tenant_id, knowledge_base_id, storage_key) WHERE storage_key IS NOT NULL;
-- listing by status (and claiming the oldest pending documents) with keyset paging
CREATE INDEX document_status_created_idx ON document (tenant_id, status, created_at, id);
-- expired leases, store-wide
CREATE INDEX document_lease_idx ON document (lease_expires_at) WHERE status = 'processing';
CREATE INDEX document_user_idx ON document (tenant_id, user_id) WHERE user_id IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- Erasure and retention lookups
-- ---------------------------------------------------------------------------------------------

CREATE INDEX memory_user_idx ON memory (tenant_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX memory_session_idx ON memory (tenant_id, session_id) WHERE session_id IS NOT NULL;
CREATE INDEX memory_entry_user_idx ON memory_entry (tenant_id, scope_id) WHERE scope = 'user';
