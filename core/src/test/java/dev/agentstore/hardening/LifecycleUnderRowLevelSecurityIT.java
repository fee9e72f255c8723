package dev.agentstore.hardening;

import static dev.agentstore.schema.Tables.CONVERSATION_MESSAGE;
import static dev.agentstore.schema.Tables.CONVERSATION_SESSION;
import static dev.agentstore.schema.Tables.DOCUMENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.AgentStore;
import dev.agentstore.TenantId;
import dev.agentstore.conversation.HistoricMessage;
import dev.agentstore.conversation.ImportResult;
import dev.agentstore.conversation.ImportedSession;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.document.DocumentQuery;
import dev.agentstore.document.DocumentStatus;
import dev.agentstore.document.LeaseRecoveryResult;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.document.NewDocument;
import dev.agentstore.document.PipelineDocument;
import dev.agentstore.lifecycle.ErasureResult;
import dev.agentstore.lifecycle.TenantCounts;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The data-lifecycle facades (import, pipeline, erasure, counts) as the runtime role bound by row-level security. */
@AgentStoreTest(dimension = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LifecycleUnderRowLevelSecurityIT {

    private TestDatabase db;
    private RuntimeRole role;
    private AgentStore store;
    private AgentStore owner;

    @BeforeAll
    void setUp(TestDatabase database) throws SQLException {
        db = database;
        role = RuntimeRole.create(db);
        store = role.store(3, "rls-lifecycle-test");
        owner = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(2).build();
    }

    @AfterAll
    void tearDown() throws SQLException {
        store.close();
        owner.close();
        role.close();
    }

    private static List<ImportedSession> history(String user) {
        List<ImportedSession> sessions = new ArrayList<>();
        Instant t = Instant.parse("2025-05-01T00:00:00Z");
        for (int s = 0; s < 3; s++) {
            List<HistoricMessage> messages = new ArrayList<>();
            for (int m = 0; m < 4; m++) {
                messages.add(HistoricMessage.of(NewMessage.user(user + " message " + m), t.plusSeconds(60L * s + m)));
            }
            sessions.add(ImportedSession.of(user + "-" + s, NewSession.of(user, "bot"), messages));
        }
        return sessions;
    }

    private int ownerCount(String tenant, String user) {
        return owner.dsl().fetchCount(DSL.selectOne().from(CONVERSATION_MESSAGE).join(CONVERSATION_SESSION)
                .on(CONVERSATION_SESSION.TENANT_ID.eq(CONVERSATION_MESSAGE.TENANT_ID),
                        CONVERSATION_SESSION.ID.eq(CONVERSATION_MESSAGE.SESSION_ID))
                .where(CONVERSATION_MESSAGE.TENANT_ID.eq(tenant), CONVERSATION_SESSION.USER_ID.eq(user)));
    }

    @Test
    void the_runtime_role_imports_counts_and_erases_only_within_its_tenant() {
        assertThat(store.rowLevelSecurity()).isTrue();
        for (String tenant : List.of("acme", "globex")) {
            ImportResult first = store.conversations(tenant).history().importSessions(history("alice"), 5, null);
            assertThat(first.messagesInserted()).isEqualTo(12);
            assertThat(store.conversations(tenant).history().importSessions(history("alice")).messagesInserted()).isZero();
            store.conversations(tenant).history().importSessions(history("bob"));
        }

        TenantCounts counts = store.counts("acme").tenant();
        assertThat(counts.messages().value()).isEqualTo(24);
        assertThat(counts.sessions().value()).isEqualTo(6);

        ErasureResult erased = store.erasure("acme").eraseUser("alice");

        assertThat(erased.deletedFrom("conversation_message")).isEqualTo(12);
        assertThat(ownerCount("acme", "alice")).isZero();
        assertThat(ownerCount("acme", "bob")).isEqualTo(12);
        assertThat(ownerCount("globex", "alice")).isEqualTo(12);
        assertThat(store.erase(TenantId.of("globex")).deletedFrom("conversation_session")).isEqualTo(6);
        assertThat(ownerCount("acme", "bob")).isEqualTo(12);
    }

    @Test
    void the_runtime_role_registers_claims_and_recovers_documents() {
        KnowledgeBase kb = store.documents("initech").createKnowledgeBase(KnowledgeBaseSpec.of("uploads", 3));
        store.documents("initech").pipeline().register(kb.id(), NewDocument.of("a.pdf").withUser("alice"));

        List<PipelineDocument> claimed = store.documents("initech").pipeline().claim("w", 5, Duration.ofSeconds(1));

        assertThat(claimed).hasSize(1);
        assertThat(store.documents("umbrella").pipeline().claim("w", 5, Duration.ofMinutes(1))).isEmpty();
        assertThat(store.documents("initech").pipeline().get(claimed.get(0).id()).status()).isEqualTo(DocumentStatus.PROCESSING);
        assertThat(store.erasure("initech").eraseUser("alice").deletedFrom("document")).isEqualTo(1);
    }

    @Test
    void the_runtime_role_recovers_expired_leases_of_every_tenant_in_one_store_wide_call() {
        for (String tenant : List.of("hooli", "piedpiper")) {
            KnowledgeBase kb = store.documents(tenant).createKnowledgeBase(KnowledgeBaseSpec.of("uploads", 3));
            for (int i = 0; i < 2; i++) {
                store.documents(tenant).pipeline().register(kb.id(), NewDocument.of(tenant + "-" + i + ".pdf"));
            }
            assertThat(store.documents(tenant).pipeline().claim("w-" + tenant, 5, Duration.ofMinutes(5))).hasSize(2);
        }
        // the workers died long ago: the owner moves their leases into the past
        owner.dsl().update(DOCUMENT).set(DOCUMENT.LEASE_EXPIRES_AT, java.time.OffsetDateTime.now().minusHours(1))
                .where(DOCUMENT.TENANT_ID.in("hooli", "piedpiper"), DOCUMENT.STATUS.eq("processing")).execute();
        // the runtime role sees no document outside a tenant's transaction
        assertThat(store.dsl().fetchCount(DOCUMENT, DOCUMENT.TENANT_ID.in("hooli", "piedpiper"))).isZero();

        LeaseRecoveryResult r = store.leaseRecovery().withBatchSize(3).recoverExpired(3);

        assertThat(r.perTenant()).containsEntry(TenantId.of("hooli"), new LeaseRecoveryResult.TenantRecovery(2, 0))
                .containsEntry(TenantId.of("piedpiper"), new LeaseRecoveryResult.TenantRecovery(2, 0));
        assertThat(r.transactions()).isEqualTo(2);
        assertThat(store.documents("hooli").pipeline().list(DocumentQuery.all().withStatus(DocumentStatus.PENDING)).documents())
                .hasSize(2).allSatisfy(d -> assertThat(d.errorMessage()).contains("processing lease of worker 'w-hooli'"));
        assertThat(store.leaseRecovery().recoverExpired(3).perTenant()).isEmpty();
    }
}
