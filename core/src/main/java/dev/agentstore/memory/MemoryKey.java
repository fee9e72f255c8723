package dev.agentstore.memory;

import dev.agentstore.internal.Checks;
import dev.agentstore.InvalidInputException;

/**
 * The address of one key/value memory entry: agent, scope and key. Unique per tenant.
 *
 * <pre>{@code
 * MemoryKey key = MemoryKey.of("planner", MemoryScope.user("u-42"), "preferences");
 * }</pre>
 *
 * @param agentId the agent, 1 to {@value #MAX_AGENT_ID_LENGTH} characters, not blank
 * @param scope the agent itself, one user or one session
 * @param key the key, 1 to {@value #MAX_KEY_LENGTH} characters, not blank
 */
public record MemoryKey(String agentId, MemoryScope scope, String key) {

    /** The longest agent id accepted, in characters. */
    public static final int MAX_AGENT_ID_LENGTH = 200;
    /** The longest key accepted, in characters. */
    public static final int MAX_KEY_LENGTH = 500;

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when a component is null, blank or too long
     */
    public MemoryKey {
        agentId = agentId(agentId);
        if (scope == null) {
            throw new InvalidInputException("scope must not be null; use MemoryScope.agent(), user(userId) or session(sessionId)");
        }
        if (key == null) {
            throw new InvalidInputException("key must not be null");
        }
        if (key.isBlank()) {
            throw new InvalidInputException("key must not be blank");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new InvalidInputException("key has " + key.length() + " characters, more than the limit of " + MAX_KEY_LENGTH);
        }
        Checks.wellFormed(key, "key");
    }

    /**
     * The key of an entry.
     *
     * @return the key of an entry
     */
    public static MemoryKey of(String agentId, MemoryScope scope, String key) {
        return new MemoryKey(agentId, scope, key);
    }

    /** {@code 'key' (agent 'a', scope)}, as used in messages. */
    @Override
    public String toString() {
        return "'" + key + "' (agent '" + agentId + "', " + scope + ")";
    }

    static String agentId(String agentId) {
        if (agentId == null) {
            throw new InvalidInputException("agentId must not be null");
        }
        if (agentId.isBlank()) {
            throw new InvalidInputException("agentId must not be blank");
        }
        if (agentId.length() > MAX_AGENT_ID_LENGTH) {
            throw new InvalidInputException("agentId has " + agentId.length() + " characters, more than the limit of "
                    + MAX_AGENT_ID_LENGTH);
        }
        return Checks.wellFormed(agentId, "agentId");
    }
}
