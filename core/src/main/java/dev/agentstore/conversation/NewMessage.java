package dev.agentstore.conversation;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A message to append with {@link Conversations#addMessage(SessionId, NewMessage)}. Start from
 * {@link #user(String)}, {@link #assistant(String)}, {@link #system(String)} or {@link #tool(String)}
 * and add details with the {@code with…} methods, which return changed copies:
 *
 * <pre>{@code
 * NewMessage.assistant(answer)
 *         .withSources(List.of(Source.of("https://docs.example.com/billing")))
 *         .withResponseTime(Duration.ofMillis(840)).withTokens(512, 128).withModel("gpt-4o")
 * }</pre>
 *
 * <p>Tool use: {@link #assistant(String, List)} is an answer that asks for tool calls (its text may be
 * empty), and {@link #toolResult(String, String, String)} carries one tool's answer back (its text may
 * be empty too). Both round-trip exactly: {@link Message#toolCalls()}, {@link Message#toolCallId()},
 * {@link Message#toolName()}.
 *
 * {@code toString()} never shows the content.
 *
 * @param role who wrote it; not null
 * @param content the text, kept exactly as given; not null, and not blank unless the message carries
 *     tool calls or is a tool result (the length limit is the store's {@code maxMessageLength})
 * @param sources what the answer used; null means none; copied, unmodifiable, no null elements
 * @param responseTime how long the answer took, or null; not negative; stored in whole milliseconds
 * @param inputTokens prompt tokens, or null; not negative
 * @param outputTokens completion tokens, or null; not negative
 * @param model the model name, or null; not blank, at most 200 characters
 * @param metadata JSON-serialisable values (null means empty); copied, unmodifiable
 * @param toolCalls the tool calls an assistant message asks for, in order; null means none; copied,
 *     unmodifiable, at most {@value #MAX_TOOL_CALLS}, only on assistant messages
 * @param toolCallId the id of the call a tool message answers ({@link ToolCall#id()}), or null; only on
 *     tool messages
 * @param toolName the tool a tool message answers for, or null; not blank, only on tool messages
 * @param agentRunId the id of the agent run that produced this message (the value of a {@code RunId} that
 *     {@code Runs.record} returned), or null; only on assistant and tool messages. The database checks it: a run of
 *     another tenant, or none, fails the append with a {@code NotFoundException} and nothing is written. Deleting
 *     the run later (retention, erasure) keeps the message and clears its link.
 */
public record NewMessage(Role role, String content, List<Source> sources, Duration responseTime, Integer inputTokens,
        Integer outputTokens, String model, Map<String, Object> metadata, List<ToolCall> toolCalls, String toolCallId,
        String toolName, UUID agentRunId) {

    /** Most tool calls one assistant message may carry. */
    public static final int MAX_TOOL_CALLS = 1_000;

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when a component is out of its range (see the components)
     */
    public NewMessage {
        Checks.notNull(role, "role");
        toolCalls = ToolCalls.check(role, toolCalls, toolCallId, toolName);
        ToolCalls.checkContent(content, "content", !toolCalls.isEmpty() || toolCallId != null || toolName != null);
        if (sources == null) {
            sources = List.of();
        } else {
            for (int i = 0; i < sources.size(); i++) {
                if (sources.get(i) == null) {
                    throw new InvalidInputException("sources must not contain null, but element " + i + " is null");
                }
            }
            sources = List.copyOf(sources);
        }
        Checks.nonNegative(responseTime, "responseTime");
        if (inputTokens != null) {
            Checks.nonNegative(inputTokens, "inputTokens");
        }
        if (outputTokens != null) {
            Checks.nonNegative(outputTokens, "outputTokens");
        }
        Checks.optionalText(model, "model", Values.MAX_ID_LENGTH);
        metadata = Values.copy(metadata);
        if (agentRunId != null && role != Role.ASSISTANT && role != Role.TOOL) {
            throw new InvalidInputException("agentRunId names the agent run that produced a message, so only assistant and tool"
                    + " messages carry one, but this message's role is " + role.dbValue() + " (run " + agentRunId
                    + "); name the run on the answer instead, or leave it out");
        }
    }

    /**
     * A message that names no agent run (the form before messages named their run).
     *
     * @param role the role
     * @param content the content
     * @param sources the sources
     * @param responseTime the response time
     * @param inputTokens input tokens used
     * @param outputTokens output tokens used
     * @param model the model name
     * @param metadata the metadata (JSON-compatible values)
     * @param toolCalls the tool calls
     * @param toolCallId the tool call id
     * @param toolName the tool name
     */
    public NewMessage(Role role, String content, List<Source> sources, Duration responseTime, Integer inputTokens,
            Integer outputTokens, String model, Map<String, Object> metadata, List<ToolCall> toolCalls, String toolCallId,
            String toolName) {
        this(role, content, sources, responseTime, inputTokens, outputTokens, model, metadata, toolCalls, toolCallId, toolName,
                null);
    }

    /**
     * A message without tool calls (the form before tool calls existed).
     *
     * @param role the role
     * @param content the content
     * @param sources the sources
     * @param responseTime the response time
     * @param inputTokens input tokens used
     * @param outputTokens output tokens used
     * @param model the model name
     * @param metadata the metadata (JSON-compatible values)
     */
    public NewMessage(Role role, String content, List<Source> sources, Duration responseTime, Integer inputTokens,
            Integer outputTokens, String model, Map<String, Object> metadata) {
        this(role, content, sources, responseTime, inputTokens, outputTokens, model, metadata, null, null, null);
    }

    /**
     * A message of this role with nothing but content.
     *
     * @param role the role
     * @param content the content
     * @return a message of this role with nothing but content
     */
    public static NewMessage of(Role role, String content) {
        return new NewMessage(role, content, List.of(), null, null, null, null, Map.of());
    }

    /**
     * An assistant message that asks for tool calls.
     *
     * @param content the text the model wrote besides the calls; not null, may be empty
     * @param toolCalls 1 to {@value #MAX_TOOL_CALLS} calls, in the model's order
     * @return an assistant message that asks for tool calls
     * @throws InvalidInputException when content is null or the list is null, empty, too long or holds null
     */
    public static NewMessage assistant(String content, List<ToolCall> toolCalls) {
        if (toolCalls == null || toolCalls.isEmpty()) {
            throw new InvalidInputException("toolCalls must hold 1 to " + MAX_TOOL_CALLS + " calls, but was "
                    + (toolCalls == null ? "null" : "empty") + "; use assistant(content) for an answer without tool calls");
        }
        return new NewMessage(Role.ASSISTANT, content, List.of(), null, null, null, null, Map.of(), toolCalls, null, null);
    }

    /**
     * A tool message carrying one tool call's result.
     *
     * @param toolCallId the id of the call it answers ({@link ToolCall#id()}), or null when the call had none
     * @param toolName the tool's name, or null; not blank
     * @param content the result as text; not null, may be empty
     * @return a tool message carrying one tool call's result
     * @throws InvalidInputException when content is null, both toolCallId and toolName are null, or one is out of range
     */
    public static NewMessage toolResult(String toolCallId, String toolName, String content) {
        if (toolCallId == null && toolName == null) {
            throw new InvalidInputException("a tool result needs toolCallId or toolName (or both), but both were null;"
                    + " use tool(content) for a tool message that answers no particular call");
        }
        return new NewMessage(Role.TOOL, content, List.of(), null, null, null, null, Map.of(), null, toolCallId, toolName);
    }

    /**
     * A user message.
     *
     * @param content the content
     * @return a user message
     */
    public static NewMessage user(String content) {
        return of(Role.USER, content);
    }

    /**
     * An assistant message (an answer).
     *
     * @param content the content
     * @return an assistant message (an answer)
     */
    public static NewMessage assistant(String content) {
        return of(Role.ASSISTANT, content);
    }

    /**
     * A system message.
     *
     * @param content the content
     * @return a system message
     */
    public static NewMessage system(String content) {
        return of(Role.SYSTEM, content);
    }

    /**
     * A tool message.
     *
     * @param content the content
     * @return a tool message
     */
    public static NewMessage tool(String content) {
        return of(Role.TOOL, content);
    }

    /**
     * A copy with these sources.
     *
     * @param newSources the new sources
     * @return a copy with these sources
     */
    public NewMessage withSources(List<Source> newSources) {
        return new NewMessage(role, content, newSources, responseTime, inputTokens, outputTokens, model, metadata, toolCalls,
                toolCallId, toolName, agentRunId);
    }

    /**
     * A copy with this response time.
     *
     * @param newResponseTime the new response time
     * @return a copy with this response time
     */
    public NewMessage withResponseTime(Duration newResponseTime) {
        return new NewMessage(role, content, sources, newResponseTime, inputTokens, outputTokens, model, metadata, toolCalls,
                toolCallId, toolName, agentRunId);
    }

    /**
     * A copy with these token counts.
     *
     * @param input the input
     * @param output the output
     * @return a copy with these token counts
     */
    public NewMessage withTokens(int input, int output) {
        return new NewMessage(role, content, sources, responseTime, input, output, model, metadata, toolCalls, toolCallId,
                toolName, agentRunId);
    }

    /**
     * A copy with this model name.
     *
     * @param newModel the new model
     * @return a copy with this model name
     */
    public NewMessage withModel(String newModel) {
        return new NewMessage(role, content, sources, responseTime, inputTokens, outputTokens, newModel, metadata, toolCalls,
                toolCallId, toolName, agentRunId);
    }

    /**
     * A copy with this metadata.
     *
     * @param newMetadata the new metadata (replaces the old)
     * @return a copy with this metadata
     */
    public NewMessage withMetadata(Map<String, ?> newMetadata) {
        return new NewMessage(role, content, sources, responseTime, inputTokens, outputTokens, model, Values.copy(newMetadata),
                toolCalls, toolCallId, toolName, agentRunId);
    }

    /**
     * A copy that names the agent run that produced it.
     *
     * @param runId the value of the run's {@code RunId} ({@code runId.value()}), or null for none
     * @return a copy that names the agent run that produced it
     * @throws InvalidInputException when this is neither an assistant nor a tool message
     */
    public NewMessage withAgentRun(UUID runId) {
        return new NewMessage(role, content, sources, responseTime, inputTokens, outputTokens, model, metadata, toolCalls,
                toolCallId, toolName, runId);
    }

    @Override
    public String toString() {
        return "NewMessage[role=" + role + ", content=(" + content.length() + " characters), sources=" + sources.size()
                + ", responseTime=" + responseTime + ", inputTokens=" + inputTokens + ", outputTokens=" + outputTokens
                + ", model=" + model + ", toolCalls=" + toolCalls + ", toolCallId=" + toolCallId + ", toolName=" + toolName
                + ", agentRunId=" + agentRunId + "]";
    }
}
