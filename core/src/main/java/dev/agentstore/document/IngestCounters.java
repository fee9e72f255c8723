package dev.agentstore.document;

/** Counts of one ingestion call (not thread-safe; one per call). */
final class IngestCounters {

    int created;
    int updated;
    int unchanged;
    long inserted;
    long reused;
    long removed;
    int embeddingCalls;
    long textsEmbedded;


    void add(IngestCounters o) {
        created += o.created;
        updated += o.updated;
        unchanged += o.unchanged;
        inserted += o.inserted;
        reused += o.reused;
        removed += o.removed;
    }
}
