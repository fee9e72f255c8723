package dev.agentstore.agents;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A team as stored.
 *
 * @param id the team id
 * @param mode how the team uses its members
 * @param members the members in order; unmodifiable
 * @param description what the team is for, or null
 * @param metadata JSON metadata; unmodifiable
 * @param createdAt when it was first saved
 * @param updatedAt when it was last saved
 */
public record Team(TeamId id, TeamMode mode, List<TeamMember> members, String description, Map<String, Object> metadata,
        Instant createdAt, Instant updatedAt) {

    /** Copies the lists. */
    public Team {
        members = List.copyOf(members);
        metadata = Maps.copy(metadata);
    }
}
