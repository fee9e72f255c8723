package dev.agentstore.agents;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;

/**
 * An agent of the registry, as stored.
 *
 * @param id the agent id (also the agent id of its sessions and memory)
 * @param displayName a name for people, or null
 * @param description what the agent is for, or null
 * @param metadata JSON metadata; unmodifiable
 * @param activeVersion the version new work should use, or 0 when none is active
 * @param latestVersion the highest version published, or 0 before the first
 * @param createdAt when it was registered
 * @param updatedAt when it last changed (registered, published, activated or retired)
 */
public record Agent(AgentId id, String displayName, String description, Map<String, Object> metadata, int activeVersion,
        int latestVersion, Instant createdAt, Instant updatedAt) {

    /** Copies the metadata. */
    public Agent {
        metadata = Maps.copy(metadata);
    }

    /**
     * The active version number, if any.
     *
     * @return the active version number, if any
     */
    public OptionalInt active() {
        return activeVersion == 0 ? OptionalInt.empty() : OptionalInt.of(activeVersion);
    }
}
