package dev.agentstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.document.BulkIngestResult;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.EmbeddingFunction;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.knowledge.SearchRequest;
import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The application may connect with a role that does not own the schema and has no CREATE on it: only
 * the grants the README lists ("Least privilege"). Knowledge-base storage (partitions, index builds,
 * drops) is created through the schema's SECURITY DEFINER functions.
 */
class LeastPrivilegeIT {

    private final TestPostgres server = TestPostgres.shared();

    /** The README's grants, for a schema migrated by its owner. */
    static List<String> grants(String database, String schema, String role) {
        return List.of(
                "GRANT CONNECT, TEMPORARY ON DATABASE " + database + " TO " + role,
                "GRANT USAGE ON SCHEMA " + schema + " TO " + role,
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + role,
                "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role,
                "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA " + schema + " TO " + role);
    }

    @Test
    void knowledge_bases_are_created_loaded_searched_compacted_and_dropped_by_a_role_without_create() throws Exception {
        TestDatabase db = server.createDatabase("agentstore", 3);
        String role = "agentstore_rt_" + ThreadLocalRandom.current().nextInt(1_000_000);
        try (Connection c = server.connectAdmin(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'rt-pw'");
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String grant : grants(db.name(), "agentstore", role)) {
                s.execute(grant);
            }
            try (ResultSet rs = s.executeQuery("SELECT has_schema_privilege('" + role + "', 'agentstore', 'CREATE'), "
                    + "has_database_privilege('" + role + "', current_database(), 'CREATE'), "
                    + "(SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'agentstore') <> '" + role + "'")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("CREATE on the schema").isFalse();
                assertThat(rs.getBoolean(2)).as("CREATE on the database").isFalse();
                assertThat(rs.getBoolean(3)).as("not the schema owner").isTrue();
            }
        }
        EmbeddingFunction model = texts -> texts.stream()
                .map(t -> new float[] {t.length() % 7 + 1, t.hashCode() % 5 + 6, 1}).toList();

        try (AgentStore store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(role).password("rt-pw").poolSize(2)
                .bulkLoadThreshold(20).exactSearchMaxChunks(1).build()) {
            Documents docs = store.documents("acme");
            KnowledgeBase kb = docs.createKnowledgeBase(KnowledgeBaseSpec.of("handbook"));
            docs.ingest(kb.id(), DocumentInput.of("one", List.of("a single small document")), model);
            List<DocumentInput> many = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                many.add(DocumentInput.of("bulk/" + i, List.of("bulk text " + i, "more bulk text " + i)));
            }
            BulkIngestResult first = docs.ingestAll(kb.id(), many, model);
            List<DocumentInput> more = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                more.add(DocumentInput.of("append/" + i, List.of("appended text " + i, "more appended text " + i)));
            }
            docs.ingestAll(kb.id(), more, model);
            // a batch creation, and a load of many documents (from 200 on, the bulk path analyzes the document
            // table through a storage function before it writes their links)
            KnowledgeBase other = docs.createKnowledgeBases(List.of(KnowledgeBaseSpec.of("other"))).get(0);
            List<DocumentInput> wide = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                wide.add(DocumentInput.of("wide/" + i, List.of("wide text " + i)));
            }
            assertThat(docs.ingestAll(other.id(), wide, model).documentsCreated()).isEqualTo(200);
            assertThat(docs.deleteKnowledgeBase(other.id())).isTrue();

            assertThat(first.chunksInserted()).isEqualTo(30);
            assertThat(docs.compactKnowledgeBase(kb.id())).isEqualTo(2);
            assertThat(store.knowledge("acme").search(SearchRequest.hybrid("bulk text", new float[] {3, 7, 1})
                    .knowledgeBases(kb.id()).limit(5).build())).hasSize(5);
            assertThat(docs.countChunks(kb.id())).isEqualTo(61);
            assertThat(docs.deleteDocument(docs.findDocument(kb.id(), "one").orElseThrow().id())).isEqualTo(1);
            assertThat(docs.deleteKnowledgeBase(kb.id())).isTrue();
            assertThat(docs.listKnowledgeBases()).isEmpty();
        }
    }
}
