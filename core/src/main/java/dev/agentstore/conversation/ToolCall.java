package dev.agentstore.conversation;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;

/**
 * One tool call an assistant message asks for: which tool, with which arguments, under which id. The
 * tool's answer comes back as a tool message made with {@link NewMessage#toolResult(String, String, String)}
 * that names the same id.
 *
 * <pre>{@code
 * chats.addMessage(session, NewMessage.assistant("", List.of(ToolCall.of("call_1", "weather", "{\"city\":\"Oslo\"}"))));
 * chats.addMessage(session, NewMessage.toolResult("call_1", "weather", "{\"celsius\":-3}"));
 * }</pre>
 *
 * Every component is stored and returned exactly as given (the arguments are text, typically JSON,
 * never parsed or re-formatted). {@code toString()} never shows the arguments.
 *
 * @param id the id the model gave the call, or null when the model gives none; not empty, at most
 *     {@value #MAX_ID_LENGTH} characters
 * @param name the tool's name; not blank, at most {@value #MAX_NAME_LENGTH} characters
 * @param arguments the arguments as the model wrote them (typically a JSON object), or null; at most the
 *     store's {@code maxMessageLength} characters (checked when the message is appended)
 */
public record ToolCall(String id, String name, String arguments) {

    /** Longest tool call id. */
    public static final int MAX_ID_LENGTH = 1_000;
    /** Longest tool name. */
    public static final int MAX_NAME_LENGTH = 200;

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when the id is empty or too long, or the name blank or too long
     */
    public ToolCall {
        checkId(id, "tool call id");
        Checks.text(name, "tool call name", MAX_NAME_LENGTH, null);
    }

    /**
     * A tool call; see the components for what each may be.
     *
     * @return a tool call; see the components for what each may be
     */
    public static ToolCall of(String id, String name, String arguments) {
        return new ToolCall(id, name, arguments);
    }

    static void checkId(String id, String name) {
        if (id != null && (id.isEmpty() || id.length() > MAX_ID_LENGTH)) {
            throw new InvalidInputException(name + " must be null or have 1 to " + MAX_ID_LENGTH
                    + " characters, but had " + id.length());
        }
    }

    @Override
    public String toString() {
        return "ToolCall[id=" + id + ", name=" + name + ", arguments="
                + (arguments == null ? null : "(" + arguments.length() + " characters)") + "]";
    }
}
