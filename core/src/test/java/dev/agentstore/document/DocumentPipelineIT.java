package dev.agentstore.document;

import static dev.agentstore.schema.Tables.DOCUMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.ConflictException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.MutableClock;
import dev.agentstore.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AgentStoreTest(dimension = 3)
class DocumentPipelineIT {

    private static final AtomicInteger TENANTS = new AtomicInteger();
    /** Near real time, so that leases given by the database (trigger, database clock) and by the store agree. */
    private static final Instant START = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private static MutableClock clock;
    private static AgentStore store;

    private String tenant;
    private Documents documents;
    private DocumentPipeline pipeline;
    private KnowledgeBase kb;

    @BeforeAll
    static void start(TestDatabase db) {
        clock = new MutableClock(START);
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(12).clock(clock)
                .build();
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @BeforeEach
    void freshTenant() {
        clock.set(START);
        tenant = "pipeline-" + TENANTS.incrementAndGet();
        documents = store.documents(tenant);
        pipeline = documents.pipeline();
        kb = documents.createKnowledgeBase(KnowledgeBaseSpec.of("uploads", 3));
    }

    private static List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>();
        for (String t : texts) {
            out.add(new float[] {1, t.length() % 5, t.hashCode() % 3 + 2});
        }
        return out;
    }

    private static List<ChunkInput> chunks(PipelineDocument d) {
        return List.of(ChunkInput.of("first part of " + d.sourceUri()), ChunkInput.of("second part of " + d.sourceUri()));
    }

    // ------------------------------------------------------------------------------------------ register, list

    @Test
    void a_registered_document_is_pending_with_its_attributes_and_registering_again_returns_it() {
        PipelineDocument d = pipeline.register(kb.id(), NewDocument.of("s3://u/a.pdf").withTitle("A").withDocType("pdf")
                .withStorageKey("u/a").withUser("alice").withMetadata(Map.of("size", 10)));

        assertThat(d.status()).isEqualTo(DocumentStatus.PENDING);
        assertThat(d.title()).isEqualTo("A");
        assertThat(d.docType()).isEqualTo("pdf");
        assertThat(d.storageKey()).isEqualTo("u/a");
        assertThat(d.userId()).isEqualTo("alice");
        assertThat(d.metadata()).containsEntry("size", 10);
        assertThat(d.attempts()).isZero();
        assertThat(d.leaseExpiresAt()).isNull();
        assertThat(d.createdAt()).isEqualTo(START);
        assertThat(pipeline.register(kb.id(), NewDocument.of("s3://u/a.pdf").withStorageKey("u/a"))).isEqualTo(d);
        assertThat(pipeline.findByStorageKey(kb.id(), "u/a")).contains(d);
        assertThat(documents.getDocument(d.id()).status()).isEqualTo(DocumentStatus.PENDING);
    }

    @Test
    void a_storage_key_of_another_document_is_a_conflict() {
        pipeline.register(kb.id(), NewDocument.of("s3://u/a.pdf").withStorageKey("u/a"));

        assertThatThrownBy(() -> pipeline.register(kb.id(), NewDocument.of("s3://u/b.pdf").withStorageKey("u/a")))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("storage key 'u/a' is registered for source URI 's3://u/a.pdf'");
        assertThatThrownBy(() -> pipeline.register(kb.id(), NewDocument.of("s3://u/a.pdf").withStorageKey("u/other")))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("is registered with storage key 'u/a', not with 'u/other'");
        // the same key in another knowledge base is another document
        KnowledgeBase other = documents.createKnowledgeBase(KnowledgeBaseSpec.of("other", 3));
        assertThat(pipeline.register(other.id(), NewDocument.of("s3://u/b.pdf").withStorageKey("u/a")).status())
                .isEqualTo(DocumentStatus.PENDING);
    }

    @Test
    void registering_into_an_unknown_knowledge_base_is_not_found_and_bad_input_is_refused() {
        assertThatThrownBy(() -> pipeline.register(KnowledgeBaseId.of(UUID.randomUUID()), NewDocument.of("x")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("create it first");
        assertThatThrownBy(() -> NewDocument.of(" ")).isInstanceOf(InvalidInputException.class)
                .hasMessage("sourceUri must not be blank");
        assertThatThrownBy(() -> NewDocument.of("x").withStorageKey("a\tb")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("storageKey must not contain control characters");
        assertThatThrownBy(() -> pipeline.claim("w", 1, Duration.ZERO)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("lease must be between PT1S and PT24H");
        assertThatThrownBy(() -> pipeline.claim(" ", 1, Duration.ofMinutes(1))).isInstanceOf(InvalidInputException.class)
                .hasMessage("workerId must not be blank");
    }

    @Test
    void documents_are_listed_by_status_type_and_time_in_keyset_pages_both_ways() {
        List<DocumentId> ids = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            clock.advance(Duration.ofSeconds(1));
            ids.add(pipeline.register(kb.id(), NewDocument.of("doc-" + i).withDocType(i % 3 == 0 ? "pdf" : "md")).id());
        }
        pipeline.claim("w", 2, Duration.ofMinutes(1));   // doc-0, doc-1 processing

        DocumentQuery pending = DocumentQuery.all().inKnowledgeBase(kb.id()).withStatus(DocumentStatus.PENDING).limit(3);
        DocumentPage p1 = pipeline.list(pending);
        DocumentPage p2 = pipeline.list(pending.after(p1.next()));
        DocumentPage p3 = pipeline.list(pending.after(p2.next()));

        assertThat(p1.documents()).extracting(PipelineDocument::sourceUri).containsExactly("doc-2", "doc-3", "doc-4");
        assertThat(p2.documents()).extracting(PipelineDocument::sourceUri).containsExactly("doc-5", "doc-6", "doc-7");
        assertThat(p3.documents()).extracting(PipelineDocument::sourceUri).containsExactly("doc-8");
        assertThat(p3.next()).isNull();
        assertThat(pipeline.list(DocumentQuery.all().withDocType("pdf").newestFirst()).documents())
                .extracting(PipelineDocument::sourceUri).containsExactly("doc-6", "doc-3", "doc-0");
        assertThat(pipeline.list(DocumentQuery.all().withStatus(DocumentStatus.PROCESSING, DocumentStatus.FAILED)).documents())
                .extracting(PipelineDocument::sourceUri).containsExactly("doc-0", "doc-1");
        assertThat(pipeline.list(DocumentQuery.all().createdBetween(START.plusSeconds(3), START.plusSeconds(5))).documents())
                .extracting(PipelineDocument::sourceUri).containsExactly("doc-2", "doc-3");
        DocumentPage newest = pipeline.list(DocumentQuery.all().newestFirst().limit(4));
        assertThat(pipeline.list(DocumentQuery.all().newestFirst().limit(4).after(newest.next())).documents())
                .extracting(PipelineDocument::sourceUri).containsExactly("doc-4", "doc-3", "doc-2", "doc-1");
        assertThat(store.documents(tenant + "-other").pipeline().list(DocumentQuery.all()).documents()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ claim, complete, fail

    @Test
    void a_claimed_document_is_processing_with_a_lease_and_ingesting_it_completes_it() {
        pipeline.register(kb.id(), NewDocument.of("s3://u/a.pdf").withTitle("A").withMetadata(Map.of("k", "v")));

        List<PipelineDocument> claimed = pipeline.claim("worker-1", 5, Duration.ofMinutes(5));

        assertThat(claimed).hasSize(1);
        PipelineDocument d = claimed.get(0);
        assertThat(d.status()).isEqualTo(DocumentStatus.PROCESSING);
        assertThat(d.leaseOwner()).isEqualTo("worker-1");
        assertThat(d.leaseExpiresAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(pipeline.claim("worker-2", 5, Duration.ofMinutes(5))).isEmpty();

        IngestResult r = documents.ingest(d.knowledgeBaseId(), d.input(chunks(d)), DocumentPipelineIT::embed);

        assertThat(r.documentId()).isEqualTo(d.id());
        PipelineDocument done = pipeline.get(d.id());
        assertThat(done.status()).isEqualTo(DocumentStatus.COMPLETED);
        assertThat(done.leaseOwner()).isNull();
        assertThat(done.leaseExpiresAt()).isNull();
        assertThat(done.title()).isEqualTo("A");
        assertThat(documents.listChunks(d.id())).hasSize(2);
    }

    @Test
    void a_worker_fails_renews_and_loses_documents_by_its_lease() {
        pipeline.register(kb.id(), NewDocument.of("a"));
        pipeline.register(kb.id(), NewDocument.of("b"));
        List<PipelineDocument> claimed = pipeline.claim("w1", 2, Duration.ofMinutes(1));
        DocumentId a = claimed.get(0).id();
        DocumentId b = claimed.get(1).id();

        assertThat(pipeline.fail(a, "w2", "not mine")).isFalse();
        assertThat(pipeline.fail(a, "w1", "cannot parse PDF")).isTrue();
        assertThat(pipeline.get(a).status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(pipeline.get(a).errorMessage()).isEqualTo("cannot parse PDF");
        assertThat(pipeline.get(a).leaseOwner()).isNull();

        clock.advance(Duration.ofSeconds(50));
        assertThat(pipeline.renew(b, "w1", Duration.ofMinutes(1))).isTrue();
        clock.advance(Duration.ofSeconds(50));
        assertThat(pipeline.listExpired(10)).isEmpty();
        clock.advance(Duration.ofSeconds(11));
        assertThat(pipeline.listExpired(10)).extracting(PipelineDocument::id).containsExactly(b);
        assertThat(pipeline.recoverExpired(3).retried()).extracting(PipelineDocument::id).containsExactly(b);
        assertThat(pipeline.renew(b, "w1", Duration.ofMinutes(1))).isFalse();

        assertThat(pipeline.requeue(a)).isTrue();
        assertThat(pipeline.get(a).status()).isEqualTo(DocumentStatus.PENDING);
        assertThat(pipeline.requeue(b)).isFalse();
    }

    @Test
    void an_expired_lease_is_retried_until_the_attempts_run_out_then_failed_with_a_message() {
        PipelineDocument d = pipeline.register(kb.id(), NewDocument.of("flaky"));
        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThat(pipeline.claim("w-" + attempt, 1, Duration.ofMinutes(1))).hasSize(1);
            clock.advance(Duration.ofMinutes(2));
            RecoveryResult r = pipeline.recoverExpired(2);
            if (attempt == 1) {
                assertThat(r.retried()).hasSize(1);
                assertThat(r.retried().get(0).errorMessage()).contains("processing lease of worker 'w-1' expired at")
                        .contains("(attempt 1 of 2); pending again");
            } else {
                assertThat(r.retried()).isEmpty();
                assertThat(r.failed()).hasSize(1);
            }
        }
        PipelineDocument failed = pipeline.get(d.id());
        assertThat(failed.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.errorMessage()).contains("worker 'w-2'").contains("(attempt 2 of 2); no attempts left");
        assertThat(pipeline.recoverExpired(2).failed()).isEmpty();
    }

    @Test
    void eight_workers_process_every_document_exactly_once_although_one_is_killed_mid_way() throws Exception {
        int n = 120;
        for (int i = 0; i < n; i++) {
            pipeline.register(kb.id(), NewDocument.of("doc-" + i).withStorageKey("key-" + i));
        }
        Duration lease = Duration.ofMinutes(5);
        Map<String, AtomicInteger> completions = new ConcurrentHashMap<>();
        Set<DocumentId> abandoned = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch killed = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            String worker = "worker-" + w;
            boolean dies = w == 3;
            workers.add(pool.submit(() -> {
                int processed = 0;
                while (!stop.get()) {
                    List<PipelineDocument> batch = pipeline.claim(worker, 3, lease);
                    if (batch.isEmpty()) {
                        Thread.sleep(5);
                        continue;
                    }
                    for (PipelineDocument d : batch) {
                        if (dies && processed == 4) {
                            // killed mid-way: its claimed batch stays processing, with its lease
                            batch.stream().skip(batch.indexOf(d)).forEach(x -> abandoned.add(x.id()));
                            killed.countDown();
                            return null;
                        }
                        documents.ingest(d.knowledgeBaseId(), d.input(chunks(d)), DocumentPipelineIT::embed);
                        completions.computeIfAbsent(d.sourceUri(), k -> new AtomicInteger()).incrementAndGet();
                        processed++;
                    }
                }
                return null;
            }));
        }
        assertThat(killed.await(60, TimeUnit.SECONDS)).isTrue();
        // the survivors drain the queue; the abandoned documents stay processing until their lease expires
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (completions.size() < n - abandoned.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(completions).hasSize(n - abandoned.size());
        assertThat(pipeline.list(DocumentQuery.all().withStatus(DocumentStatus.PROCESSING)).documents())
                .extracting(PipelineDocument::id).containsExactlyInAnyOrderElementsOf(abandoned);
        assertThat(pipeline.listExpired(100)).isEmpty();

        clock.advance(lease.plusSeconds(1));
        RecoveryResult recovered = pipeline.recoverExpired(3);
        assertThat(recovered.retried()).extracting(PipelineDocument::id).containsExactlyInAnyOrderElementsOf(abandoned);
        assertThat(recovered.retried()).allSatisfy(d -> assertThat(d.errorMessage()).contains("worker 'worker-3'"));
        while (completions.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        stop.set(true);
        for (Future<?> f : workers) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(completions).hasSize(n);
        assertThat(completions.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
        List<PipelineDocument> all = new ArrayList<>();
        DocumentQuery q = DocumentQuery.all().limit(50);
        for (DocumentPage page = pipeline.list(q); ; page = pipeline.list(q.after(page.next()))) {
            all.addAll(page.documents());
            if (page.next() == null) {
                break;
            }
        }
        assertThat(all).hasSize(n).allSatisfy(d -> assertThat(d.status()).isEqualTo(DocumentStatus.COMPLETED));
        Set<DocumentId> twice = new HashSet<>();
        for (PipelineDocument d : all) {
            assertThat(d.attempts()).isEqualTo(abandoned.contains(d.id()) ? 2 : 1);
            if (d.attempts() == 2) {
                twice.add(d.id());
            }
        }
        assertThat(twice).isEqualTo(abandoned);
    }

    // ------------------------------------------------------------------------------------------ #16 item 4

    @Test
    void a_document_left_processing_by_a_dead_ingesting_host_carries_a_lease_and_is_failed_by_recovery() {
        IngestResult first = documents.ingest(kb.id(), DocumentInput.of("doc", List.of("version one")), DocumentPipelineIT::embed);
        // what an ingest of a changed version commits before it embeds, then the host dies
        store.dsl().update(DOCUMENT).set(DOCUMENT.STATUS, "processing")
                .where(DOCUMENT.TENANT_ID.eq(tenant), DOCUMENT.ID.eq(first.documentId().value())).execute();

        PipelineDocument left = pipeline.get(first.documentId());
        assertThat(left.status()).isEqualTo(DocumentStatus.PROCESSING);
        assertThat(left.leaseExpiresAt()).isNotNull();
        assertThat(left.leaseOwner()).isNull();

        clock.set(left.leaseExpiresAt().plusSeconds(1));
        RecoveryResult r = pipeline.recoverExpired(3);

        assertThat(r.failed()).extracting(PipelineDocument::id).containsExactly(first.documentId());
        Document doc = documents.getDocument(first.documentId());
        assertThat(doc.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(doc.errorMessage()).startsWith("ingestion was abandoned: its lease expired at");
        assertThat(documents.listChunks(first.documentId())).hasSize(1);
        // ingesting again repairs it
        documents.ingest(kb.id(), DocumentInput.of("doc", List.of("version two")), DocumentPipelineIT::embed);
        assertThat(documents.getDocument(first.documentId()).status()).isEqualTo(DocumentStatus.COMPLETED);
    }

    @Test
    void a_document_whose_embedding_function_throws_an_error_is_marked_failed_at_once() {
        IngestResult first = documents.ingest(kb.id(), DocumentInput.of("doc", List.of("version one")), DocumentPipelineIT::embed);

        assertThatThrownBy(() -> documents.ingest(kb.id(), DocumentInput.of("doc", List.of("version two")), texts -> {
            throw new OutOfMemoryError("model ran out of memory");
        })).isInstanceOf(OutOfMemoryError.class);

        PipelineDocument after = pipeline.get(first.documentId());
        assertThat(after.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(after.errorMessage()).contains("aborted by java.lang.OutOfMemoryError");
        assertThat(after.leaseExpiresAt()).isNull();
        assertThat(documents.listChunks(first.documentId())).extracting(DocumentChunk::text).containsExactly("version one");
    }
}
