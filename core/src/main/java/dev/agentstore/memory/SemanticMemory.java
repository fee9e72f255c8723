package dev.agentstore.memory;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A semantic memory as stored (without its embedding).
 *
 * @param id its id
 * @param agentId the agent
 * @param userId the user, or null
 * @param sessionId the session, or null
 * @param kind what sort of memory
 * @param content the text as first remembered
 * @param importance 0 to 1; reinforcement keeps the highest importance given
 * @param metadata the attributes, never null
 * @param reinforcementCount how often it was remembered (1 for once)
 * @param lastSeenAt when it was last remembered
 * @param accessCount how often it was returned by a recall
 * @param lastAccessedAt when it was last returned by a recall, or null for never
 * @param expiresAt when it expires, or null for never
 * @param createdAt when it was first remembered
 */
public record SemanticMemory(MemoryId id, String agentId, String userId, UUID sessionId, String kind, String content,
        double importance, Map<String, Object> metadata, int reinforcementCount, Instant lastSeenAt, int accessCount,
        Instant lastAccessedAt, Instant expiresAt, Instant createdAt) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException when a required component is null
     */
    public SemanticMemory {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(content, "content");
        metadata = metadata == null ? Map.of() : metadata;
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * When the memory was last used: the later of {@link #lastSeenAt()} and {@link #lastAccessedAt()}.
     *
     * @return when the memory was last used
     */
    public Instant lastUsedAt() {
        return lastAccessedAt != null && lastAccessedAt.isAfter(lastSeenAt) ? lastAccessedAt : lastSeenAt;
    }

    /** Never shows the content or metadata values. */
    @Override
    public String toString() {
        return "SemanticMemory[id=" + id + ", agentId=" + agentId + ", userId=" + userId + ", sessionId=" + sessionId
                + ", kind=" + kind + ", content=<" + content.length() + " characters>, importance=" + importance
                + ", metadata keys=" + metadata.keySet() + ", reinforcementCount=" + reinforcementCount
                + ", lastSeenAt=" + lastSeenAt + ", accessCount=" + accessCount + ", lastAccessedAt=" + lastAccessedAt
                + ", expiresAt=" + expiresAt + ", createdAt=" + createdAt + "]";
    }
}
