package dev.agentstore.agents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentstore.ContentHash;
import dev.agentstore.InvalidInputException;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.internal.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content hash of an agent definition: SHA-256 over its canonical JSON (object keys sorted at
 * every level, knowledge bases in id order, tools in their given order). The
 * change note is left out, so a definition that differs only in its note is the same version.
 */
final class DefinitionHash {

    private static final ObjectMapper CANONICAL = Json.mapper().copy()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private DefinitionHash() {
    }

    /** The canonical JSON text (package-private for the unit test). */
    static String canonical(AgentDefinition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("modelProvider", d.modelProvider());
        m.put("modelName", d.modelName());
        m.put("systemPrompt", d.systemPrompt());
        m.put("instructions", d.instructions());
        m.put("parameters", d.parameters());
        List<Object> tools = new ArrayList<>();
        for (ToolSpec t : d.tools()) {
            Map<String, Object> tool = new LinkedHashMap<>();
            tool.put("name", t.name());
            tool.put("description", t.description());
            tool.put("parametersSchema", t.parametersSchema());
            tools.add(tool);
        }
        m.put("tools", tools);
        m.put("knowledgeBases", d.knowledgeBases().stream().map(KnowledgeBaseId::toString).toList());
        try {
            return CANONICAL.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("the agent definition cannot be written as JSON: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("the agent definition cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** The content hash of the definition. */
    static ContentHash of(AgentDefinition d) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical(d).getBytes(StandardCharsets.UTF_8));
            return ContentHash.fromBytes(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
