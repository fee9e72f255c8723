package dev.agentstore.document;

/** What one ingestion did to its document. */
public enum IngestStatus {
    /** The source URI was new in the knowledge base: the document was written. */
    CREATED,
    /** The document existed with other content or attributes: its chunk list was replaced. */
    UPDATED,
    /** The document existed with the same chunks and attributes: nothing was written or embedded. */
    UNCHANGED
}
