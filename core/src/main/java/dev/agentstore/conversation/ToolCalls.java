package dev.agentstore.conversation;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.JSONB;

/** Validation and JSON of the tool-call parts of a message (columns tool_calls, tool_call_id, tool_name). */
final class ToolCalls {

    private ToolCalls() {
    }

    /** Checks the tool parts of a new message against its role; returns the calls as an unmodifiable copy. */
    static List<ToolCall> check(Role role, List<ToolCall> toolCalls, String toolCallId, String toolName) {
        List<ToolCall> calls;
        if (toolCalls == null || toolCalls.isEmpty()) {
            calls = List.of();
        } else {
            if (role != Role.ASSISTANT) {
                throw new InvalidInputException("only assistant messages carry tool calls, but this message has role " + role
                        + "; a tool's answer is NewMessage.toolResult(toolCallId, toolName, content)");
            }
            if (toolCalls.size() > NewMessage.MAX_TOOL_CALLS) {
                throw new InvalidInputException("toolCalls must hold at most " + NewMessage.MAX_TOOL_CALLS + " calls, but held "
                        + toolCalls.size());
            }
            for (int i = 0; i < toolCalls.size(); i++) {
                if (toolCalls.get(i) == null) {
                    throw new InvalidInputException("toolCalls must not contain null, but element " + i + " is null");
                }
            }
            calls = List.copyOf(toolCalls);
        }
        if ((toolCallId != null || toolName != null) && role != Role.TOOL) {
            throw new InvalidInputException("only tool messages carry toolCallId and toolName, but this message has role " + role);
        }
        ToolCall.checkId(toolCallId, "toolCallId");
        Checks.optionalText(toolName, "toolName", ToolCall.MAX_NAME_LENGTH);
        return calls;
    }

    /** Content must not be null; it must not be blank either unless the message carries tool parts. */
    static void checkContent(String content, String name, boolean toolParts) {
        if (toolParts) {
            Checks.notNull(content, name);
        } else {
            Checks.notBlank(content, name);
        }
    }

    /** The store's length limit on the content and on each call's arguments. */
    static void checkLengths(NewMessage m, String which, int maxLength, String limitOption) {
        if (m.content().length() > maxLength) {
            throw new InvalidInputException("content" + which + " has " + m.content().length()
                    + " characters, more than the limit of " + maxLength + " (raise it with " + limitOption + ")");
        }
        for (int i = 0; i < m.toolCalls().size(); i++) {
            String arguments = m.toolCalls().get(i).arguments();
            if (arguments != null && arguments.length() > maxLength) {
                throw new InvalidInputException("arguments of tool call " + i + which + " have " + arguments.length()
                        + " characters, more than the limit of " + maxLength + " (raise it with " + limitOption + ")");
            }
        }
    }

    /** The tool_calls column: null for none, else an array of {"id", "name", "arguments"} (absent keys for nulls). */
    static JSONB write(List<ToolCall> calls) {
        if (calls.isEmpty()) {
            return null;
        }
        List<Map<String, Object>> list = new ArrayList<>(calls.size());
        for (ToolCall c : calls) {
            Map<String, Object> m = new LinkedHashMap<>(4);
            if (c.id() != null) {
                m.put("id", c.id());
            }
            m.put("name", c.name());
            if (c.arguments() != null) {
                m.put("arguments", c.arguments());
            }
            list.add(m);
        }
        return Json.write(list, "tool calls");
    }

    @SuppressWarnings("rawtypes")
    static List<ToolCall> read(JSONB json) {
        if (json == null) {
            return List.of();
        }
        List<Map> list = Json.toList(json, Map.class);
        List<ToolCall> calls = new ArrayList<>(list.size());
        for (Map m : list) {
            calls.add(new ToolCall((String) m.get("id"), (String) m.get("name"), (String) m.get("arguments")));
        }
        return List.copyOf(calls);
    }
}
