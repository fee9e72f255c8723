package dev.agentstore.memory;

import dev.agentstore.internal.Checks;
import dev.agentstore.InvalidInputException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A semantic memory to remember. Immutable; start with {@link #of(String, String, String, float[])}
 * and add what applies with the {@code with…} methods.
 *
 * <pre>{@code
 * NewMemory m = NewMemory.of("planner", "decision", "Ship the beta on Friday", embed(text))
 *         .withImportance(0.9).withUser("u-42").withMetadata(Map.of("project", "beta"));
 * }</pre>
 *
 * @param agentId the agent, 1 to {@value MemoryKey#MAX_AGENT_ID_LENGTH} characters, not blank
 * @param kind what sort of memory, an open set (e.g. {@code fact}, {@code episode}, {@code decision},
 *             {@code goal}, {@code learning}): 1 to {@value #MAX_KIND_LENGTH} characters, not blank,
 *             no white space at either end, no control characters
 * @param content the text, not blank; at most the store's {@code maxMemoryLength} characters
 * @param embedding the embedding of the content, of the store's dimension, every component finite
 * @param importance 0 (trivial) to 1 (essential); default {@value #DEFAULT_IMPORTANCE}
 * @param userId the user the memory is about or came from, or null
 * @param sessionId the conversation session it came from, or null (not checked against sessions)
 * @param metadata JSON-serialisable attributes, never null (empty by default)
 * @param expiresAt when the memory expires, or null for never
 */
public record NewMemory(String agentId, String kind, String content, float[] embedding, double importance,
        String userId, UUID sessionId, Map<String, Object> metadata, Instant expiresAt) {

    /** The importance of a memory when none is given. */
    public static final double DEFAULT_IMPORTANCE = 0.5;
    /** The longest kind accepted, in characters. */
    public static final int MAX_KIND_LENGTH = 64;

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when a component is missing or out of range (the message names it)
     */
    public NewMemory {
        agentId = MemoryKey.agentId(agentId);
        kind = kind(kind);
        if (content == null) {
            throw new InvalidInputException("content must not be null");
        }
        if (content.isBlank()) {
            throw new InvalidInputException("content must not be blank");
        }
        Checks.wellFormed(content, "content");
        if (embedding == null) {
            throw new InvalidInputException("embedding must not be null");
        }
        embedding = embedding.clone();
        importance = importance(importance);
        if (userId != null) {
            userId = MemoryScope.userId(userId, "userId");
        }
        metadata = metadata(metadata);
    }

    /**
     * A memory of default importance, without user, session, metadata or expiry.
     *
     * @param agentId the agent id
     * @param kind the kind
     * @param content the content
     * @param embedding the embedding
     * @return a memory of default importance, without user, session, metadata or expiry
     */
    public static NewMemory of(String agentId, String kind, String content, float[] embedding) {
        return new NewMemory(agentId, kind, content, embedding, DEFAULT_IMPORTANCE, null, null, Map.of(), null);
    }

    /**
     * This memory with another importance, 0 to 1.
     *
     * @param importance the importance, 0 to 1
     * @return this memory with another importance, 0 to 1
     */
    public NewMemory withImportance(double importance) {
        return new NewMemory(agentId, kind, content, embedding, importance, userId, sessionId, metadata, expiresAt);
    }

    /**
     * This memory about or from a user (null for none).
     *
     * @param userId the user id
     * @return this memory about or from a user (null for none)
     */
    public NewMemory withUser(String userId) {
        return new NewMemory(agentId, kind, content, embedding, importance, userId, sessionId, metadata, expiresAt);
    }

    /**
     * This memory from a conversation session (null for none).
     *
     * @param sessionId the session
     * @return this memory from a conversation session (null for none)
     */
    public NewMemory withSession(UUID sessionId) {
        return new NewMemory(agentId, kind, content, embedding, importance, userId, sessionId, metadata, expiresAt);
    }

    /**
     * This memory with these metadata (null for none).
     *
     * @param metadata the metadata (JSON-compatible values)
     * @return this memory with these metadata (null for none)
     */
    public NewMemory withMetadata(Map<String, ?> metadata) {
        return new NewMemory(agentId, kind, content, embedding, importance, userId, sessionId, copy(metadata), expiresAt);
    }

    /**
     * This memory expiring at an instant (null for never); it must be in the future when remembered.
     *
     * @param expiresAt when it expires
     * @return this memory expiring at an instant
     */
    public NewMemory withExpiresAt(Instant expiresAt) {
        return new NewMemory(agentId, kind, content, embedding, importance, userId, sessionId, metadata, expiresAt);
    }

    /**
     * A copy of the embedding.
     *
     * @return a copy of the embedding
     */
    @Override
    public float[] embedding() {
        return embedding.clone();
    }

    float[] embeddingNoCopy() {
        return embedding;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewMemory m && agentId.equals(m.agentId) && kind.equals(m.kind) && content.equals(m.content)
                && Arrays.equals(embedding, m.embedding) && Double.compare(importance, m.importance) == 0
                && Objects.equals(userId, m.userId) && Objects.equals(sessionId, m.sessionId)
                && metadata.equals(m.metadata) && Objects.equals(expiresAt, m.expiresAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(agentId, kind, content, Arrays.hashCode(embedding), importance, userId, sessionId, metadata, expiresAt);
    }

    /** Never shows the content, metadata values or the embedding. */
    @Override
    public String toString() {
        return "NewMemory[agentId=" + agentId + ", kind=" + kind + ", content=<" + content.length() + " characters>, embedding=<"
                + embedding.length + " dimensions>, importance=" + importance + ", userId=" + userId + ", sessionId=" + sessionId
                + ", metadata keys=" + metadata.keySet() + ", expiresAt=" + expiresAt + "]";
    }

    static String kind(String kind) {
        Checks.wellFormed(kind, "kind");
        if (kind == null) {
            throw new InvalidInputException("kind must not be null");
        }
        if (kind.isBlank()) {
            throw new InvalidInputException("kind must not be blank");
        }
        if (kind.length() > MAX_KIND_LENGTH) {
            throw new InvalidInputException("kind has " + kind.length() + " characters, more than the limit of " + MAX_KIND_LENGTH);
        }
        if (!kind.equals(kind.strip()) || kind.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("kind '" + kind.strip() + "' must not have white space at either end or control characters");
        }
        return kind;
    }

    static double importance(double importance) {
        if (!(importance >= 0 && importance <= 1)) {
            throw new InvalidInputException("importance must be between 0 and 1, but was " + importance);
        }
        return importance;
    }

    static Map<String, Object> metadata(Map<String, ?> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        for (Object k : metadata.keySet()) {
            if (k == null) {
                throw new InvalidInputException("metadata must not have a null key");
            }
        }
        return copy(metadata);
    }

    private static Map<String, Object> copy(Map<String, ?> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        // LinkedHashMap rather than Map.copyOf: JSON metadata may hold null values
        return Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
