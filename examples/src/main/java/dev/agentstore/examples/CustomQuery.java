package dev.agentstore.examples;

import static dev.agentstore.schema.Tables.CHUNK;
import static dev.agentstore.schema.Tables.DOCUMENT;
import static dev.agentstore.schema.Tables.DOCUMENT_CHUNK;
import static dev.agentstore.schema.Tables.KNOWLEDGE_BASE;

import dev.agentstore.AgentStore;
import dev.agentstore.ContentHash;
import dev.agentstore.knowledge.Filter;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchRequest;
import java.io.PrintStream;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/**
 * CustomQuery: the typed escape hatch. A report agentstore's API does not offer (documents, distinct
 * chunks and shared chunks per knowledge base; documents per doc type), written directly with jOOQ
 * over the generated tables of {@code dev.agentstore.schema} through {@link AgentStore#dsl()}, next to
 * a knowledge search over the same rows.
 *
 * <p>Run: {@code mvn -q -pl examples -am -DskipTests package exec:exec -Dexample=CustomQuery}
 */
public final class CustomQuery {

    private static final String TENANT = "acme";

    private CustomQuery() {
    }

    public static void main(String[] args) {
        try (AgentStore store = ExampleDatabase.builder(3).build()) {
            seed(store.dsl());
            search(store, System.out);
            report(store.dsl(), System.out);
        }
    }

    /** A knowledge search with a metadata filter, through the typed API. */
    static void search(AgentStore store, PrintStream out) {
        float[] question = {0.9f, 0.1f, 0f}; // the host's embedding of "How do I get a refund?"
        List<SearchHit> hits = store.knowledge("acme").search(SearchRequest.vector(question)
                .limit(3)
                .filter(Filter.docType("faq").and(Filter.metadata("category").eq("billing")))
                .minScore(0.5)
                .build());
        for (SearchHit hit : hits) {
            out.printf("%.3f  %s  (%s, chunk %d)%n", hit.score(), hit.text(),
                    hit.document().sourceUri(), hit.chunkIndex());
        }
    }

    /** The report: plain jOOQ over the generated tables, filtered by tenant like every agentstore query. */
    static void report(DSLContext dsl, PrintStream out) {
        var documents = DSL.countDistinct(DOCUMENT.ID).as("documents");
        var chunks = DSL.countDistinct(DOCUMENT_CHUNK.CHUNK_ID).as("chunks");
        var links = DSL.count(DOCUMENT_CHUNK.CHUNK_ID).as("links");
        out.println("knowledge base          documents  chunks  links");
        dsl.select(KNOWLEDGE_BASE.NAME, documents, chunks, links)
                .from(KNOWLEDGE_BASE)
                .leftJoin(DOCUMENT).on(DOCUMENT.TENANT_ID.eq(KNOWLEDGE_BASE.TENANT_ID)
                        .and(DOCUMENT.KNOWLEDGE_BASE_ID.eq(KNOWLEDGE_BASE.ID)))
                .leftJoin(DOCUMENT_CHUNK).on(DOCUMENT_CHUNK.TENANT_ID.eq(DOCUMENT.TENANT_ID)
                        .and(DOCUMENT_CHUNK.DOCUMENT_ID.eq(DOCUMENT.ID)))
                .where(KNOWLEDGE_BASE.TENANT_ID.eq(TENANT))
                .groupBy(KNOWLEDGE_BASE.NAME)
                .orderBy(KNOWLEDGE_BASE.NAME)
                .fetch()
                .forEach(r -> out.printf("%-22s  %9d  %6d  %5d%n", r.value1(), r.value2(), r.value3(), r.value4()));
        out.println("doc type   documents");
        dsl.select(DSL.coalesce(DOCUMENT.DOC_TYPE, "(none)"), DSL.count())
                .from(DOCUMENT)
                .where(DOCUMENT.TENANT_ID.eq(TENANT))
                .groupBy(DOCUMENT.DOC_TYPE)
                .orderBy(DOCUMENT.DOC_TYPE)
                .fetch()
                .forEach(r -> out.printf("%-9s  %9d%n", r.value1(), r.value2()));
    }

    /** Example rows, written with jOOQ too (a host would use the ingestion API). */
    static void seed(DSLContext dsl) {
        UUID handbook = knowledgeBase(dsl, "handbook");
        UUID faq = knowledgeBase(dsl, "faq");
        document(dsl, handbook, "handbook/billing.md", "manual", "{}",
                new String[] {"Invoices are sent on the first day of each month.", "Contact support for any question."},
                new float[][] {{0.7f, 0.7f, 0f}, {0f, 0f, 1f}});
        document(dsl, handbook, "handbook/account.md", "manual", "{}",
                new String[] {"Reset your password from the settings page.", "Contact support for any question."},
                new float[][] {{0f, 1f, 0f}, {0f, 0f, 1f}});
        document(dsl, faq, "faq/refunds", "faq", "{\"category\": \"billing\"}",
                new String[] {"Refunds are issued within five business days."}, new float[][] {{1f, 0f, 0f}});
        document(dsl, faq, "faq/card", "faq", "{\"category\": \"billing\"}",
                new String[] {"Change your card under Billing > Payment methods."}, new float[][] {{0.8f, 0.3f, 0f}});
        document(dsl, faq, "faq/password", "faq", "{\"category\": \"account\"}",
                new String[] {"Use 'Forgot password' on the login page."}, new float[][] {{0.9f, 0f, 0.1f}});
    }

    private static UUID knowledgeBase(DSLContext dsl, String name) {
        UUID id = dsl.insertInto(KNOWLEDGE_BASE)
                .set(KNOWLEDGE_BASE.TENANT_ID, TENANT)
                .set(KNOWLEDGE_BASE.NAME, name)
                .set(KNOWLEDGE_BASE.EMBEDDING_DIMENSION, 3)
                .returning(KNOWLEDGE_BASE.ID)
                .fetchOne()
                .getId();
        // every knowledge base has its own partitions and indexes, created by this schema function
        // (Documents.createKnowledgeBase calls it too); rows written through the parent tables land there
        dsl.select(DSL.function(DSL.name(KNOWLEDGE_BASE.getSchema().getName(), "knowledge_storage_create"), Integer.class,
                DSL.val(TENANT), DSL.val(id))).fetch();
        return id;
    }

    private static void document(DSLContext dsl, UUID kb, String uri, String docType, String metadata, String[] texts,
            float[][] embeddings) {
        dsl.transaction(tx -> {
            DSLContext t = DSL.using(tx);
            UUID doc = t.insertInto(DOCUMENT)
                    .set(DOCUMENT.TENANT_ID, TENANT).set(DOCUMENT.KNOWLEDGE_BASE_ID, kb).set(DOCUMENT.SOURCE_URI, uri)
                    .set(DOCUMENT.DOC_TYPE, docType).set(DOCUMENT.METADATA, JSONB.valueOf(metadata))
                    .set(DOCUMENT.STATUS, "completed").set(DOCUMENT.CHUNK_COUNT, texts.length)
                    .returning(DOCUMENT.ID).fetchOne().getId();
            for (int i = 0; i < texts.length; i++) {
                byte[] hash = ContentHash.of(texts[i]).bytes();
                // content-addressed: the same text in one knowledge base is one chunk row
                t.insertInto(CHUNK)
                        .set(CHUNK.TENANT_ID, TENANT).set(CHUNK.KNOWLEDGE_BASE_ID, kb).set(CHUNK.CONTENT_HASH, hash)
                        .set(CHUNK.CONTENT, texts[i]).set(CHUNK.EMBEDDING, embeddings[i])
                        .set(CHUNK.DISTANCE_METRIC, "cosine").set(CHUNK.TEXT_SEARCH_CONFIG, "english")
                        .onConflictDoNothing()
                        .execute();
                UUID chunk = t.select(CHUNK.ID).from(CHUNK).where(CHUNK.TENANT_ID.eq(TENANT))
                        .and(CHUNK.KNOWLEDGE_BASE_ID.eq(kb)).and(CHUNK.CONTENT_HASH.eq(hash)).fetchSingle().value1();
                t.insertInto(DOCUMENT_CHUNK)
                        .set(DOCUMENT_CHUNK.TENANT_ID, TENANT).set(DOCUMENT_CHUNK.KNOWLEDGE_BASE_ID, kb)
                        .set(DOCUMENT_CHUNK.DOCUMENT_ID, doc)
                        .set(DOCUMENT_CHUNK.CHUNK_INDEX, i).set(DOCUMENT_CHUNK.CHUNK_ID, chunk)
                        .execute();
            }
        });
    }
}
