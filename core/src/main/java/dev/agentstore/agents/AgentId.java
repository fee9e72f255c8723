package dev.agentstore.agents;

import dev.agentstore.InvalidInputException;

/**
 * The id of an agent in the registry, e.g. {@code "support-bot"}. It is the same text id that
 * conversations ({@code NewSession.of(user, agentId)}) and memory ({@code MemoryKey.of(agentId, ...)})
 * use, so an agent's registry entry names its sessions and its memory.
 *
 * @param value 1 to {@value #MAX_LENGTH} characters, not blank, no control characters
 */
public record AgentId(String value) {

    /** The longest agent id accepted. */
    public static final int MAX_LENGTH = 200;

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when the value is null, blank, too long or has control characters
     */
    public AgentId {
        Ids.check(value, "agentId", MAX_LENGTH);
    }

    /**
     * The agent with this id.
     *
     * @return the agent with this id
     * @throws InvalidInputException when the value is null, blank, too long or has control characters
     */
    public static AgentId of(String value) {
        return new AgentId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
