package dev.agentstore.agents;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;
import java.time.Duration;
import java.util.Map;

/**
 * A tool call a run made: the tool, its arguments, how big the result was, how long it took and how
 * it ended. The call order is its position in {@link NewRun#toolCalls()}.
 *
 * @param tool the tool name; 1 to 200 characters
 * @param arguments the arguments as JSON-compatible values; unmodifiable, never null
 * @param resultSize the size of the result (e.g. characters or bytes, as the host counts), or null
 * @param latency how long the call took; not negative, stored in whole milliseconds
 * @param outcome how it ended; not null
 * @param errorMessage what went wrong, or null
 */
public record ToolCall(String tool, Map<String, Object> arguments, Integer resultSize, Duration latency, ToolOutcome outcome,
        String errorMessage) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when a component is null or out of range
     */
    public ToolCall {
        Ids.check(tool, "tool", Ids.MAX_NAME_LENGTH);
        arguments = Maps.copy(arguments);
        if (resultSize != null && resultSize < 0) {
            throw new InvalidInputException("resultSize of tool call '" + tool + "' must not be negative, but was " + resultSize);
        }
        Checks.notNull(latency, "latency of tool call '" + tool + "'");
        Checks.nonNegative(latency, "latency of tool call '" + tool + "'");
        Checks.notNull(outcome, "outcome of tool call '" + tool + "'");
        Checks.optionalText(errorMessage, "errorMessage of tool call '" + tool + "'", Ids.MAX_NOTE_LENGTH);
    }

    /**
     * A call that returned a result of this size.
     *
     * @param tool the tool name
     * @param arguments the arguments
     * @param resultSize the number of results
     * @param latency the latency
     * @return a call that returned a result of this size
     */
    public static ToolCall succeeded(String tool, Map<String, ?> arguments, int resultSize, Duration latency) {
        return new ToolCall(tool, Maps.copy(arguments), resultSize, latency, ToolOutcome.SUCCESS, null);
    }

    /**
     * A call that failed (or timed out) with this message.
     *
     * @param tool the tool name
     * @param arguments the arguments
     * @param latency the latency
     * @param outcome the outcome
     * @param errorMessage the error message
     * @return a call that failed (or timed out) with this message
     */
    public static ToolCall failed(String tool, Map<String, ?> arguments, Duration latency, ToolOutcome outcome,
            String errorMessage) {
        if (outcome == ToolOutcome.SUCCESS) {
            throw new InvalidInputException("a failed tool call has outcome ERROR or TIMEOUT, but was SUCCESS; use ToolCall.succeeded");
        }
        return new ToolCall(tool, Maps.copy(arguments), null, latency, outcome, errorMessage);
    }
}
