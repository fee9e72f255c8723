package dev.agentstore.knowledge;

import dev.agentstore.document.ChunkId;
import dev.agentstore.document.DocumentId;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.internal.Columns;
import dev.agentstore.internal.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The rows of a search as {@link SearchHit}s: every mode's statement selects the same named columns
 * ({@link #ID}, {@link #KB}, ..., read by field, never by position); when the request wants documents, one row per
 * hit and document containing it ({@code DOC_*} columns), hit by hit ({@code SearchSql#withDocuments}).
 * Stateless and thread-safe.
 */
final class SearchHits {

    static final Field<UUID> ID = DSL.field(DSL.name("id"), SQLDataType.UUID);
    static final Field<UUID> KB = DSL.field(DSL.name("kb"), SQLDataType.UUID);
    static final Field<String> CONTENT = DSL.field(DSL.name("content"), SQLDataType.CLOB);
    static final Field<Double> DISTANCE = DSL.field(DSL.name("distance"), SQLDataType.DOUBLE);
    static final Field<Double> SCORE = DSL.field(DSL.name("score"), SQLDataType.DOUBLE);
    static final Field<float[]> EMBEDDING = DSL.field(DSL.name("embedding"), dev.agentstore.schema.Tables.CHUNK.EMBEDDING.getDataType());

    static final Field<UUID> DOC_ID = DSL.field(DSL.name("doc_id"), SQLDataType.UUID);
    static final Field<String> DOC_SOURCE_URI = DSL.field(DSL.name("doc_source_uri"), SQLDataType.CLOB);
    static final Field<String> DOC_TITLE = DSL.field(DSL.name("doc_title"), SQLDataType.CLOB);
    static final Field<String> DOC_TYPE = DSL.field(DSL.name("doc_type"), SQLDataType.CLOB);
    static final Field<JSONB> DOC_METADATA = DSL.field(DSL.name("doc_metadata"), SQLDataType.JSONB);
    static final Field<Integer> DOC_CHUNK_INDEX = DSL.field(DSL.name("doc_chunk_index"), SQLDataType.INTEGER);
    static final Field<OffsetDateTime> DOC_CREATED_AT = DSL.field(DSL.name("doc_created_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
    static final Field<Boolean> DOC_MATCHES = DSL.field(DSL.name("doc_matches"), SQLDataType.BOOLEAN);


    private SearchHits() {
    }

    /**
     * Reads every row into hits, in order. With documents, consecutive rows of one chunk are one hit (its documents in
     * row order, a document holding the chunk more than once at its first position); a chunk without documents
     * (content that rows deleted through {@code AgentStore.dsl()} left unlinked; {@code Documents.deleteOrphanChunks}
     * removes it) gives no hit.
     */
    static void read(Columns columns, ResultSet rs, SearchRequest request, List<SearchHit> hits) throws SQLException {
        if (!request.includeDocuments()) {
            while (rs.next()) {
                hits.add(hit(columns, rs, request, List.of()));
            }
            return;
        }
        UUID current = null;
        Partial partial = null;
        while (rs.next()) {
            UUID id = columns.get(rs, ID);
            if (!id.equals(current)) {
                if (partial != null) {
                    partial.addTo(hits);
                }
                current = id;
                partial = new Partial(columns, rs, request);
            }
            partial.document(columns, rs);
        }
        if (partial != null) {
            partial.addTo(hits);
        }
    }

    private static SearchHit hit(Columns columns, ResultSet rs, SearchRequest request, List<DocumentRef> docs) throws SQLException {
        DocumentRef primary = docs.isEmpty() ? null : docs.get(0);
        Double score = columns.get(rs, SCORE);
        return new SearchHit(ChunkId.of(columns.get(rs, ID)), KnowledgeBaseId.of(columns.get(rs, KB)), columns.get(rs, CONTENT),
                score == null ? 0.0 : score, columns.get(rs, DISTANCE), primary == null ? -1 : primary.chunkIndex(), primary,
                docs, request.includeEmbedding() ? columns.get(rs, EMBEDDING) : null);
    }

    /** A hit whose document rows are being read. */
    private static final class Partial {
        private final UUID id;
        private final UUID kb;
        private final String content;
        private final Double score;
        private final Double distance;
        private final float[] embedding;
        private final List<DocumentRef> docs = new ArrayList<>(1);
        private final Set<UUID> seen = new HashSet<>(2);

        Partial(Columns columns, ResultSet rs, SearchRequest request) throws SQLException {
            id = columns.get(rs, ID);
            kb = columns.get(rs, KB);
            content = columns.get(rs, CONTENT);
            score = columns.get(rs, SCORE);
            distance = columns.get(rs, DISTANCE);
            embedding = request.includeEmbedding() ? columns.get(rs, EMBEDDING) : null;
        }

        void document(Columns columns, ResultSet rs) throws SQLException {
            UUID doc = columns.get(rs, DOC_ID);
            if (doc == null || !seen.add(doc)) {
                return; // no document, or the same document holding the chunk once more: its first position counts
            }
            JSONB metadata = columns.get(rs, DOC_METADATA);
            OffsetDateTime created = columns.get(rs, DOC_CREATED_AT);
            docs.add(new DocumentRef(DocumentId.of(doc), columns.get(rs, DOC_SOURCE_URI), columns.get(rs, DOC_TITLE),
                    columns.get(rs, DOC_TYPE), metadata == null || "{}".equals(metadata.data()) ? Map.of() : Json.toMap(metadata),
                    columns.get(rs, DOC_CHUNK_INDEX), created.toInstant(), Boolean.TRUE.equals(columns.get(rs, DOC_MATCHES))));
        }

        void addTo(List<SearchHit> hits) {
            if (docs.isEmpty()) {
                return;
            }
            DocumentRef primary = docs.get(0);
            hits.add(new SearchHit(ChunkId.of(id), KnowledgeBaseId.of(kb), content, score == null ? 0.0 : score, distance,
                    primary.chunkIndex(), primary, List.copyOf(docs), embedding));
        }
    }
}
