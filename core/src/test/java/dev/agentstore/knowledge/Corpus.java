package dev.agentstore.knowledge;

import static dev.agentstore.schema.Tables.CHUNK;
import static dev.agentstore.schema.Tables.DOCUMENT;
import static dev.agentstore.schema.Tables.DOCUMENT_CHUNK;
import static dev.agentstore.schema.Tables.KNOWLEDGE_BASE;

import dev.agentstore.ContentHash;
import dev.agentstore.document.ChunkId;
import dev.agentstore.document.DistanceMetric;
import dev.agentstore.document.DocumentId;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.document.TextSearchConfig;
import dev.agentstore.internal.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Test fixture: writes knowledge bases, documents and content-addressed chunks directly through the
 * generated tables (the ingestion API is another capability), the way ingestion stores them. Rows written
 * through the partitioned parents land in the knowledge base's partitions (segment 0, the live range).
 */
final class Corpus {

    /** One chunk of a document: its text and embedding. */
    record Piece(String text, float[] embedding) {
    }

    static Piece piece(String text, float... embedding) {
        return new Piece(text, embedding);
    }

    private final DSLContext dsl;
    private final String tenant;

    Corpus(DSLContext dsl, String tenant) {
        this.dsl = dsl;
        this.tenant = tenant;
    }

    KnowledgeBaseId knowledgeBase(String name, DistanceMetric metric, TextSearchConfig config, int dimension) {
        UUID id = dsl.insertInto(KNOWLEDGE_BASE)
                .set(KNOWLEDGE_BASE.TENANT_ID, tenant)
                .set(KNOWLEDGE_BASE.NAME, name)
                .set(KNOWLEDGE_BASE.EMBEDDING_DIMENSION, dimension)
                .set(KNOWLEDGE_BASE.DISTANCE_METRIC, metric.sqlName())
                .set(KNOWLEDGE_BASE.TEXT_SEARCH_CONFIG, config.sqlName())
                .returning(KNOWLEDGE_BASE.ID).fetchOne().getId();
        // a knowledge base row needs its storage (partitions, indexes), as Documents.createKnowledgeBase makes it
        dsl.select(DSL.function(DSL.name(KNOWLEDGE_BASE.getSchema().getName(), "knowledge_storage_create"), Integer.class,
                DSL.val(tenant), DSL.val(id))).fetch();
        return KnowledgeBaseId.of(id);
    }

    DocumentId document(KnowledgeBaseId kb, String uri, String title, String docType, Map<String, ?> metadata, Piece... pieces) {
        return document(kb, uri, title, docType, metadata, Instant.now(), pieces);
    }

    DocumentId document(KnowledgeBaseId kb, String uri, String title, String docType, Map<String, ?> metadata,
            Instant createdAt, Piece... pieces) {
        var k = dsl.selectFrom(KNOWLEDGE_BASE).where(KNOWLEDGE_BASE.TENANT_ID.eq(tenant))
                .and(KNOWLEDGE_BASE.ID.eq(kb.value())).fetchSingle();
        UUID doc = dsl.insertInto(DOCUMENT)
                .set(DOCUMENT.TENANT_ID, tenant)
                .set(DOCUMENT.KNOWLEDGE_BASE_ID, kb.value())
                .set(DOCUMENT.SOURCE_URI, uri)
                .set(DOCUMENT.TITLE, title)
                .set(DOCUMENT.DOC_TYPE, docType)
                .set(DOCUMENT.METADATA, Json.object(metadata, "metadata"))
                .set(DOCUMENT.STATUS, "completed")
                .set(DOCUMENT.CHUNK_COUNT, pieces.length)
                .set(DOCUMENT.CREATED_AT, createdAt.atOffset(ZoneOffset.UTC))
                .returning(DOCUMENT.ID).fetchOne().getId();
        for (int i = 0; i < pieces.length; i++) {
            ChunkId chunk = chunk(kb, k.getDistanceMetric(), k.getTextSearchConfig(), pieces[i]);
            dsl.insertInto(DOCUMENT_CHUNK)
                    .set(DOCUMENT_CHUNK.TENANT_ID, tenant)
                    .set(DOCUMENT_CHUNK.KNOWLEDGE_BASE_ID, kb.value())
                    .set(DOCUMENT_CHUNK.DOCUMENT_ID, doc)
                    .set(DOCUMENT_CHUNK.CHUNK_INDEX, i)
                    .set(DOCUMENT_CHUNK.CHUNK_ID, chunk.value())
                    .execute();
        }
        return DocumentId.of(doc);
    }

    /** The chunk of this text in the knowledge base, inserted when new (content-addressed). */
    private ChunkId chunk(KnowledgeBaseId kb, String metric, String config, Piece piece) {
        byte[] hash = ContentHash.of(piece.text()).bytes();
        dsl.insertInto(CHUNK)
                .set(CHUNK.TENANT_ID, tenant)
                .set(CHUNK.KNOWLEDGE_BASE_ID, kb.value())
                .set(CHUNK.CONTENT_HASH, hash)
                .set(CHUNK.CONTENT, piece.text())
                .set(CHUNK.EMBEDDING, piece.embedding())
                .set(CHUNK.DISTANCE_METRIC, metric)
                .set(CHUNK.TEXT_SEARCH_CONFIG, config)
                .onConflictDoNothing()
                .execute();
        return ChunkId.of(dsl.select(CHUNK.ID).from(CHUNK).where(CHUNK.TENANT_ID.eq(tenant))
                .and(CHUNK.KNOWLEDGE_BASE_ID.eq(kb.value())).and(CHUNK.CONTENT_HASH.eq(hash)).fetchSingle().value1());
    }
}
