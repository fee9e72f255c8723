package dev.agentstore.internal;

import static dev.agentstore.schema.Tables.CHUNK;
import static dev.agentstore.schema.Tables.DOCUMENT_CHUNK;
import static dev.agentstore.schema.Tables.KNOWLEDGE_BASE;
import static dev.agentstore.schema.Tables.KNOWLEDGE_BASE_SEGMENT;

import dev.agentstore.schema.tables.ChunkTable;
import dev.agentstore.schema.tables.DocumentChunkTable;
import dev.agentstore.schema.tables.KnowledgeBaseTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Where the chunks of one knowledge base live: its partitions {@code chunk_p<storageId>} and
 * {@code document_chunk_p<storageId>}, its dimension and vector type (the cast its HNSW indexes use),
 * and its index ranges (each one partial HNSW + GIN index {@code WHERE segment BETWEEN from AND to}).
 * See {@code docs/design/knowledge-storage.md}.
 *
 * <p>This is the seam for statements over one knowledge base: read the partition through
 * {@link #chunks(String)} / {@link #links(String)} (never the parents, which would plan and lock every
 * partition), order by {@link #indexedDistance} with the segment condition of one {@link IndexRange}
 * per arm to use that range's index, or by the uncast distance for an exact scan.
 *
 * @param knowledgeBaseId the knowledge base
 * @param storageId names its partitions
 * @param dimension its embedding dimension
 * @param vectorType {@code vector} or {@code halfvec}: the type its indexes cast to
 * @param metric {@code cosine}, {@code l2} or {@code inner_product}
 * @param textSearchConfig its text-search configuration
 * @param ranges its index ranges, by segment; the live range [0, 0] first
 * @param estimatedChunks the planner's estimate of its chunk rows ({@code pg_class.reltuples}), -1 when unknown
 *     (never analyzed)
 */
public record KnowledgeLayout(UUID knowledgeBaseId, int storageId, int dimension, String vectorType, String metric,
        String textSearchConfig, List<IndexRange> ranges, long estimatedChunks) {

    /**
     * One index range: segments {@code from..to} are covered by one GIN index and, when
     * {@code vectorIndexed}, one HNSW index. A range without a graph belongs to a knowledge base small
     * enough to be searched exactly; an ordered scan of it is a sequential scan and sort of its rows (fewer
     * than the exact-search threshold), correct but without an index.
     */
    public record IndexRange(int from, int to, boolean vectorIndexed) {

        /** A range with both indexes. */
        public IndexRange(int from, int to) {
            this(from, to, true);
        }

        /** {@code segment BETWEEN from AND to} with literal bounds (from our own table), so partial indexes match. */
        public org.jooq.Condition condition(ChunkTable c) {
            return c.SEGMENT.between(DSL.inline(from), DSL.inline(to));
        }

        @Override
        public String toString() {
            return from + "-" + to + (vectorIndexed ? "" : "~");
        }
    }

    /** @throws NullPointerException when an argument is null */
    public KnowledgeLayout {
        Objects.requireNonNull(knowledgeBaseId, "knowledgeBaseId");
        Objects.requireNonNull(vectorType, "vectorType");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(textSearchConfig, "textSearchConfig");
        ranges = List.copyOf(ranges);
    }

    /** The name of its chunk partition. */
    public String chunkTable() {
        return "chunk_p" + storageId;
    }

    /** The name of its link partition. */
    public String linkTable() {
        return "document_chunk_p" + storageId;
    }

    /** Its chunk partition, with the generated fields, in the store's schema. */
    public ChunkTable chunks(String schema) {
        return CHUNK.rename(DSL.name(schema, chunkTable()));
    }

    /** Its link partition, with the generated fields, in the store's schema. */
    public DocumentChunkTable links(String schema) {
        return DOCUMENT_CHUNK.rename(DSL.name(schema, linkTable()));
    }

    /** The type its HNSW indexes cast the embedding to, e.g. {@code vector(768)} or {@code halfvec(3072)}. */
    public String indexType() {
        return vectorType + "(" + dimension + ")";
    }

    /** The pgvector operator of its metric. */
    public String operator() {
        return switch (metric) {
            case "l2" -> "<->";
            case "inner_product" -> "<#>";
            default -> "<=>";
        };
    }

    /**
     * The distance as its HNSW indexes compute it: {@code (embedding::vector(d) <=> q::vector(d))}. A
     * statement must use exactly this expression in ORDER BY for the index to serve it.
     */
    public Field<Double> indexedDistance(ChunkTable c, Field<?> query) {
        String type = indexType();
        return DSL.field("({0}::" + type + " " + operator() + " {1}::" + type + ")", SQLDataType.DOUBLE, c.EMBEDDING, query);
    }

    /** The exact distance (full precision, no index can serve it). */
    public Field<Double> exactDistance(ChunkTable c, Field<?> query) {
        return DSL.field("({0} " + operator() + " {1})", SQLDataType.DOUBLE, c.EMBEDDING, query);
    }

    /** What a statement rendered for this layout depends on (a cache key part): partition, cast and ranges. */
    public String shape() {
        return storageId + ":" + indexType() + ":" + metric + ":" + ranges;
    }

    // ------------------------------------------------------------------------------------------
    // reading layouts

    /**
     * One text per knowledge base describing its layout, as a field over {@code kb}; {@link #parse}
     * reads it back. Lets a statement read layouts together with other values.
     */
    public static Field<String> describe(KnowledgeBaseTable kb, String schema) {
        // "from-to" per range, "from-to~" for a range without a graph
        Field<String> ranges = DSL.field(DSL.select(DSL.field("string_agg({0} || '-' || {1} || case when {2} is null "
                        + "then '~' else '' end, ',' order by {0})", SQLDataType.VARCHAR, KNOWLEDGE_BASE_SEGMENT.SEGMENT_FROM,
                        KNOWLEDGE_BASE_SEGMENT.SEGMENT_TO, KNOWLEDGE_BASE_SEGMENT.VECTOR_INDEX))
                .from(KNOWLEDGE_BASE_SEGMENT)
                .where(KNOWLEDGE_BASE_SEGMENT.TENANT_ID.eq(kb.TENANT_ID))
                .and(KNOWLEDGE_BASE_SEGMENT.KNOWLEDGE_BASE_ID.eq(kb.ID)));
        Field<Long> tuples = DSL.field("(select c.reltuples::bigint from pg_class c where c.oid = "
                + "to_regclass(quote_ident({0}) || '.chunk_p' || {1}))", SQLDataType.BIGINT, DSL.inline(schema), kb.STORAGE_ID);
        return DSL.field("concat_ws(':', {0}, {1}, {2}, {3}, {4}, {5}, {6}, {7})", SQLDataType.VARCHAR,
                kb.ID, kb.DISTANCE_METRIC, kb.TEXT_SEARCH_CONFIG, kb.STORAGE_ID, kb.EMBEDDING_DIMENSION, kb.VECTOR_TYPE,
                tuples, DSL.coalesce(ranges, DSL.inline("")));
    }

    /** Reads a text of {@link #describe}. */
    public static KnowledgeLayout parse(String s) {
        String[] p = s.split(":", -1);
        if (p.length != 8) {
            throw new IllegalStateException("unexpected knowledge base layout: " + s);
        }
        List<IndexRange> ranges = new ArrayList<>();
        if (!p[7].isEmpty()) {
            for (String r : p[7].split(",")) {
                int dash = r.indexOf('-');
                boolean graph = !r.endsWith("~");
                ranges.add(new IndexRange(Integer.parseInt(r.substring(0, dash)),
                        Integer.parseInt(r.substring(dash + 1, graph ? r.length() : r.length() - 1)), graph));
            }
        }
        return new KnowledgeLayout(UUID.fromString(p[0]), Integer.parseInt(p[3]), Integer.parseInt(p[4]), p[5], p[1], p[2],
                ranges, Long.parseLong(p[6]));
    }

    /** The layouts of these knowledge bases of a tenant, by id; those it does not have are absent. */
    public static Map<UUID, KnowledgeLayout> load(DSLContext dsl, String schema, String tenant, Collection<UUID> ids) {
        Map<UUID, KnowledgeLayout> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        for (String s : dsl.select(describe(KNOWLEDGE_BASE, schema)).from(KNOWLEDGE_BASE)
                .where(KNOWLEDGE_BASE.TENANT_ID.eq(tenant))
                .and(KNOWLEDGE_BASE.ID.eq(DSL.any(ids.toArray(UUID[]::new))))
                .fetch(0, String.class)) {
            KnowledgeLayout l = parse(s);
            out.put(l.knowledgeBaseId(), l);
        }
        return out;
    }
}
