package dev.agentstore.lifecycle;

import dev.agentstore.document.DocumentStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The rows of one tenant per capability (see {@link StoreCounts} for when a count is exact).
 *
 * @param sessions conversation sessions
 * @param messages conversation messages
 * @param knowledgeBases knowledge bases
 * @param documentsByStatus documents per status, every status present; unmodifiable
 * @param chunks distinct chunk contents (deduplicated per knowledge base)
 * @param memoryEntries key/value memory entries (expired ones not yet purged included)
 * @param memories semantic memories
 */
public record TenantCounts(Count sessions, Count messages, Count knowledgeBases, Map<DocumentStatus, Count> documentsByStatus,
        Count chunks, Count memoryEntries, Count memories) {

    /** Copies documentsByStatus. */
    public TenantCounts {
        documentsByStatus = Collections.unmodifiableMap(new EnumMap<>(documentsByStatus));
    }

    /**
     * Documents of every status (exact only when every part is).
     *
     * @return documents of every status (exact only when every part is)
     */
    public Count documents() {
        long sum = 0;
        boolean exact = true;
        for (Count c : documentsByStatus.values()) {
            sum += c.value();
            exact &= c.exact();
        }
        return new Count(sum, exact);
    }
}
