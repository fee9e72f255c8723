package dev.agentstore.document;

import dev.agentstore.ContentHash;
import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.Json;
import dev.agentstore.internal.Limits;
import dev.agentstore.internal.StoreContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.JSONB;

/**
 * The first step of every ingestion, before any SQL: validates a document against the store's limits and
 * the knowledge base's dimension, and hashes it (the content address of each chunk, and one hash of the
 * whole document that tells an unchanged re-ingest apart). Thread-safe.
 */
final class IngestPreparation {

    private final StoreContext context;

    IngestPreparation(StoreContext context) {
        this.context = context;
    }


    /**
     * Validates a document against the store's limits and hashes it.
     *
     * @param withFunction whether an embedding function is available (else every chunk needs an embedding)
     */
    PreparedDocument prepare(DocumentInput doc, boolean withFunction, KbStorage kb) {
        int dim = kb.dimension();
        Checks.notNull(doc, "document");
        String uri = doc.sourceUri();
        int max = context.limits().maxChunkLength();
        List<ChunkInput> chunks = doc.chunks();
        ContentHash[] hashes = new ContentHash[chunks.size()];
        String[] linkMetadata = new String[chunks.size()];
        MessageDigest md = sha256();
        update(md, "agentstore-document-v1");
        update(md, doc.title());
        update(md, doc.docType());
        update(md, doc.version());
        update(md, canonical(doc.metadata(), "metadata of document '" + uri + "'"));
        md.update(ByteBuffer.allocate(4).putInt(chunks.size()).array());
        for (int i = 0; i < chunks.size(); i++) {
            ChunkInput c = chunks.get(i);
            if (c.text() != null && c.text().length() > max) {
                throw new InvalidInputException("chunk " + i + " of document '" + uri + "' has " + c.text().length()
                        + " characters, more than the limit of " + max
                        + " (split it further, or raise the limit with AgentStore.builder().maxChunkLength(...))");
            }
            if (c.hasEmbedding()) {
                Checks.embedding(c.embeddingUnsafe(), dim, "embedding of chunk " + i + " of document '" + uri + "'",
                        whose(kb), fix(kb, c.embeddingUnsafe().length));
            } else if (!withFunction) {
                throw new InvalidInputException("chunk " + i + " of document '" + uri + "' has no embedding; give every"
                        + " chunk an embedding, or pass an EmbeddingFunction");
            }
            hashes[i] = c.contentHash(uri); // content-addressed: ContentHash.of(text); keyed: its own namespace
            linkMetadata[i] = c.metadata().isEmpty() ? "{}" : canonical(c.metadata(), "metadata of chunk " + i
                    + " of document '" + uri + "'");
            md.update(hashes[i].bytes());
            update(md, linkMetadata[i]);
        }
        JSONB metadata = context.limits().metadata(doc.metadata(), "metadata of document '" + uri + "'");
        return new PreparedDocument(doc, hashes, md.digest(), metadata, linkMetadata);
    }

    static String whose(KbStorage kb) {
        return whose(kb.id(), kb.dimension());
    }

    static String whose(UUID kb, int dim) {
        return "knowledge base " + kb + " is built for";
    }

    static String fix(KbStorage kb, int actual) {
        return fix(kb.id(), actual);
    }

    static String fix(UUID kb, int actual) {
        return "embed with the knowledge base's model, or create a knowledge base for " + actual
                + "-dimension embeddings (KnowledgeBaseSpec.of(name, " + actual + "))";
    }

    private String canonical(Map<String, Object> map, String name) {
        return Json.canonical(map, name, context.limits().maxMetadataLength(), Limits.MAX_METADATA_OPTION);
    }

    private static void update(MessageDigest md, String s) {
        if (s == null) {
            md.update(new byte[] {-1, -1, -1, -1});
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(4).putInt(b.length).array());
        md.update(b);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
