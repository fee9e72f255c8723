package dev.agentstore.agents;

import dev.agentstore.ContentHash;
import java.time.Instant;

/**
 * One immutable, numbered version of an agent, as stored.
 *
 * @param id the agent and the version number
 * @param contentHash the SHA-256 of the canonical form of the definition (without the change note)
 * @param definition what the version is
 * @param active whether this is the agent's active version (when read)
 * @param retiredAt when it was retired, or null
 * @param createdAt when it was published
 */
public record AgentVersion(AgentVersionId id, ContentHash contentHash, AgentDefinition definition, boolean active,
        Instant retiredAt, Instant createdAt) {

    /**
     * The agent.
     *
     * @return the agent
     */
    public AgentId agent() {
        return id.agent();
    }

    /**
     * The version number.
     *
     * @return the version number
     */
    public int version() {
        return id.version();
    }

    /**
     * Whether the version was retired.
     *
     * @return whether the version was retired
     */
    public boolean retired() {
        return retiredAt != null;
    }
}
