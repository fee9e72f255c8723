package dev.agentstore.knowledge;

import dev.agentstore.document.ChunkId;
import dev.agentstore.document.DocumentId;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.internal.Columns;
import dev.agentstore.internal.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The rows of a search as {@link SearchHit}s: every mode's statement selects the same named columns
 * ({@link #ID}, {@link #KB}, ..., read by field, never by position), the documents as one JSON array per hit.
 * Stateless and thread-safe.
 */
final class SearchHits {

    static final Field<UUID> ID = DSL.field(DSL.name("id"), SQLDataType.UUID);
    static final Field<UUID> KB = DSL.field(DSL.name("kb"), SQLDataType.UUID);
    static final Field<String> CONTENT = DSL.field(DSL.name("content"), SQLDataType.CLOB);
    static final Field<Double> DISTANCE = DSL.field(DSL.name("distance"), SQLDataType.DOUBLE);
    static final Field<Double> SCORE = DSL.field(DSL.name("score"), SQLDataType.DOUBLE);
    static final Field<String> DOCUMENTS = DSL.field(DSL.name("documents"), SQLDataType.CLOB);
    static final Field<float[]> EMBEDDING = DSL.field(DSL.name("embedding"), dev.agentstore.schema.Tables.CHUNK.EMBEDDING.getDataType());

    private static final com.fasterxml.jackson.databind.ObjectReader DOCUMENTS_READER = Json.mapper()
            .readerFor(new com.fasterxml.jackson.core.type.TypeReference<List<List<Object>>>() { });

    private SearchHits() {
    }

    /**
     * The hit of the current row, or null when the request wants documents and the chunk has none (content that
     * rows deleted through {@code AgentStore.dsl()} left unlinked; {@code Documents.deleteOrphanChunks} removes it).
     */
    static SearchHit hit(Columns columns, ResultSet rs, SearchRequest request) throws SQLException {
        List<DocumentRef> docs = request.includeDocuments() ? documents(columns.get(rs, DOCUMENTS)) : List.of();
        if (docs.isEmpty() && request.includeDocuments()) {
            return null;
        }
        DocumentRef primary = docs.isEmpty() ? null : docs.get(0);
        Double score = columns.get(rs, SCORE);
        return new SearchHit(ChunkId.of(columns.get(rs, ID)), KnowledgeBaseId.of(columns.get(rs, KB)), columns.get(rs, CONTENT),
                score == null ? 0.0 : score, columns.get(rs, DISTANCE), primary == null ? -1 : primary.chunkIndex(), primary,
                docs, request.includeEmbedding() ? columns.get(rs, EMBEDDING) : null);
    }

    /**
     * The documents of the documents column: a JSON array of {@code [id, sourceUri, title, docType, metadata,
     * chunkIndex, createdAt, matches]} arrays (see {@code SearchSql#documents}); an empty list for null.
     */
    @SuppressWarnings("unchecked")
    static List<DocumentRef> documents(String json) {
        if (json == null) {
            return List.of();
        }
        List<List<Object>> list;
        try {
            list = DOCUMENTS_READER.readValue(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the database returned documents JSON that is not a list of arrays", e);
        }
        Map<UUID, DocumentRef> byId = new LinkedHashMap<>();
        for (List<Object> d : list) {
            UUID id = UUID.fromString((String) d.get(0));
            if (byId.containsKey(id)) {
                continue; // the same document holds the chunk more than once: keep its first position
            }
            Object metadata = d.get(4);
            byId.put(id, new DocumentRef(DocumentId.of(id), (String) d.get(1), (String) d.get(2), (String) d.get(3),
                    metadata instanceof Map<?, ?> md ? (Map<String, Object>) md : Map.of(), ((Number) d.get(5)).intValue(),
                    instant((String) d.get(6)), Boolean.TRUE.equals(d.get(7))));
        }
        return List.copyOf(byId.values());
    }

    /**
     * A timestamp as PostgreSQL writes it into JSON ({@code 2026-11-23T13:42:45.123456+00:00}), parsed
     * without a formatter (which costs more than the rest of a hit); anything else goes through
     * {@link OffsetDateTime#parse}.
     */
    static java.time.Instant instant(String s) {
        int n = s.length();
        if (n >= 25 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T' && s.charAt(13) == ':'
                && s.charAt(16) == ':' && s.charAt(n - 3) == ':' && (s.charAt(n - 6) == '+' || s.charAt(n - 6) == '-')) {
            int end = n - 6;
            int nanos = 0;
            boolean ok = true;
            if (end > 19) {
                if (s.charAt(19) != '.' || end - 20 > 9 || end - 20 < 1) {
                    ok = false;
                } else {
                    int digits = 0;
                    for (int i = 20; i < end && ok; i++, digits++) {
                        char ch = s.charAt(i);
                        ok = ch >= '0' && ch <= '9';
                        nanos = nanos * 10 + (ch - '0');
                    }
                    for (; digits < 9; digits++) {
                        nanos *= 10;
                    }
                }
            } else if (end != 19) {
                ok = false;
            }
            int year = digits(s, 0, 4);
            int month = digits(s, 5, 2);
            int day = digits(s, 8, 2);
            int hour = digits(s, 11, 2);
            int minute = digits(s, 14, 2);
            int second = digits(s, 17, 2);
            int offH = digits(s, n - 5, 2);
            int offM = digits(s, n - 2, 2);
            if (ok && year >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0 && offH >= 0 && offM >= 0) {
                int offset = (offH * 3600 + offM * 60) * (s.charAt(n - 6) == '-' ? -1 : 1);
                return java.time.LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                        .toInstant(java.time.ZoneOffset.ofTotalSeconds(offset));
            }
        }
        return OffsetDateTime.parse(s).toInstant();
    }

    /** The decimal number of length digits at start, or -1. */
    private static int digits(String s, int start, int length) {
        int v = 0;
        for (int i = start; i < start + length; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }
}
