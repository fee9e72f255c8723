package dev.agentstore;

import static dev.agentstore.schema.Tables.CHUNK;
import static dev.agentstore.schema.Tables.KNOWLEDGE_BASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/** The migrations, applied through the entry point to an empty database. */
@AgentStoreTest(migrated = false)
class MigrationsIT {

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void migrate_creates_tables_constraints_and_indexes_and_a_second_migrate_is_a_no_op(TestDatabase db) throws Exception {
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).schema("mig_full")
                .embeddingDimension(3).migrateOnStart(true).build()) {

            MigrationResult again = store.migrate();

            assertThat(again.migrationsExecuted()).isZero();
            assertThat(again.toVersion()).isEqualTo(again.fromVersion()).isNotNull();
            try (Connection c = db.connect()) {
                assertThat(column(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'mig_full'"))
                        .contains("knowledge_base", "document", "chunk", "document_chunk", "knowledge_base_segment",
                                "conversation_session",
                                "conversation_message", "memory_entry", "memory", "agentstore_schema_history");
                assertThat(column(c, "SELECT conname FROM pg_constraint WHERE connamespace = 'mig_full'::regnamespace"))
                        .contains("conversation_message_feedback_ck", "conversation_message_role_ck",
                                "conversation_message_response_time_ck", "document_status_ck", "chunk_hash_uk",
                                "memory_importance_ck", "memory_entry_key_uk", "document_chunk_document_fk");
                List<String> indexes = column(c, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'mig_full'");
                // chunk indexes live on each knowledge base's partition (none exists yet); memory has its own
                assertThat(indexes.stream().filter(d -> d.contains("USING hnsw")))
                        .hasSize(1)
                        .allSatisfy(d -> assertThat(d).contains("memory_embedding_idx", "m='32'", "ef_construction='128'")); // V9
                assertThat(column(c, "SELECT c.relname || ':' || c.relkind::text FROM pg_class c WHERE c.relnamespace = "
                        + "'mig_full'::regnamespace AND c.relname IN ('chunk', 'document_chunk')"))
                        .containsExactlyInAnyOrder("chunk:p", "document_chunk:p");
                assertThat(column(c, "SELECT p.proname || ':' || p.prosecdef || ':' || array_to_string(p.proconfig, ',') "
                        + "FROM pg_proc p WHERE p.pronamespace = 'mig_full'::regnamespace AND p.proname LIKE 'knowledge_storage%'"))
                        // V2's six, knowledge_storage_copy_grants (V8 wraps knowledge_storage_secure around it) and
                        // V12's seven-argument knowledge_storage_index_range, V13's knowledge_storage_analyze_documents
                        .hasSize(9)
                        .allSatisfy(f -> assertThat(f).contains(":true:search_path=mig_full, pg_temp"));
                assertThat(indexes).anySatisfy(d -> assertThat(d).contains("document_metadata_idx", "USING gin"));
                // every primary and unique key starts with tenant_id
                assertThat(column(c, "SELECT conname || ':' || (SELECT attname FROM pg_attribute WHERE attrelid = conrelid "
                        + "AND attnum = conkey[1]) FROM pg_constraint WHERE connamespace = 'mig_full'::regnamespace "
                        + "AND contype IN ('p', 'u') AND conrelid::regclass::text NOT LIKE '%schema_history'"))
                        .isNotEmpty()
                        .allSatisfy(k -> assertThat(k).endsWith(":tenant_id"));
            }
        }
    }

    @Test
    void check_constraints_refuse_values_that_must_never_be_stored(TestDatabase db) throws Exception {
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).schema("mig_checks")
                .embeddingDimension(3).migrateOnStart(true).build();
                Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO mig_checks.conversation_session (tenant_id, id) VALUES ('t', '00000000-0000-0000-0000-000000000001')");
            String insert = "INSERT INTO mig_checks.conversation_message (tenant_id, session_id, seq, role, content";

            assertThatThrownBy(() -> s.execute(insert + ", feedback) VALUES ('t', '00000000-0000-0000-0000-000000000001', 1, 'assistant', 'x', 2)"))
                    .hasMessageContaining("conversation_message_feedback_ck");
            assertThatThrownBy(() -> s.execute(insert + ", response_time_ms) VALUES ('t', '00000000-0000-0000-0000-000000000001', 1, 'assistant', 'x', -5)"))
                    .hasMessageContaining("conversation_message_response_time_ck");
            assertThatThrownBy(() -> s.execute(insert + ") VALUES ('t', '00000000-0000-0000-0000-000000000001', 1, 'wizard', 'x')"))
                    .hasMessageContaining("conversation_message_role_ck");
            assertThatThrownBy(() -> s.execute("INSERT INTO mig_checks.knowledge_base (tenant_id, name, embedding_dimension) VALUES ('t', 'kb', 2001)"))
                    .as("pgvector indexes at most 2000 dimensions of vector")
                    .hasMessageContaining("knowledge_base_dimension_ck");
            assertThatThrownBy(() -> s.execute("INSERT INTO mig_checks.knowledge_base (tenant_id, name, embedding_dimension, "
                    + "vector_type) VALUES ('t', 'kb', 4001, 'halfvec')"))
                    .as("and 4000 of halfvec")
                    .hasMessageContaining("knowledge_base_dimension_ck");
        }
    }

    @Test
    void a_non_default_schema_works_at_runtime_through_the_generated_tables(TestDatabase db) throws Exception {
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).schema("custom_store")
                .embeddingDimension(3).migrateOnStart(true).build()) {
            DSLContext dsl = store.dsl();
            UUID kb = dsl.insertInto(KNOWLEDGE_BASE)
                    .set(KNOWLEDGE_BASE.TENANT_ID, "t").set(KNOWLEDGE_BASE.NAME, "docs").set(KNOWLEDGE_BASE.EMBEDDING_DIMENSION, 3)
                    .returning(KNOWLEDGE_BASE.ID).fetchOne(KNOWLEDGE_BASE.ID);
            // its storage, as Documents.createKnowledgeBase creates it
            dsl.select(DSL.function(DSL.name("custom_store", "knowledge_storage_create"), Integer.class, DSL.val("t"), DSL.val(kb)))
                    .fetch();
            for (float[] v : List.of(new float[] {1, 0, 0}, new float[] {0, 1, 0}, new float[] {0.9f, 0.1f, 0})) {
                dsl.insertInto(CHUNK)
                        .set(CHUNK.TENANT_ID, "t").set(CHUNK.KNOWLEDGE_BASE_ID, kb)
                        .set(CHUNK.CONTENT_HASH, ContentHash.of(java.util.Arrays.toString(v)).bytes())
                        .set(CHUNK.CONTENT, java.util.Arrays.toString(v)).set(CHUNK.EMBEDDING, v)
                        .set(CHUNK.DISTANCE_METRIC, "cosine").set(CHUNK.TEXT_SEARCH_CONFIG, "simple")
                        .execute();
            }

            Field<Double> distance = DSL.field("{0} <=> {1}", Double.class, CHUNK.EMBEDDING,
                    DSL.val(new float[] {1, 0, 0}, CHUNK.EMBEDDING.getDataType()));
            List<float[]> nearest = dsl.select(CHUNK.EMBEDDING).from(CHUNK).orderBy(distance).limit(2).fetch(CHUNK.EMBEDDING);

            assertThat(nearest.get(0)).containsExactly(1f, 0f, 0f);
            assertThat(nearest.get(1)).containsExactly(0.9f, 0.1f, 0f);
            try (Connection c = db.connect()) {
                assertThat(column(c, "SELECT count(*) FROM custom_store.chunk")).containsExactly("3");
                assertThat(column(c, "SELECT to_regclass('agentstore.chunk')::text")).containsExactly((String) null);
            }
        }
    }
}
