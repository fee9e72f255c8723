package dev.agentstore.agents;

import dev.agentstore.InvalidInputException;

/**
 * One numbered version of one agent: what a run names.
 *
 * @param agent the agent
 * @param version the version number, 1 or more
 */
public record AgentVersionId(AgentId agent, int version) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when agent is null or version is less than 1
     */
    public AgentVersionId {
        if (agent == null) {
            throw new InvalidInputException("agent must not be null");
        }
        if (version < 1) {
            throw new InvalidInputException("version must be 1 or more, but was " + version);
        }
    }

    /**
     * Version {@code version} of agent {@code agent}.
     *
     * @param agent the agent
     * @param version the version number
     * @return version {@code version} of agent {@code agent}
     */
    public static AgentVersionId of(String agent, int version) {
        return new AgentVersionId(AgentId.of(agent), version);
    }

    /** "support-bot v2". */
    @Override
    public String toString() {
        return agent + " v" + version;
    }
}
