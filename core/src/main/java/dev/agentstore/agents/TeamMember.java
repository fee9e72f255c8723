package dev.agentstore.agents;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;

/**
 * A member of a team.
 *
 * @param agent the agent; registered in the same tenant
 * @param pinnedVersion the version the team always uses, or 0 for the agent's active version
 * @param role what the member does in the team (e.g. {@code "billing"}), or null
 */
public record TeamMember(AgentId agent, int pinnedVersion, String role) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when agent is null, the version is negative or the role blank or too long
     */
    public TeamMember {
        Checks.notNull(agent, "member agent");
        if (pinnedVersion < 0) {
            throw new InvalidInputException("pinnedVersion must be 0 (the active version) or a version number, but was "
                    + pinnedVersion);
        }
        Checks.optionalText(role, "member role", Ids.MAX_NAME_LENGTH);
    }

    /**
     * The agent, following its active version, without a role.
     *
     * @param agent the agent
     * @return the agent, following its active version, without a role
     */
    public static TeamMember of(String agent) {
        return new TeamMember(AgentId.of(agent), 0, null);
    }

    /**
     * A copy pinned to this version.
     *
     * @param version the version number
     * @return a copy pinned to this version
     */
    public TeamMember pinnedTo(int version) {
        if (version < 1) {
            throw new InvalidInputException("a pinned version must be 1 or more, but was " + version);
        }
        return new TeamMember(agent, version, role);
    }

    /**
     * A copy with this role.
     *
     * @param newRole the new role
     * @return a copy with this role
     */
    public TeamMember withRole(String newRole) {
        return new TeamMember(agent, pinnedVersion, newRole);
    }
}
