package dev.agentstore.knowledge;

import dev.agentstore.document.DocumentId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A document that contains a hit's chunk, as seen by a search.
 *
 * @param id the document id
 * @param sourceUri where the document came from (unique in its knowledge base)
 * @param title the title, or null
 * @param docType the doc type, or null
 * @param metadata the document's JSON metadata (never null, unmodifiable)
 * @param chunkIndex the position of the chunk in this document (the first one when it occurs more than once)
 * @param createdAt when the document was created
 * @param matchesFilter whether this document passes the search's filter (always true without a filter)
 */
public record DocumentRef(DocumentId id, String sourceUri, String title, String docType, Map<String, Object> metadata,
        int chunkIndex, Instant createdAt, boolean matchesFilter) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException when id, sourceUri, metadata or createdAt is null
     */
    public DocumentRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sourceUri, "sourceUri");
        Objects.requireNonNull(createdAt, "createdAt");
        metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata")));
    }
}
