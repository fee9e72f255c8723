package dev.agentstore.document;

import static dev.agentstore.schema.Tables.DOCUMENT;

import dev.agentstore.ConflictException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.TenantId;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.Json;
import dev.agentstore.internal.SqlErrors;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.internal.Timing;
import dev.agentstore.observe.Operation;
import dev.agentstore.schema.tables.records.DocumentRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record1;
import org.jooq.SelectLimitPercentStep;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The upload pipeline of one tenant's documents: register uploads as {@code pending}, list them,
 * let several workers claim them safely, and recover what a dead worker (or a dead ingesting host)
 * left {@code processing}.
 *
 * <pre>{@code
 * DocumentPipeline pipeline = store.documents("acme").pipeline();
 * pipeline.register(kb.id(), NewDocument.of("s3://uploads/q3.pdf").withStorageKey("uploads/7f3a").withUser("alice"));
 *
 * // each worker, in a loop:
 * for (PipelineDocument doc : pipeline.claim("worker-7", 10, Duration.ofMinutes(5))) {
 *     try {
 *         documents.ingest(doc.knowledgeBaseId(), doc.input(chunksOf(doc)), embeddings);   // completes it
 *     } catch (RuntimeException e) {
 *         pipeline.fail(doc.id(), "worker-7", e.getMessage());
 *     }
 * }
 *
 * // periodically, anywhere:
 * RecoveryResult r = pipeline.recoverExpired(3);   // retried, or failed after 3 attempts
 * }</pre>
 *
 * <h2>Leases</h2>
 * A claimed document is {@code processing} with a lease: its owner (the worker id) and an expiry (the
 * store clock's "now" plus the lease). A worker that needs longer calls {@link #renew}. A document
 * whose lease expired is reported by {@link #listExpired(int)} and handled by
 * {@link #recoverExpired(int)}: put back to {@code pending} (to be claimed again) while it has had
 * fewer than {@code maxAttempts} claims, else marked {@code failed} with a message naming the worker,
 * the expiry and the attempts. The database guarantees that {@code processing} always carries a lease
 * (a trigger gives any writer that sets none 10 minutes; leaving {@code processing} ends it), so
 * nothing stays {@code processing} unnoticed, whoever wrote it. An ordinary
 * {@link Documents#ingest ingest} of an existing document holds such a lease (owner null) while it
 * embeds; when its host dies, {@link #recoverExpired(int)} marks the document failed (its previous
 * chunks are kept; ingest it again).
 *
 * <p>Completing: ingesting a registered document (same knowledge base and source URI, e.g. with
 * {@link PipelineDocument#input}) writes its chunks and marks it {@code completed}; the lease ends.
 * Claiming is exactly-once while leases hold: {@code FOR UPDATE SKIP LOCKED} gives every pending
 * document to one worker; only an expired lease hands it to a second one.
 *
 * <p>Thread-safe and immutable; obtained from {@code store.documents(tenant).pipeline()}.
 */
public final class DocumentPipeline {

    /** Largest page of {@link #list}. */
    public static final int MAX_PAGE_SIZE = 1_000;
    /** Most documents one {@link #claim} call takes. */
    public static final int MAX_CLAIM = 1_000;
    /** Shortest lease. */
    public static final Duration MIN_LEASE = Duration.ofSeconds(1);
    /** Longest lease. */
    public static final Duration MAX_LEASE = Duration.ofDays(1);
    /** Longest worker id. */
    public static final int MAX_WORKER_ID_LENGTH = 200;
    /** Longest error message kept; longer ones are cut. */
    public static final int MAX_ERROR_LENGTH = 2_000;

    private static final dev.agentstore.schema.tables.DocumentTable D = DOCUMENT;
    private static final String PENDING = DocumentStatus.PENDING.sqlName();
    private static final String PROCESSING = DocumentStatus.PROCESSING.sqlName();
    private static final String FAILED = DocumentStatus.FAILED.sqlName();
    private static final String COMPLETED = DocumentStatus.COMPLETED.sqlName();

    private final StoreContext context;
    private final DSLContext dsl;
    private final String tenant;

    private final Timing timing;

    /**
     * The pipeline of one tenant; obtained from {@code store.documents(tenant).pipeline()}.
     *
     * @throws NullPointerException when an argument is null
     */
    DocumentPipeline(StoreContext context, TenantId tenant) {
        this.timing = Timing.of(context);
        this.context = Objects.requireNonNull(context, "context");
        this.dsl = context.dsl();
        this.tenant = Objects.requireNonNull(tenant, "tenant").value();
    }

    // ------------------------------------------------------------------------------------------ register

    /**
     * Registers a document as {@code pending}. Idempotent: registering the same source URI (and storage
     * key) again returns the document as it is now, whatever its status.
     *
     * @param knowledgeBaseId the knowledge base it will be ingested into; not null
     * @param document source URI, title, type, metadata, storage key, user; not null
     * @return the registered (or already present) document
     * @throws ConflictException when the source URI is registered with another storage key, or the storage
     *         key with another source URI (nothing written)
     * @throws NotFoundException when this tenant has no such knowledge base
     * @throws InvalidInputException when an argument is null or the metadata cannot be written as JSON
     */
    public PipelineDocument register(KnowledgeBaseId knowledgeBaseId, NewDocument document) {
        return timing.call(Operation.PIPELINE_REGISTER, () -> registerUntimed(knowledgeBaseId, document));
    }

    private PipelineDocument registerUntimed(KnowledgeBaseId knowledgeBaseId, NewDocument document) {
        Checks.notNull(knowledgeBaseId, "knowledgeBaseId");
        Checks.notNull(document, "document");
        JSONB metadata = Json.object(document.metadata(), "document metadata");
        OffsetDateTime now = now();
        UUID kb = knowledgeBaseId.value();
        Optional<PipelineDocument> created;
        try {
            created = dsl.insertInto(D)
                    .set(D.TENANT_ID, tenant)
                    .set(D.KNOWLEDGE_BASE_ID, kb)
                    .set(D.SOURCE_URI, document.sourceUri())
                    .set(D.TITLE, document.title())
                    .set(D.DOC_TYPE, document.docType())
                    .set(D.METADATA, metadata)
                    .set(D.STORAGE_KEY, document.storageKey())
                    .set(D.USER_ID, document.userId())
                    .set(D.STATUS, PENDING)
                    .set(D.CREATED_AT, now)
                    .set(D.UPDATED_AT, now)
                    .onConflictDoNothing()
                    .returning()
                    .fetchOptional(DocumentPipeline::document);
        } catch (DataAccessException e) {
            if ("23503".equals(SqlErrors.sqlState(e))) {
                throw new NotFoundException("no knowledge base " + knowledgeBaseId + " for tenant '" + tenant
                        + "': create it first (Documents.createKnowledgeBase)");
            }
            throw SqlErrors.translate(e, "register document '" + document.sourceUri() + "'");
        }
        if (created.isPresent()) {
            return created.get();
        }
        Condition same = D.SOURCE_URI.eq(document.sourceUri());
        if (document.storageKey() != null) {
            same = same.or(D.STORAGE_KEY.eq(document.storageKey()));
        }
        Condition which = same;
        List<PipelineDocument> existing = run("read document '" + document.sourceUri() + "'", () -> dsl.selectFrom(D)
                .where(D.TENANT_ID.eq(tenant), D.KNOWLEDGE_BASE_ID.eq(kb), which)
                .fetch(DocumentPipeline::document));
        for (PipelineDocument d : existing) {
            if (!d.sourceUri().equals(document.sourceUri())) {
                throw new ConflictException("storage key '" + document.storageKey() + "' is registered for source URI '"
                        + d.sourceUri() + "' in knowledge base " + knowledgeBaseId + ", not for '" + document.sourceUri()
                        + "': one storage key per document", null);
            }
            if (document.storageKey() != null && !document.storageKey().equals(d.storageKey())) {
                throw new ConflictException("source URI '" + document.sourceUri() + "' is registered "
                        + (d.storageKey() == null ? "without a storage key" : "with storage key '" + d.storageKey() + "'")
                        + ", not with '" + document.storageKey() + "'", null);
            }
        }
        if (existing.isEmpty()) {
            throw new ConflictException("document '" + document.sourceUri() + "' was deleted while it was registered; retry",
                    null);
        }
        return existing.get(0);
    }

    /**
     * The document with this id.
     *
     * @param id the id
     * @return the document with this id
     * @throws NotFoundException when this tenant has no such document
     */
    public PipelineDocument get(DocumentId id) {
        Checks.notNull(id, "documentId");
        return run("read document " + id, () -> dsl.selectFrom(D).where(D.TENANT_ID.eq(tenant), D.ID.eq(id.value()))
                .fetchOptional(DocumentPipeline::document))
                .orElseThrow(() -> notFound(id));
    }

    /**
     * The document of a knowledge base with this storage key, or empty.
     *
     * @param knowledgeBaseId the knowledge base
     * @param storageKey the host's storage key
     * @return the document of a knowledge base with this storage key, or empty
     * @throws InvalidInputException when an argument is null or blank
     */
    public Optional<PipelineDocument> findByStorageKey(KnowledgeBaseId knowledgeBaseId, String storageKey) {
        Checks.notNull(knowledgeBaseId, "knowledgeBaseId");
        Checks.notBlank(storageKey, "storageKey");
        return run("read the document with a storage key", () -> dsl.selectFrom(D)
                .where(D.TENANT_ID.eq(tenant), D.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId.value()), D.STORAGE_KEY.eq(storageKey))
                .fetchOptional(DocumentPipeline::document));
    }

    // ------------------------------------------------------------------------------------------ list

    /**
     * A page of documents by knowledge base, status, type and creation time, in creation order (keyset
     * paging: pass {@link DocumentPage#next()} to {@link DocumentQuery#after}).
     *
     * @param query the query
     * @return a page of documents by knowledge base, status, type and creation time, in creation order
     * @throws InvalidInputException when query is null
     */
    public DocumentPage list(DocumentQuery query) {
        Checks.notNull(query, "query");
        List<Condition> where = new ArrayList<>();
        where.add(D.TENANT_ID.eq(tenant));
        if (query.knowledgeBaseId() != null) {
            where.add(D.KNOWLEDGE_BASE_ID.eq(query.knowledgeBaseId().value()));
        }
        if (!query.statuses().isEmpty()) {
            where.add(D.STATUS.in(query.statuses().stream().map(DocumentStatus::sqlName).sorted().toList()));
        }
        if (query.docType() != null) {
            where.add(D.DOC_TYPE.eq(query.docType()));
        }
        if (query.createdFrom() != null) {
            where.add(D.CREATED_AT.ge(odt(query.createdFrom())));
        }
        if (query.createdBefore() != null) {
            where.add(D.CREATED_AT.lt(odt(query.createdBefore())));
        }
        if (query.after() != null) {
            var cursor = DSL.row(DSL.val(odt(query.after().createdAt()), D.CREATED_AT), DSL.val(query.after().id().value(), D.ID));
            where.add(query.descending() ? DSL.row(D.CREATED_AT, D.ID).lt(cursor) : DSL.row(D.CREATED_AT, D.ID).gt(cursor));
        }
        int limit = query.limit();
        List<PipelineDocument> rows = run("list documents", () -> dsl.selectFrom(D)
                .where(where)
                .orderBy(query.descending() ? List.of(D.CREATED_AT.desc(), D.ID.desc()) : List.of(D.CREATED_AT.asc(), D.ID.asc()))
                .limit(limit + 1)
                .fetch(DocumentPipeline::document));
        if (rows.size() <= limit) {
            return new DocumentPage(rows, null);
        }
        List<PipelineDocument> page = rows.subList(0, limit);
        return new DocumentPage(page, page.get(limit - 1).cursor());
    }

    // ------------------------------------------------------------------------------------------ claim

    /**
     * Claims up to {@code max} pending documents of any knowledge base of this tenant, oldest first.
     * See {@link #claim(KnowledgeBaseId, String, int, Duration)}.
     *
     * @param workerId the worker's id
     * @param max the maximum
     * @param lease how long the lease lasts
     * @return the pipeline documents, never null
     */
    public List<PipelineDocument> claim(String workerId, int max, Duration lease) {
        return claim(null, workerId, max, lease);
    }

    /**
     * Claims up to {@code max} pending documents, oldest first, for this worker: they become
     * {@code processing} with a lease of {@code lease} and one more attempt. Concurrent claims never get
     * the same document ({@code FOR UPDATE SKIP LOCKED}: a claim skips the documents another one is taking
     * instead of waiting). One short transaction.
     *
     * @param knowledgeBaseId only this knowledge base, or null for every one
     * @param workerId who claims; not blank, at most {@value #MAX_WORKER_ID_LENGTH} characters
     * @param max 1 to {@value #MAX_CLAIM}
     * @param lease how long the claim holds without {@link #renew}; 1 second to 1 day
     * @return the claimed documents, oldest first; empty when none is pending
     * @throws InvalidInputException when an argument is out of range
     */
    public List<PipelineDocument> claim(KnowledgeBaseId knowledgeBaseId, String workerId, int max, Duration lease) {
        return timing.call(Operation.PIPELINE_CLAIM, () -> claimUntimed(knowledgeBaseId, workerId, max, lease));
    }

    private List<PipelineDocument> claimUntimed(KnowledgeBaseId knowledgeBaseId, String workerId, int max, Duration lease) {
        worker(workerId);
        Checks.range(max, 1, MAX_CLAIM, "max");
        OffsetDateTime now = now();
        OffsetDateTime until = odt(context.clock().instant().plus(lease(lease)));
        SelectLimitPercentStep<Record1<UUID>> pending = DSL.select(D.ID).from(D)
                .where(D.TENANT_ID.eq(tenant), D.STATUS.eq(PENDING),
                        knowledgeBaseId == null ? DSL.noCondition() : D.KNOWLEDGE_BASE_ID.eq(knowledgeBaseId.value()))
                .orderBy(D.CREATED_AT, D.ID)
                .limit(max);
        List<PipelineDocument> claimed = new ArrayList<>(run("claim pending documents", () -> dsl.update(D)
                .set(D.STATUS, PROCESSING)
                .set(D.LEASE_OWNER, workerId)
                .set(D.LEASE_EXPIRES_AT, until)
                .set(D.ATTEMPTS, D.ATTEMPTS.plus(1))
                .setNull(D.ERROR_MESSAGE)
                .set(D.UPDATED_AT, now)
                .where(D.TENANT_ID.eq(tenant), D.ID.eq(DSL.any(DSL.array(pending.forUpdate().skipLocked()))),
                        D.STATUS.eq(PENDING))
                .returning()
                .fetch(DocumentPipeline::document)));
        claimed.sort(Comparator.comparing(PipelineDocument::createdAt).thenComparing(d -> d.id().value()));
        return List.copyOf(claimed);
    }

    /**
     * Extends the lease of a document this worker is processing to {@code lease} from now.
     *
     * @param id the id
     * @param workerId the worker's id
     * @param lease how long the lease lasts
     * @return false when the worker no longer holds it (its lease expired and it was recovered, or it is done)
     * @throws InvalidInputException when an argument is out of range
     */
    public boolean renew(DocumentId id, String workerId, Duration lease) {
        Checks.notNull(id, "documentId");
        worker(workerId);
        OffsetDateTime until = odt(context.clock().instant().plus(lease(lease)));
        return run("renew the lease of document " + id, () -> dsl.update(D)
                .set(D.LEASE_EXPIRES_AT, until)
                .where(D.TENANT_ID.eq(tenant), D.ID.eq(id.value()), D.STATUS.eq(PROCESSING), D.LEASE_OWNER.eq(workerId))
                .execute()) > 0;
    }

    /**
     * Marks a document this worker is processing as failed, with the reason.
     *
     * @param message why; not blank; cut to {@value #MAX_ERROR_LENGTH} characters
     * @param id the id
     * @param workerId the worker's id
     * @return false when the worker no longer holds it
     * @throws InvalidInputException when an argument is null or blank
     */
    public boolean fail(DocumentId id, String workerId, String message) {
        Checks.notNull(id, "documentId");
        worker(workerId);
        Checks.notBlank(message, "message");
        String m = message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) : message;
        return run("mark document " + id + " failed", () -> dsl.update(D)
                .set(D.STATUS, FAILED)
                .set(D.ERROR_MESSAGE, m)
                .set(D.UPDATED_AT, now())
                .where(D.TENANT_ID.eq(tenant), D.ID.eq(id.value()), D.STATUS.eq(PROCESSING), D.LEASE_OWNER.eq(workerId))
                .execute()) > 0;
    }

    /**
     * Puts a failed or completed document back to {@code pending} (to process it again), with its
     * attempts reset. A pending or processing document is left as it is.
     *
     * @param id the id
     * @return whether it was put back
     * @throws NotFoundException when this tenant has no such document
     */
    public boolean requeue(DocumentId id) {
        Checks.notNull(id, "documentId");
        int n = run("requeue document " + id, () -> dsl.update(D)
                .set(D.STATUS, PENDING)
                .set(D.ATTEMPTS, 0)
                .set(D.UPDATED_AT, now())
                .where(D.TENANT_ID.eq(tenant), D.ID.eq(id.value()), D.STATUS.in(FAILED, COMPLETED))
                .execute());
        if (n == 0) {
            get(id);
        }
        return n > 0;
    }

    // ------------------------------------------------------------------------------------------ recovery

    /**
     * The documents whose processing lease has expired (the worker or host processing them died, hangs,
     * or did not renew), longest expired first. Changes nothing.
     *
     * @param limit 1 to {@value #MAX_PAGE_SIZE}
     * @return the documents whose processing lease has expired
     */
    public List<PipelineDocument> listExpired(int limit) {
        Checks.range(limit, 1, MAX_PAGE_SIZE, "limit");
        return run("list expired documents", () -> dsl.selectFrom(D)
                .where(D.TENANT_ID.eq(tenant), D.STATUS.eq(PROCESSING), D.LEASE_EXPIRES_AT.lt(now()))
                .orderBy(D.LEASE_EXPIRES_AT)
                .limit(limit)
                .fetch(DocumentPipeline::document));
    }

    /**
     * Recovers every document whose processing lease has expired, in one short transaction: a claimed
     * document with fewer than {@code maxAttempts} attempts goes back to {@code pending} (its error message
     * says why), one with {@code maxAttempts} or more becomes {@code failed}; a document left
     * {@code processing} by an ordinary ingest (no owner) becomes {@code failed}, keeping its previous
     * chunks. The messages name the worker, the expiry and the attempts. For every tenant at once, in
     * batches, see {@link LeaseRecovery}.
     *
     * @param maxAttempts claims a document gets before it fails; 1 to 100
     * @return recovers every document whose processing lease has expired, in one short transaction
     * @throws InvalidInputException when maxAttempts is out of range
     */
    public RecoveryResult recoverExpired(int maxAttempts) {
        Checks.range(maxAttempts, 1, LeaseRecovery.MAX_ATTEMPTS, "maxAttempts");
        // the same rule and messages as the store-wide function document_recover_expired (V10), written here
        // as well because this call returns the documents as recovered, which that SECURITY DEFINER function
        // must not hand to a role bound to one tenant; LeaseRecoveryIT checks both give the same messages
        OffsetDateTime now = now();
        Condition retry = D.LEASE_OWNER.isNotNull().and(D.ATTEMPTS.lt(maxAttempts));
        Field<String> expiry = DSL.field("to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')", String.class,
                D.LEASE_EXPIRES_AT);
        Field<String> message = DSL.when(D.LEASE_OWNER.isNull(), DSL.concat(
                        DSL.inline("ingestion was abandoned: its lease expired at "), expiry,
                        DSL.inline(" (the ingesting host died or an error escaped the embedding function); the previous chunks "
                                + "are kept, ingest the document again")))
                .otherwise(DSL.concat(DSL.inline("processing lease of worker '"), D.LEASE_OWNER, DSL.inline("' expired at "), expiry,
                        DSL.inline(" (attempt "), D.ATTEMPTS.cast(String.class), DSL.inline(" of " + maxAttempts + ")"),
                        DSL.when(retry, DSL.inline("; pending again")).otherwise(DSL.inline("; no attempts left"))));
        List<PipelineDocument> changed = run("recover expired documents", () -> dsl.update(D)
                .set(D.STATUS, DSL.when(retry, DSL.inline(PENDING)).otherwise(DSL.inline(FAILED)))
                .set(D.ERROR_MESSAGE, message)
                .set(D.UPDATED_AT, now)
                .where(D.TENANT_ID.eq(tenant), D.STATUS.eq(PROCESSING), D.LEASE_EXPIRES_AT.lt(now))
                .returning()
                .fetch(DocumentPipeline::document));
        List<PipelineDocument> retried = new ArrayList<>();
        List<PipelineDocument> failed = new ArrayList<>();
        for (PipelineDocument d : changed) {
            (d.status() == DocumentStatus.PENDING ? retried : failed).add(d);
        }
        return new RecoveryResult(retried, failed);
    }

    // ------------------------------------------------------------------------------------------

    private static String worker(String workerId) {
        Checks.text(workerId, "workerId", MAX_WORKER_ID_LENGTH, null);
        return workerId;
    }

    private static Duration lease(Duration lease) {
        Checks.notNull(lease, "lease");
        if (lease.compareTo(MIN_LEASE) < 0 || lease.compareTo(MAX_LEASE) > 0) {
            throw new InvalidInputException("lease must be between " + MIN_LEASE + " and " + MAX_LEASE + ", but was " + lease);
        }
        return lease;
    }

    private NotFoundException notFound(DocumentId id) {
        return new NotFoundException("no document " + id + " for tenant '" + tenant
                + "': it never existed, was deleted, or belongs to another tenant");
    }

    private OffsetDateTime now() {
        return odt(context.clock().instant());
    }

    private static OffsetDateTime odt(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    private <T> T run(String what, Supplier<T> body) {
        try {
            return body.get();
        } catch (DataAccessException e) {
            throw SqlErrors.translate(e, what);
        }
    }

    static PipelineDocument document(DocumentRecord r) {
        OffsetDateTime lease = r.getLeaseExpiresAt();
        return new PipelineDocument(DocumentId.of(r.getId()), KnowledgeBaseId.of(r.getKnowledgeBaseId()), r.getSourceUri(),
                r.getTitle(), r.getDocType(), r.getMetadata() == null ? null : Json.toMap(r.getMetadata()), r.getStorageKey(),
                r.getUserId(), DocumentStatus.fromSqlName(r.getStatus()), r.getErrorMessage(), r.getAttempts(), r.getLeaseOwner(),
                lease == null ? null : lease.toInstant(), r.getCreatedAt().toInstant(), r.getUpdatedAt().toInstant());
    }
}
