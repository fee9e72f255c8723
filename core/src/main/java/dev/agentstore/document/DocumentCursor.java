package dev.agentstore.document;

import dev.agentstore.internal.Checks;
import java.time.Instant;

/**
 * Where a document listing continues (keyset paging on creation time, then id).
 *
 * @param createdAt creation time of the last document of the previous page
 * @param id its id
 */
public record DocumentCursor(Instant createdAt, DocumentId id) {

    /**
     * Checks the components.
     *
     * @throws dev.agentstore.InvalidInputException when a component is null
     */
    public DocumentCursor {
        Checks.notNull(createdAt, "cursor createdAt");
        Checks.notNull(id, "cursor id");
    }
}
