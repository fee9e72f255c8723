package dev.agentstore.conversation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stored message. {@code toString()} never shows the content or the feedback comment.
 *
 * @param id its id
 * @param sessionId the session it belongs to
 * @param seq its position in the session: 1, 2, 3, … without gaps
 * @param role who wrote it
 * @param content the text, exactly as appended (empty only for a message with tool calls or a tool result)
 * @param sources what the answer used; unmodifiable, never null
 * @param responseTime how long the answer took (whole milliseconds), or null
 * @param inputTokens prompt tokens, or null
 * @param outputTokens completion tokens, or null
 * @param model the model name, or null
 * @param metadata JSON metadata; unmodifiable, never null
 * @param feedback the feedback on it, or null when none was given (only assistant messages have any)
 * @param createdAt when it was appended (the store's clock)
 * @param toolCalls the tool calls an assistant message asks for, in order; unmodifiable, empty when none
 * @param toolCallId the id of the call a tool result answers, or null
 * @param toolName the tool a tool result answers for, or null
 * @param agentRunId the id of the agent run that produced this message ({@link NewMessage#withAgentRun} when it was
 *        appended, or {@code NewRun.producing} when the run was recorded), or null; the run names the agent version
 *        ({@code store.agents(tenant).runs().get(RunId.of(agentRunId))}). Null again once the run is deleted.
 */
public record Message(MessageId id, SessionId sessionId, long seq, Role role, String content, List<Source> sources,
        Duration responseTime, Integer inputTokens, Integer outputTokens, String model, Map<String, Object> metadata,
        Feedback feedback, Instant createdAt, List<ToolCall> toolCalls, String toolCallId, String toolName,
        java.util.UUID agentRunId) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException when an id, the role, the content or the time is null
     */
    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(createdAt, "createdAt");
        sources = sources == null ? List.of() : List.copyOf(sources);
        metadata = Values.copy(metadata);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /**
     * A message no agent run is recorded for (the form before messages named their run).
     *
     * @param id the id
     * @param sessionId the session
     * @param seq the sequence number
     * @param role the role
     * @param content the content
     * @param sources the sources
     * @param responseTime the response time
     * @param inputTokens input tokens used
     * @param outputTokens output tokens used
     * @param model the model name
     * @param metadata the metadata (JSON-compatible values)
     * @param feedback the feedback
     * @param createdAt when it was created
     * @param toolCalls the tool calls
     * @param toolCallId the tool call id
     * @param toolName the tool name
     */
    public Message(MessageId id, SessionId sessionId, long seq, Role role, String content, List<Source> sources,
            Duration responseTime, Integer inputTokens, Integer outputTokens, String model, Map<String, Object> metadata,
            Feedback feedback, Instant createdAt, List<ToolCall> toolCalls, String toolCallId, String toolName) {
        this(id, sessionId, seq, role, content, sources, responseTime, inputTokens, outputTokens, model, metadata, feedback,
                createdAt, toolCalls, toolCallId, toolName, null);
    }

    /**
     * A message without tool calls (the form before tool calls existed).
     *
     * @param id the id
     * @param sessionId the session
     * @param seq the sequence number
     * @param role the role
     * @param content the content
     * @param sources the sources
     * @param responseTime the response time
     * @param inputTokens input tokens used
     * @param outputTokens output tokens used
     * @param model the model name
     * @param metadata the metadata (JSON-compatible values)
     * @param feedback the feedback
     * @param createdAt when it was created
     */
    public Message(MessageId id, SessionId sessionId, long seq, Role role, String content, List<Source> sources,
            Duration responseTime, Integer inputTokens, Integer outputTokens, String model, Map<String, Object> metadata,
            Feedback feedback, Instant createdAt) {
        this(id, sessionId, seq, role, content, sources, responseTime, inputTokens, outputTokens, model, metadata, feedback,
                createdAt, List.of(), null, null, null);
    }

    /**
     * Whether this is a tool result ({@link #toolCallId()} or {@link #toolName()} set).
     *
     * @return whether this is a tool result ({@link #toolCallId()} or {@link #toolName()} set)
     */
    public boolean isToolResult() {
        return toolCallId != null || toolName != null;
    }

    @Override
    public String toString() {
        return "Message[id=" + id + ", sessionId=" + sessionId + ", seq=" + seq + ", role=" + role + ", content=("
                + content.length() + " characters), sources=" + sources.size() + ", responseTime=" + responseTime
                + ", inputTokens=" + inputTokens + ", outputTokens=" + outputTokens + ", model=" + model
                + ", feedback=" + (feedback == null ? null : feedback.rating()) + ", createdAt=" + createdAt
                + ", toolCalls=" + toolCalls + ", toolCallId=" + toolCallId + ", toolName=" + toolName + ", agentRunId=" + agentRunId
                + "]";
    }
}
