/**
 * Knowledge bases, documents and content-addressed chunks, with idempotent ingestion: the entry
 * point is {@link dev.agentstore.document.Documents}, reached through
 * {@code AgentStore.documents(tenant)}. A chunk text is stored and embedded once per knowledge base
 * (addressed by {@link dev.agentstore.ContentHash}); documents list their chunks in order; the host's
 * {@link dev.agentstore.document.EmbeddingFunction} is called only for text the knowledge base lacks,
 * and a document is written completely, in one transaction, or not at all.
 */
package dev.agentstore.document;
