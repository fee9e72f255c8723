package dev.agentstore.agents;

import dev.agentstore.InvalidInputException;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.internal.Checks;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one version of an agent is: model, system prompt, instructions, model parameters, the tools
 * it may call (in order) and the knowledge bases it searches. Publishing a definition
 * ({@link Agents#publish(AgentId, AgentDefinition)}) stores it as an immutable, numbered version;
 * its content hash covers every component except {@link #changeNote()}, so publishing an unchanged
 * definition again is a no-op.
 *
 * <pre>{@code
 * AgentDefinition v1 = AgentDefinition.of("openai", "gpt-4o")
 *         .withSystemPrompt("You are the support agent of Northwind Trails.")
 *         .withParameters(Map.of("temperature", 0.2))
 *         .withTools(List.of(ToolSpec.of("lookup_order", "Finds an order by its number")))
 *         .withKnowledgeBases(List.of(kb.id()));
 * }</pre>
 *
 * @param modelProvider who serves the model (e.g. {@code openai}), or null
 * @param modelName the model (e.g. {@code gpt-4o}); 1 to 200 characters
 * @param systemPrompt the system prompt, or null
 * @param instructions further JSON instructions (e.g. output format); unmodifiable, never null
 * @param parameters model parameters (e.g. temperature); unmodifiable, never null
 * @param tools the tools, in the order given to the model; names unique; unmodifiable
 * @param knowledgeBases the knowledge bases searched, in id order (a set); unmodifiable
 * @param changeNote what changed against the previous version, or null; not part of the content hash
 */
public record AgentDefinition(String modelProvider, String modelName, String systemPrompt, Map<String, Object> instructions,
        Map<String, Object> parameters, List<ToolSpec> tools, List<KnowledgeBaseId> knowledgeBases, String changeNote) {

    /** Most tools per version. */
    public static final int MAX_TOOLS = 1_000;
    /** Most knowledge bases per version. */
    public static final int MAX_KNOWLEDGE_BASES = 1_000;

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when a component is out of range, or two tools share a name
     */
    public AgentDefinition {
        Checks.optionalText(modelProvider, "modelProvider", Ids.MAX_NAME_LENGTH);
        Ids.check(modelName, "modelName", Ids.MAX_NAME_LENGTH);
        Checks.optionalText(systemPrompt, "systemPrompt", Ids.MAX_TEXT_LENGTH);
        Checks.optionalText(changeNote, "changeNote", Ids.MAX_NOTE_LENGTH);
        instructions = Maps.copy(instructions);
        parameters = Maps.copy(parameters);
        tools = copy(tools, "tools", MAX_TOOLS);
        Set<String> names = new HashSet<>();
        for (ToolSpec t : tools) {
            if (!names.add(t.name())) {
                throw new InvalidInputException("tools must have distinct names, but '" + t.name() + "' appears twice");
            }
        }
        knowledgeBases = copy(knowledgeBases, "knowledgeBases", MAX_KNOWLEDGE_BASES).stream().distinct()
                .sorted(Comparator.comparing(KnowledgeBaseId::value)).toList();
    }

    private static <T> List<T> copy(List<T> list, String name, int max) {
        if (list == null) {
            return List.of();
        }
        if (list.size() > max) {
            throw new InvalidInputException(name + " has " + list.size() + " entries, more than the limit of " + max);
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw new InvalidInputException(name + " must not contain null, but entry " + i + " is null");
            }
        }
        return List.copyOf(list);
    }

    /**
     * A definition of this model and nothing else.
     *
     * @param modelProvider who serves the model, or null
     * @param modelName the model; not blank
     * @return a definition of this model and nothing else
     */
    public static AgentDefinition of(String modelProvider, String modelName) {
        return new AgentDefinition(modelProvider, modelName, null, Map.of(), Map.of(), List.of(), List.of(), null);
    }

    /**
     * A copy with this model.
     *
     * @param newModelProvider the new model provider
     * @param newModelName the new model name
     * @return a copy with this model
     */
    public AgentDefinition withModel(String newModelProvider, String newModelName) {
        return new AgentDefinition(newModelProvider, newModelName, systemPrompt, instructions, parameters, tools, knowledgeBases,
                changeNote);
    }

    /**
     * A copy with this system prompt.
     *
     * @param prompt the prompt
     * @return a copy with this system prompt
     */
    public AgentDefinition withSystemPrompt(String prompt) {
        return new AgentDefinition(modelProvider, modelName, prompt, instructions, parameters, tools, knowledgeBases, changeNote);
    }

    /**
     * A copy with these instructions.
     *
     * @param newInstructions the new instructions
     * @return a copy with these instructions
     */
    public AgentDefinition withInstructions(Map<String, ?> newInstructions) {
        return new AgentDefinition(modelProvider, modelName, systemPrompt, Maps.copy(newInstructions), parameters, tools,
                knowledgeBases, changeNote);
    }

    /**
     * A copy with these model parameters.
     *
     * @param newParameters the new parameters
     * @return a copy with these model parameters
     */
    public AgentDefinition withParameters(Map<String, ?> newParameters) {
        return new AgentDefinition(modelProvider, modelName, systemPrompt, instructions, Maps.copy(newParameters), tools,
                knowledgeBases, changeNote);
    }

    /**
     * A copy with these tools.
     *
     * @param newTools the new tools
     * @return a copy with these tools
     */
    public AgentDefinition withTools(List<ToolSpec> newTools) {
        return new AgentDefinition(modelProvider, modelName, systemPrompt, instructions, parameters, newTools, knowledgeBases,
                changeNote);
    }

    /**
     * A copy searching these knowledge bases.
     *
     * @param newKnowledgeBases the new knowledge bases
     * @return a copy searching these knowledge bases
     */
    public AgentDefinition withKnowledgeBases(List<KnowledgeBaseId> newKnowledgeBases) {
        return new AgentDefinition(modelProvider, modelName, systemPrompt, instructions, parameters, tools, newKnowledgeBases,
                changeNote);
    }

    /**
     * A copy with this change note (not part of the content hash).
     *
     * @param note the note
     * @return a copy with this change note (not part of the content hash)
     */
    public AgentDefinition withChangeNote(String note) {
        return new AgentDefinition(modelProvider, modelName, systemPrompt, instructions, parameters, tools, knowledgeBases, note);
    }

    /** Never shows the system prompt (it may be confidential). */
    @Override
    public String toString() {
        return "AgentDefinition[" + (modelProvider == null ? "" : modelProvider + "/") + modelName + ", " + tools.size()
                + " tools, " + knowledgeBases.size() + " knowledge bases]";
    }
}
