package dev.agentstore.document;

import static dev.agentstore.schema.Tables.DOCUMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.InvalidInputException;
import dev.agentstore.TenantId;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.MutableClock;
import dev.agentstore.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store-wide lease recovery ({@code store.leaseRecovery()}), the configurable lease of an ordinary
 * ingest and its renewal while it embeds.
 */
@AgentStoreTest(dimension = 3)
class LeaseRecoveryIT {

    private static final Instant START = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Duration INGEST_LEASE = Duration.ofSeconds(30);

    private static MutableClock clock;
    private static AgentStore store;

    @BeforeAll
    static void start(TestDatabase db) {
        clock = new MutableClock(START);
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(4).clock(clock)
                .ingestLease(INGEST_LEASE).embeddingBatchSize(1).build();
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    private static List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>();
        for (String t : texts) {
            out.add(new float[] {1, t.length() % 5, 2});
        }
        return out;
    }

    @Test
    void one_store_wide_call_recovers_every_tenant_in_batches_and_counts_per_tenant() {
        clock.set(START);
        Map<String, Integer> claimed = Map.of("sweep-a", 3, "sweep-b", 2, "sweep-c", 1);
        claimed.forEach((tenant, n) -> {
            DocumentPipeline pipeline = store.documents(tenant).pipeline();
            KnowledgeBase kb = store.documents(tenant).createKnowledgeBase(KnowledgeBaseSpec.of("uploads", 3));
            for (int i = 0; i < n; i++) {
                pipeline.register(kb.id(), NewDocument.of("s3://" + tenant + "/" + i));
            }
            pipeline.register(kb.id(), NewDocument.of("s3://" + tenant + "/still-pending"));
            assertThat(pipeline.claim("worker-" + tenant, n, Duration.ofMinutes(1))).hasSize(n);
        });
        // sweep-c's document is on its last attempt: it fails instead of being retried
        store.dsl().update(DOCUMENT).set(DOCUMENT.ATTEMPTS, 2).where(DOCUMENT.TENANT_ID.eq("sweep-c"),
                DOCUMENT.STATUS.eq("processing")).execute();
        // a lease that has not expired yet stays
        DocumentPipeline late = store.documents("sweep-a").pipeline();
        clock.advance(Duration.ofSeconds(30));

        assertThat(store.leaseRecovery().recoverExpired(2).perTenant()).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        LeaseRecoveryResult r = store.leaseRecovery().withBatchSize(2).recoverExpired(2);

        assertThat(r.perTenant()).containsExactly(
                Map.entry(TenantId.of("sweep-a"), new LeaseRecoveryResult.TenantRecovery(3, 0)),
                Map.entry(TenantId.of("sweep-b"), new LeaseRecoveryResult.TenantRecovery(2, 0)),
                Map.entry(TenantId.of("sweep-c"), new LeaseRecoveryResult.TenantRecovery(0, 1)));
        assertThat(r.retried()).isEqualTo(5);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.transactions()).isEqualTo(3);
        assertThat(store.leaseRecovery().recoverExpired(2).perTenant()).isEmpty();
        // what happened to each document is what the per-tenant recovery does
        List<PipelineDocument> retried = late.list(DocumentQuery.all().withStatus(DocumentStatus.PENDING).limit(10)).documents();
        assertThat(retried).hasSize(4);
        assertThat(retried).filteredOn(d -> d.attempts() == 1).allSatisfy(d -> assertThat(d.errorMessage())
                .startsWith("processing lease of worker 'worker-sweep-a' expired at ").endsWith("(attempt 1 of 2); pending again"));
        PipelineDocument failed = store.documents("sweep-c").pipeline()
                .list(DocumentQuery.all().withStatus(DocumentStatus.FAILED).limit(10)).documents().get(0);
        assertThat(failed.errorMessage()).endsWith("(attempt 2 of 2); no attempts left");
        assertThatThrownBy(() -> store.leaseRecovery().recoverExpired(0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> store.leaseRecovery().withBatchSize(0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("batchSize");
    }

    @Test
    void an_ordinary_ingest_holds_the_configured_lease_and_renews_it_while_it_embeds() {
        clock.set(START);
        Documents documents = store.documents("ingest-lease");
        KnowledgeBase kb = documents.createKnowledgeBase(KnowledgeBaseSpec.of("kb", 3));
        IngestResult first = documents.ingest(kb.id(), DocumentInput.of("doc", List.of("one")), LeaseRecoveryIT::embed);
        DocumentPipeline pipeline = documents.pipeline();
        List<Instant> leases = new ArrayList<>();

        // three new texts, one per embedding call; each call takes 20 s of the store's clock
        documents.ingest(kb.id(), DocumentInput.of("doc", List.of("alpha", "beta", "gamma")), texts -> {
            PipelineDocument during = pipeline.get(first.documentId());
            assertThat(during.status()).isEqualTo(DocumentStatus.PROCESSING);
            assertThat(during.leaseOwner()).isNull();
            leases.add(during.leaseExpiresAt());
            clock.advance(Duration.ofSeconds(20));
            return embed(texts);
        });

        // set at the start (now + 30 s), then renewed after each call that ended past half of it
        assertThat(leases).containsExactly(START.plus(INGEST_LEASE), START.plusSeconds(20).plus(INGEST_LEASE),
                START.plusSeconds(40).plus(INGEST_LEASE));
        PipelineDocument done = pipeline.get(first.documentId());
        assertThat(done.status()).isEqualTo(DocumentStatus.COMPLETED);
        assertThat(done.leaseExpiresAt()).isNull();
    }

    @Test
    void an_ingest_lease_out_of_range_is_refused_by_the_builder() {
        assertThatThrownBy(() -> AgentStore.builder().ingestLease(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ingestLease must be between PT1S and PT24H, but was PT0.5S");
        assertThatThrownBy(() -> AgentStore.builder().ingestLease(Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was PT48H");
        assertThatThrownBy(() -> AgentStore.builder().ingestLease(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("ingestLease");
    }

    @Test
    void a_document_ingested_for_a_user_belongs_to_that_user_and_keeps_it_when_ingested_without_one() {
        Documents documents = store.documents("owners");
        KnowledgeBase kb = documents.createKnowledgeBase(KnowledgeBaseSpec.of("kb", 3));
        IngestResult r = documents.ingest(kb.id(), DocumentInput.of("notes", List.of("mine")).withUser("alice"),
                LeaseRecoveryIT::embed);
        DocumentPipeline pipeline = documents.pipeline();
        assertThat(pipeline.get(r.documentId()).userId()).isEqualTo("alice");

        // unchanged content without a user: nothing written, the user stays
        assertThat(documents.ingest(kb.id(), DocumentInput.of("notes", List.of("mine")), LeaseRecoveryIT::embed).status())
                .isEqualTo(IngestStatus.UNCHANGED);
        assertThat(pipeline.get(r.documentId()).userId()).isEqualTo("alice");
        // changed content without a user: the user stays
        documents.ingest(kb.id(), DocumentInput.of("notes", List.of("mine, edited")), LeaseRecoveryIT::embed);
        assertThat(pipeline.get(r.documentId()).userId()).isEqualTo("alice");
        // unchanged content for another user: the document changes hands
        assertThat(documents.ingest(kb.id(), DocumentInput.of("notes", List.of("mine, edited")).withUser("bob"),
                LeaseRecoveryIT::embed).status()).isEqualTo(IngestStatus.UPDATED);
        assertThat(pipeline.get(r.documentId()).userId()).isEqualTo("bob");
        assertThatThrownBy(() -> DocumentInput.of("x", List.of("y")).withUser(" "))
                .isInstanceOf(InvalidInputException.class).hasMessage("userId of document 'x' must be null or not blank");
    }

    @Test
    void the_store_wide_and_the_per_tenant_recovery_write_the_same_messages() {
        clock.set(START);
        List<String> messages = new ArrayList<>();
        for (String tenant : List.of("same-1", "same-2")) {
            Documents documents = store.documents(tenant);
            KnowledgeBase kb = documents.createKnowledgeBase(KnowledgeBaseSpec.of("kb", 3));
            documents.pipeline().register(kb.id(), NewDocument.of("claimed"));
            documents.pipeline().claim("w", 1, Duration.ofMinutes(1));
            IngestResult ingested = documents.ingest(kb.id(), DocumentInput.of("ingested", List.of("v1")), LeaseRecoveryIT::embed);
            // an ingest of a changed version whose host died while it embedded
            store.dsl().update(DOCUMENT).set(DOCUMENT.STATUS, "processing")
                    .set(DOCUMENT.LEASE_EXPIRES_AT, java.time.OffsetDateTime.ofInstant(START.plusSeconds(60), java.time.ZoneOffset.UTC))
                    .where(DOCUMENT.TENANT_ID.eq(tenant), DOCUMENT.ID.eq(ingested.documentId().value())).execute();
        }
        clock.advance(Duration.ofMinutes(2));

        RecoveryResult perTenant = store.documents("same-1").pipeline().recoverExpired(1);
        LeaseRecoveryResult storeWide = store.leaseRecovery().recoverExpired(1);

        assertThat(storeWide.perTenant()).containsEntry(TenantId.of("same-2"), new LeaseRecoveryResult.TenantRecovery(0, 2));
        for (String tenant : List.of("same-1", "same-2")) {
            store.documents(tenant).pipeline().list(DocumentQuery.all().withStatus(DocumentStatus.FAILED)).documents().stream()
                    .sorted(java.util.Comparator.comparing(PipelineDocument::sourceUri))
                    .forEach(d -> messages.add(d.errorMessage()));
        }
        assertThat(perTenant.failed()).hasSize(2);
        assertThat(messages).hasSize(4);
        assertThat(messages.subList(0, 2)).isEqualTo(messages.subList(2, 4));
        String expiry = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(START.plusSeconds(60));
        assertThat(messages.get(0)).isEqualTo("processing lease of worker 'w' expired at " + expiry
                + " (attempt 1 of 1); no attempts left");
        assertThat(messages.get(1)).startsWith("ingestion was abandoned: its lease expired at " + expiry + " (");
    }
}
