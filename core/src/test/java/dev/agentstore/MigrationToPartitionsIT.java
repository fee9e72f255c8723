package dev.agentstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.document.ChunkInput;
import dev.agentstore.document.DocumentInput;
import dev.agentstore.document.Documents;
import dev.agentstore.document.IngestResult;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchRequest;
import dev.agentstore.migrations.AgentStoreMigrations;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * V2 moves a populated V1 database into one partition per knowledge base: ids, links, dedup keys and
 * search results stay what they were. The V1 rows are written with SQL, the way V1's code path stored them.
 */
@AgentStoreTest(migrated = false)
class MigrationToPartitionsIT {

    private static final String SCHEMA = "v1data";
    private static final String T = "acme";
    private static final String KB_A = "00000000-0000-0000-0000-00000000000a";
    private static final String KB_B = "00000000-0000-0000-0000-00000000000b";

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    private static String chunkSql(String id, String kb, String text, String vector, String metric) {
        return "INSERT INTO " + SCHEMA + ".chunk (tenant_id, id, knowledge_base_id, content_hash, content, embedding, "
                + "distance_metric, text_search_config) VALUES ('" + T + "', '" + id + "', '" + kb + "', decode('"
                + ContentHash.of(text).hex() + "', 'hex'), '" + text + "', '" + vector + "', '" + metric + "', 'english')";
    }

    @Test
    void a_populated_v1_database_keeps_ids_links_dedup_and_search_results_in_its_partitions(TestDatabase db) throws Exception {
        // given: a V1 database with two knowledge bases, three documents, a chunk shared by two documents
        AgentStoreMigrations.configure(db.dataSource(), SCHEMA, 3).target("1").load().migrate();
        String[] chunkIds = new String[6];
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + SCHEMA + ".knowledge_base (tenant_id, id, name, embedding_dimension, distance_metric) VALUES "
                    + "('" + T + "', '" + KB_A + "', 'a', 3, 'cosine'), ('" + T + "', '" + KB_B + "', 'b', 3, 'l2')");
            String[][] chunks = {
                {KB_A, "solar panels on the roof", "[1,0,0]", "cosine"},
                {KB_A, "battery storage at home", "[0.8,0.2,0]", "cosine"},
                {KB_A, "wind turbines offshore", "[0,1,0]", "cosine"},
                {KB_A, "heat pumps in winter", "[0,0.3,0.9]", "cosine"},
                {KB_B, "solar panels on the roof", "[1,0,0]", "l2"},
                {KB_B, "district heating", "[0,0,1]", "l2"}};
            for (int i = 0; i < chunks.length; i++) {
                chunkIds[i] = UUID.randomUUID().toString();
                s.execute(chunkSql(chunkIds[i], chunks[i][0], chunks[i][1], chunks[i][2], chunks[i][3]));
            }
            String[][] documents = {{"d1", KB_A, "energy/solar.md"}, {"d2", KB_A, "energy/storage.md"}, {"d3", KB_B, "heat.md"}};
            for (String[] d : documents) {
                s.execute("INSERT INTO " + SCHEMA + ".document (tenant_id, id, knowledge_base_id, source_uri, status, chunk_count) "
                        + "VALUES ('" + T + "', '" + docId(d[0]) + "', '" + d[1] + "', '" + d[2] + "', 'completed', 2)");
            }
            int[][] links = {{1, 0, 0}, {1, 1, 1}, {2, 0, 1}, {2, 1, 2}, {2, 2, 3}, {3, 0, 4}, {3, 1, 5}};
            for (int[] l : links) {
                s.execute("INSERT INTO " + SCHEMA + ".document_chunk (tenant_id, document_id, chunk_index, chunk_id) VALUES ('"
                        + T + "', '" + docId("d" + l[0]) + "', " + l[1] + ", '" + chunkIds[l[2]] + "')");
            }
        }
        String nearestSql = "SELECT id FROM " + SCHEMA + ".chunk WHERE knowledge_base_id = '" + KB_A
                + "' ORDER BY embedding <=> '[0.9,0.1,0]' LIMIT 3";
        List<String> nearestBefore;
        List<String> chunksBefore;
        List<String> linksBefore;
        try (Connection c = db.connect()) {
            nearestBefore = rows(c, nearestSql);
            chunksBefore = rows(c, "SELECT tenant_id, id, knowledge_base_id, encode(content_hash, 'hex'), content, embedding::text "
                    + "FROM " + SCHEMA + ".chunk ORDER BY id");
            linksBefore = rows(c, "SELECT tenant_id, document_id, chunk_index, chunk_id FROM " + SCHEMA + ".document_chunk "
                    + "ORDER BY document_id, chunk_index");
        }

        // when
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).schema(SCHEMA).migrateOnStart(true).build();
                Connection c = db.connect()) {

            // then: the same rows, now in the partitions of their knowledge bases, all in the live segment
            assertThat(rows(c, "SELECT tenant_id, id, knowledge_base_id, encode(content_hash, 'hex'), content, embedding::text "
                    + "FROM " + SCHEMA + ".chunk ORDER BY id")).containsExactlyElementsOf(chunksBefore);
            assertThat(rows(c, "SELECT tenant_id, document_id, chunk_index, chunk_id FROM " + SCHEMA + ".document_chunk "
                    + "ORDER BY document_id, chunk_index")).containsExactlyElementsOf(linksBefore);
            assertThat(rows(c, "SELECT DISTINCT tableoid::regclass::text, segment FROM " + SCHEMA + ".chunk ORDER BY 1"))
                    .containsExactly(SCHEMA + ".chunk_p1|0", SCHEMA + ".chunk_p2|0");
            assertThat(rows(c, "SELECT to_regclass('" + SCHEMA + ".chunk_v1') IS NULL")).containsExactly("t");
            assertThat(rows(c, "SELECT knowledge_base_id, segment_from, segment_to FROM " + SCHEMA + ".knowledge_base_segment "
                    + "ORDER BY 1")).containsExactly(KB_A + "|0|0", KB_B + "|0|0");
            assertThat(rows(c, nearestSql)).containsExactlyElementsOf(nearestBefore);

            // the library searches and deduplicates against the migrated rows
            KnowledgeBaseId a = KnowledgeBaseId.of(UUID.fromString(KB_A));
            List<SearchHit> hits = store.knowledge(T).search(SearchRequest.vector(new float[] {0.9f, 0.1f, 0})
                    .knowledgeBases(List.of(a)).limit(3).build());
            assertThat(hits).extracting(h -> h.chunkId().value().toString()).containsExactlyElementsOf(nearestBefore);
            assertThat(hits.get(0).documents()).extracting(d -> d.sourceUri()).containsExactly("energy/solar.md");
            Documents docs = store.documents(T);
            IngestResult again = docs.ingest(a, DocumentInput.ofChunks("energy/new.md", List.of(
                    ChunkInput.of("solar panels on the roof"), ChunkInput.of("tidal power"))),
                    texts -> texts.stream().map(x -> new float[] {0, 0, 1}).toList());
            assertThat(again.chunksReused()).isEqualTo(1);
            assertThat(again.chunksInserted()).isEqualTo(1);
            assertThat(docs.countChunks(a)).isEqualTo(5);
            assertThat(docs.listChunks(again.documentId()).get(0).chunkId().value().toString()).isEqualTo(chunkIds[0]);
        }
    }

    private static String docId(String name) {
        return "00000000-0000-0000-0000-0000000000" + (name.equals("d1") ? "d1" : name.equals("d2") ? "d2" : "d3");
    }
}
