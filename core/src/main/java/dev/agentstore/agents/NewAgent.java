package dev.agentstore.agents;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;
import java.util.Map;

/**
 * An agent to register: its id, and optionally a display name, a description and JSON metadata.
 * Its definitions (model, prompt, tools, knowledge bases) are published as versions afterwards.
 *
 * @param id the agent id; not null
 * @param displayName a name for people, or null
 * @param description what the agent is for, or null
 * @param metadata JSON-compatible values; unmodifiable, never null
 */
public record NewAgent(AgentId id, String displayName, String description, Map<String, Object> metadata) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when id is null or a text is blank or too long
     */
    public NewAgent {
        Checks.notNull(id, "id");
        Checks.optionalText(displayName, "displayName", Ids.MAX_NAME_LENGTH);
        Checks.optionalText(description, "description", Ids.MAX_NOTE_LENGTH);
        metadata = Maps.copy(metadata);
    }

    /**
     * An agent with this id and nothing else.
     *
     * @param id the id
     * @return an agent with this id and nothing else
     */
    public static NewAgent of(String id) {
        return new NewAgent(AgentId.of(id), null, null, Map.of());
    }

    /**
     * A copy with this display name.
     *
     * @param newDisplayName the new display name
     * @return a copy with this display name
     */
    public NewAgent withDisplayName(String newDisplayName) {
        return new NewAgent(id, newDisplayName, description, metadata);
    }

    /**
     * A copy with this description.
     *
     * @param newDescription the new description
     * @return a copy with this description
     */
    public NewAgent withDescription(String newDescription) {
        return new NewAgent(id, displayName, newDescription, metadata);
    }

    /**
     * A copy with this metadata.
     *
     * @param newMetadata the new metadata (replaces the old)
     * @return a copy with this metadata
     */
    public NewAgent withMetadata(Map<String, ?> newMetadata) {
        return new NewAgent(id, displayName, description, Maps.copy(newMetadata));
    }
}
