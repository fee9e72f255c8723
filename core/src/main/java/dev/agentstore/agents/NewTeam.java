package dev.agentstore.agents;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A team to save: its id, mode and ordered members, optionally a description and metadata.
 *
 * @param id the team id; not null
 * @param mode how the team uses its members; not null
 * @param members the members in order; each agent at most once; unmodifiable
 * @param description what the team is for, or null
 * @param metadata JSON metadata; unmodifiable, never null
 */
public record NewTeam(TeamId id, TeamMode mode, List<TeamMember> members, String description, Map<String, Object> metadata) {

    /** Most members of a team. */
    public static final int MAX_MEMBERS = 1_000;

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when a component is null or out of range, or an agent appears twice
     */
    public NewTeam {
        Checks.notNull(id, "id");
        Checks.notNull(mode, "mode");
        Checks.optionalText(description, "description", Ids.MAX_NOTE_LENGTH);
        members = Maps.list(members);
        if (members.size() > MAX_MEMBERS) {
            throw new InvalidInputException("a team has at most " + MAX_MEMBERS + " members, but got " + members.size());
        }
        Set<AgentId> seen = new HashSet<>();
        for (TeamMember m : members) {
            if (!seen.add(m.agent())) {
                throw new InvalidInputException("each agent is a member once, but '" + m.agent() + "' appears twice");
            }
        }
        metadata = Maps.copy(metadata);
    }

    /**
     * A team of these members in this order.
     *
     * @param id the id
     * @param mode the mode
     * @param members the members
     * @return a team of these members in this order
     */
    public static NewTeam of(String id, TeamMode mode, List<TeamMember> members) {
        return new NewTeam(TeamId.of(id), mode, members, null, Map.of());
    }

    /**
     * A copy with this description.
     *
     * @param newDescription the new description
     * @return a copy with this description
     */
    public NewTeam withDescription(String newDescription) {
        return new NewTeam(id, mode, members, newDescription, metadata);
    }

    /**
     * A copy with this metadata.
     *
     * @param newMetadata the new metadata (replaces the old)
     * @return a copy with this metadata
     */
    public NewTeam withMetadata(Map<String, ?> newMetadata) {
        return new NewTeam(id, mode, members, description, Maps.copy(newMetadata));
    }
}
