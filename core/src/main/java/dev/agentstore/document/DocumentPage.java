package dev.agentstore.document;

import java.util.List;

/**
 * One page of a document listing.
 *
 * @param documents the documents, in the order asked for; unmodifiable
 * @param next where the next page starts, or null when this is the last page
 */
public record DocumentPage(List<PipelineDocument> documents, DocumentCursor next) {

    /** Copies documents. */
    public DocumentPage {
        documents = List.copyOf(documents);
    }
}
