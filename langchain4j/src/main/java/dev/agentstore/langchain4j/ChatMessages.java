package dev.agentstore.langchain4j;

import dev.agentstore.AgentStoreException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.conversation.Message;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.Role;
import dev.agentstore.conversation.ToolCall;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LangChain4j chat messages to agentstore messages and back, exactly.
 *
 * <p>A message is stored in agentstore's typed columns (role, text, tool calls, tool result id and
 * name) whenever those hold it exactly: the mapping is checked by converting back and comparing with
 * {@link ChatMessage#equals(Object)}. What the columns cannot hold (a user name, images or other
 * non-text contents, an AI message's thinking text, attributes, a tool error flag, custom messages)
 * is kept as LangChain4j's own JSON in the message metadata under {@value #MESSAGE_KEY}, next to a
 * readable text, so that the conversation stays readable through agentstore's API and the LangChain4j
 * message still comes back equal.
 */
final class ChatMessages {

    /** Metadata key of LangChain4j's JSON of a message the typed columns cannot hold exactly. */
    static final String MESSAGE_KEY = "langchain4j.message";
    /** Metadata key marking an AI message whose text was null (stored as an empty text). */
    static final String NULL_TEXT_KEY = "langchain4j.nullText";
    /** Metadata key of a tool result's error flag when it has one (true or false). */
    static final String IS_ERROR_KEY = "langchain4j.isError";

    private ChatMessages() {
    }

    /** The agentstore message for a LangChain4j message (without window metadata). */
    static NewMessage toNew(ChatMessage message, int index) {
        if (message == null) {
            throw new InvalidInputException("messages must not contain null, but element " + index + " is null");
        }
        NewMessage typed = typed(message);
        if (typed != null && message.equals(toChat(typed.role(), typed.content(), typed.toolCalls(), typed.toolCallId(),
                typed.toolName(), typed.metadata()))) {
            return typed;
        }
        Map<String, Object> metadata = Map.of(MESSAGE_KEY, ChatMessageSerializer.messageToJson(message));
        return NewMessage.of(role(message), readable(message)).withMetadata(metadata);
    }

    /** The LangChain4j message of a stored agentstore message. */
    static ChatMessage toChat(Message m) {
        return toChat(m.role(), m.content(), m.toolCalls(), m.toolCallId(), m.toolName(), m.metadata());
    }

    private static ChatMessage toChat(Role role, String content, List<ToolCall> toolCalls, String toolCallId, String toolName,
            Map<String, Object> metadata) {
        Object json = metadata.get(MESSAGE_KEY);
        if (json instanceof String s) {
            return ChatMessageDeserializer.messageFromJson(s);
        }
        return switch (role) {
            case SYSTEM -> SystemMessage.from(content);
            case USER -> UserMessage.from(content);
            case ASSISTANT -> {
                List<ToolExecutionRequest> requests = new ArrayList<>(toolCalls.size());
                for (ToolCall c : toolCalls) {
                    requests.add(ToolExecutionRequest.builder().id(c.id()).name(c.name()).arguments(c.arguments()).build());
                }
                String text = Boolean.TRUE.equals(metadata.get(NULL_TEXT_KEY)) ? null : content;
                yield AiMessage.builder().text(text).toolExecutionRequests(requests).build();
            }
            case TOOL -> ToolExecutionResultMessage.builder().id(toolCallId).toolName(toolName).text(content)
                    .isError(metadata.get(IS_ERROR_KEY) instanceof Boolean b ? b : null).build();
        };
    }

    /** The message in typed columns, or null when they cannot hold it (checked again by the caller). */
    private static NewMessage typed(ChatMessage message) {
        try {
            return switch (message) {
                case SystemMessage s -> NewMessage.system(s.text());
                case UserMessage u -> u.name() == null && u.hasSingleText() && u.attributes().isEmpty()
                        && !u.singleText().isBlank() ? NewMessage.user(u.singleText()) : null;
                case AiMessage a -> {
                    if (a.thinking() != null || !a.attributes().isEmpty()) {
                        yield null;
                    }
                    if (!a.hasToolExecutionRequests()) {
                        yield a.text() == null || a.text().isBlank() ? null : NewMessage.assistant(a.text());
                    }
                    List<ToolCall> calls = new ArrayList<>();
                    for (ToolExecutionRequest r : a.toolExecutionRequests()) {
                        if (r.name() == null || r.name().isBlank()) {
                            yield null;
                        }
                        calls.add(ToolCall.of(r.id(), r.name(), r.arguments()));
                    }
                    NewMessage m = NewMessage.assistant(a.text() == null ? "" : a.text(), calls);
                    yield a.text() == null ? m.withMetadata(Map.of(NULL_TEXT_KEY, true)) : m;
                }
                case ToolExecutionResultMessage t -> {
                    if (!t.hasSingleText() || !t.attributes().isEmpty() || t.id() == null && t.toolName() == null) {
                        yield null;
                    }
                    NewMessage m = NewMessage.toolResult(t.id(), t.toolName(), t.text());
                    yield t.isError() == null ? m : m.withMetadata(Map.of(IS_ERROR_KEY, t.isError()));
                }
                default -> null;
            };
        } catch (InvalidInputException e) {
            return null; // e.g. an empty tool call id: kept as JSON instead
        }
    }

    private static Role role(ChatMessage message) {
        return switch (message) {
            case SystemMessage s -> Role.SYSTEM;
            case AiMessage a -> Role.ASSISTANT;
            case ToolExecutionResultMessage t -> Role.TOOL;
            default -> Role.USER; // user and custom messages
        };
    }

    /** A non-blank text for a message kept as JSON: its text where it has one. */
    private static String readable(ChatMessage message) {
        StringBuilder text = new StringBuilder();
        List<Content> contents = switch (message) {
            case UserMessage u -> u.contents();
            case ToolExecutionResultMessage t -> t.contents();
            default -> List.of();
        };
        for (Content c : contents) {
            if (c instanceof TextContent t) {
                text.append(text.isEmpty() ? "" : "\n").append(t.text());
            }
        }
        if (message instanceof SystemMessage s) {
            text.append(s.text());
        } else if (message instanceof AiMessage a && a.text() != null) {
            text.append(a.text());
        }
        if (text.toString().isBlank()) {
            return "[" + (message instanceof CustomMessage ? "custom" : message.type().name().toLowerCase(java.util.Locale.ROOT))
                    + " message]";
        }
        return text.toString();
    }

    /** Copies a message's metadata with one more entry. */
    static NewMessage withMetadataEntry(NewMessage m, String key, Object value) {
        Map<String, Object> metadata = new LinkedHashMap<>(m.metadata());
        metadata.put(key, value);
        return m.withMetadata(metadata);
    }

    /** A translation failure of a stored message (e.g. JSON written by another LangChain4j version). */
    static AgentStoreException unreadable(Message m, RuntimeException cause) {
        return new AgentStoreException("message " + m.id() + " of session " + m.sessionId()
                + " cannot be read as a LangChain4j chat message: " + cause.getMessage(), cause);
    }
}
