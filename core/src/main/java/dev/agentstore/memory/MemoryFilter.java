package dev.agentstore.memory;

import dev.agentstore.InvalidInputException;
import java.util.Map;
import java.util.UUID;

/**
 * Which semantic memories of one agent a recall or a forget considers. Every condition given must
 * hold; expired memories are never included. Immutable.
 *
 * <pre>{@code
 * MemoryFilter f = MemoryFilter.agent("planner").withKind("decision").withMetadata(Map.of("project", "beta"));
 * }</pre>
 *
 * @param agentId the agent (required)
 * @param kind only memories of this kind, or null for any
 * @param userId only memories of this user, or null for any
 * @param sessionId only memories of this session, or null for any
 * @param metadata only memories whose metadata contain these entries (JSON containment,
 *                 {@code metadata @> filter}); empty for any
 */
public record MemoryFilter(String agentId, String kind, String userId, UUID sessionId, Map<String, Object> metadata) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when the agent id is missing or a condition is malformed
     */
    public MemoryFilter {
        agentId = MemoryKey.agentId(agentId);
        if (kind != null) {
            kind = NewMemory.kind(kind);
        }
        if (userId != null) {
            userId = MemoryScope.userId(userId, "userId");
        }
        metadata = NewMemory.metadata(metadata);
    }

    /**
     * All memories of an agent.
     *
     * @param agentId the agent id
     * @return all memories of an agent
     */
    public static MemoryFilter agent(String agentId) {
        return new MemoryFilter(agentId, null, null, null, Map.of());
    }

    /**
     * This filter, also requiring a kind (null for any).
     *
     * @param kind the kind
     * @return this filter, also requiring a kind (null for any)
     */
    public MemoryFilter withKind(String kind) {
        return new MemoryFilter(agentId, kind, userId, sessionId, metadata);
    }

    /**
     * This filter, also requiring a user (null for any).
     *
     * @param userId the user id
     * @return this filter, also requiring a user (null for any)
     */
    public MemoryFilter withUser(String userId) {
        return new MemoryFilter(agentId, kind, userId, sessionId, metadata);
    }

    /**
     * This filter, also requiring a session (null for any).
     *
     * @param sessionId the session
     * @return this filter, also requiring a session (null for any)
     */
    public MemoryFilter withSession(UUID sessionId) {
        return new MemoryFilter(agentId, kind, userId, sessionId, metadata);
    }

    /**
     * This filter, also requiring metadata that contain these entries (null or empty for any).
     *
     * @param metadata the metadata (JSON-compatible values)
     * @return this filter, also requiring metadata that contain these entries (null or empty for any)
     */
    public MemoryFilter withMetadata(Map<String, ?> metadata) {
        return new MemoryFilter(agentId, kind, userId, sessionId, NewMemory.metadata(metadata));
    }

    /** Never shows metadata values. */
    @Override
    public String toString() {
        return "MemoryFilter[agentId=" + agentId + ", kind=" + kind + ", userId=" + userId + ", sessionId=" + sessionId
                + ", metadata keys=" + metadata.keySet() + "]";
    }
}
