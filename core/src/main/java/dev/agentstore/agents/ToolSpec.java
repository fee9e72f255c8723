package dev.agentstore.agents;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;
import java.util.Map;

/**
 * A tool an agent version may call, as given to the model.
 *
 * @param name the tool name, unique within a version; 1 to 200 characters
 * @param description what the tool does, or null
 * @param parametersSchema the JSON schema of its arguments; unmodifiable, never null (empty when none)
 */
public record ToolSpec(String name, String description, Map<String, Object> parametersSchema) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when the name is null, blank or too long
     */
    public ToolSpec {
        Ids.check(name, "tool name", Ids.MAX_NAME_LENGTH);
        Checks.optionalText(description, "tool description", Ids.MAX_NOTE_LENGTH);
        parametersSchema = Maps.copy(parametersSchema);
    }

    /**
     * A tool with this name and description and no parameter schema.
     *
     * @param name the name
     * @param description the description
     * @return a tool with this name and description and no parameter schema
     */
    public static ToolSpec of(String name, String description) {
        return new ToolSpec(name, description, Map.of());
    }

    /**
     * A copy with this JSON schema of its arguments.
     *
     * @param schema the schema name
     * @return a copy with this JSON schema of its arguments
     */
    public ToolSpec withParametersSchema(Map<String, ?> schema) {
        return new ToolSpec(name, description, Maps.copy(schema));
    }
}
