package dev.agentstore.hardening;

import static dev.agentstore.schema.Tables.KNOWLEDGE_BASE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.AgentStore;
import dev.agentstore.document.ChunkInput;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchRequest;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The full-text arm's idf weights for a role bound by row-level security: {@code pg_stats} hides the statistics of
 * a table with row-level security from such a role, so before V16 it weighed every lexeme equally (and ranked a
 * rare word of the question like a common one); {@code knowledge_lexeme_stats} reads them as the owner, for the
 * tenant's own knowledge bases only.
 */
@AgentStoreTest(dimension = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextSearchUnderRowLevelSecurityIT {

    private TestDatabase db;
    private RuntimeRole role;
    private AgentStore store;
    private AgentStore owner;

    @BeforeAll
    void setUp(TestDatabase database) throws SQLException {
        db = database;
        role = RuntimeRole.create(db);
        store = role.store(2, "rls-text-search-test");
        owner = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(2).build();
    }

    @AfterAll
    void tearDown() throws SQLException {
        store.close();
        owner.close();
        role.close();
    }

    /** 60 chunks repeating "server", one with "proxy"; analyzed. */
    private KnowledgeBaseId corpus(String tenant) {
        KnowledgeBaseId kb = owner.documents(tenant).createKnowledgeBase(KnowledgeBaseSpec.of("docs", 3)).id();
        List<DocumentInput> docs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            docs.add(DocumentInput.ofChunks("doc/" + i, List.of(ChunkInput.of(
                    "The server handles request " + i + " with the server pool and writes the server log", new float[] {1, 0, 0}))));
        }
        docs.add(DocumentInput.ofChunks("doc/proxy", List.of(ChunkInput.of("Configure the proxy timeout", new float[] {0, 1, 0}))));
        owner.documents(tenant).ingestAll(kb, docs, null);
        owner.dsl().execute("analyze");
        return kb;
    }

    private int storageId(String tenant, KnowledgeBaseId kb) {
        return owner.dsl().select(KNOWLEDGE_BASE.STORAGE_ID).from(KNOWLEDGE_BASE).where(KNOWLEDGE_BASE.TENANT_ID.eq(tenant))
                .and(KNOWLEDGE_BASE.ID.eq(kb.value())).fetchSingle().value1();
    }

    @Test
    void a_role_bound_by_row_level_security_ranks_a_rare_word_above_a_common_one_like_the_owner() throws SQLException {
        String tenant = "idf-" + UUID.randomUUID();
        KnowledgeBaseId kb = corpus(tenant);
        try (Connection c = role.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from pg_stats where schemaname = '" + db.schema()
                        + "' and tablename = 'chunk_p" + storageId(tenant, kb) + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("pg_stats rows the runtime role sees for the partition").isZero();
        }

        SearchRequest request = SearchRequest.text("server proxy").knowledgeBases(kb).limit(3).build();
        List<SearchHit> bound = store.knowledge(tenant).search(request);
        List<SearchHit> asOwner = owner.knowledge(tenant).search(request);

        assertThat(bound.get(0).text()).isEqualTo("Configure the proxy timeout");
        assertThat(bound.get(0).score()).isGreaterThan(3 * bound.get(1).score());
        assertThat(bound).extracting(SearchHit::text).containsExactlyElementsOf(asOwner.stream().map(SearchHit::text).toList());
        assertThat(bound).extracting(SearchHit::score).containsExactlyElementsOf(asOwner.stream().map(SearchHit::score).toList());
        // hybrid uses the same weights
        List<SearchHit> hybrid = store.knowledge(tenant).search(SearchRequest.hybrid("server proxy", new float[] {1, 0, 0})
                .knowledgeBases(kb).limit(3).build());
        assertThat(hybrid).extracting(SearchHit::score).containsExactlyElementsOf(owner.knowledge(tenant)
                .search(SearchRequest.hybrid("server proxy", new float[] {1, 0, 0}).knowledgeBases(kb).limit(3).build())
                .stream().map(SearchHit::score).toList());
    }

    @Test
    void lexeme_statistics_answer_only_for_a_knowledge_base_of_the_tenant_the_session_is_bound_to() throws SQLException {
        String tenant = "idf-" + UUID.randomUUID();
        int storage = storageId(tenant, corpus(tenant));
        String call = "select freqs, min_share, est_rows from \"" + db.schema() + "\".knowledge_lexeme_stats(?, ?, '{server,proxy,unlisted}')";
        try (Connection c = role.connect()) {
            c.setAutoCommit(false);
            for (String[] asked : new String[][] {{tenant, tenant}, {tenant, "another"}, {"another", "another"}}) {
                try (Statement s = c.createStatement()) {
                    s.execute("select set_config('agentstore.tenant', '" + asked[0] + "', true)");
                }
                try (PreparedStatement ps = c.prepareStatement(call)) {
                    ps.setString(1, asked[1]);
                    ps.setInt(2, storage);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (asked[0].equals(tenant) && asked[1].equals(tenant)) {
                            Double[] freqs = (Double[]) rs.getArray(1).getArray();
                            assertThat(freqs).hasSize(3);
                            assertThat(freqs[0]).as("share of 'server'").isGreaterThan(0.9);
                            assertThat(freqs[1]).as("share of 'proxy' (unlisted when too rare)")
                                    .satisfiesAnyOf(f -> assertThat(f).isNull(), f -> assertThat(f).isLessThan(0.1));
                            assertThat(freqs[2]).as("share of a lexeme no chunk has").isNull();
                            assertThat(rs.getDouble(3)).as("estimated rows").isEqualTo(61.0);
                        } else {
                            assertThat(rs.getArray(1)).as("statistics for " + asked[1] + " in a session of " + asked[0]).isNull();
                            assertThat(rs.getObject(3)).isNull();
                        }
                    }
                }
                c.rollback();
            }
        }
    }
}
