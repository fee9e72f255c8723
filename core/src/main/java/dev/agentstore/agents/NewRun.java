package dev.agentstore.agents;

import dev.agentstore.InvalidInputException;
import dev.agentstore.conversation.MessageId;
import dev.agentstore.conversation.SessionId;
import dev.agentstore.internal.Checks;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One run of one agent version, to record ({@link Runs#record(NewRun)}).
 *
 * <pre>{@code
 * RunId run = agents.runs().record(NewRun.succeeded(version.id(), started, took)
 *         .forUser("alice").inSession(session.id()).answering(question.id()).producing(answer.id())
 *         .withInput(question.content()).withOutput(answer.content())
 *         .withTokens(812, 96).withCost(new BigDecimal("0.0031"))
 *         .withRetrievedChunks(chunks).withToolCalls(calls));
 * }</pre>
 *
 * @param agentVersion the agent version that ran; not null
 * @param session the conversation session, or null; the run is deleted with the session
 * @param answering the message the run answered (typically the user's), or null; the run is deleted with it
 * @param producing the message the run produced (typically the assistant's answer), or null; it then names the run
 * @param input what the agent was asked, or null
 * @param output what it answered, or null
 * @param startedAt when it started; not null, years 1 to 9999
 * @param duration how long it took; not negative, stored in whole milliseconds
 * @param inputTokens input tokens, or null; not negative
 * @param outputTokens output tokens, or null; not negative
 * @param cost what it cost (in the host's currency), or null; not negative, at most 10 decimal places kept
 * @param success whether it produced an answer
 * @param errorMessage what went wrong; required when not successful, else null
 * @param retrievedChunks the chunks retrieved, best first; unmodifiable
 * @param toolCalls the tool calls, in call order; unmodifiable
 * @param routing how the run was routed to this agent, or null
 * @param qualityScore a quality score known at once (0 to 1), or null; also settable later
 * @param metadata JSON metadata; unmodifiable, never null
 * @param userId the user the run ran for, or null; erasing the user ({@code eraseUser}) deletes the run, in a
 *        session or not; not blank, at most {@value #MAX_USER_ID_LENGTH} characters
 */
public record NewRun(AgentVersionId agentVersion, SessionId session, MessageId answering, MessageId producing, String input,
        String output, Instant startedAt, Duration duration, Integer inputTokens, Integer outputTokens, BigDecimal cost,
        boolean success, String errorMessage, List<RetrievedChunk> retrievedChunks, List<ToolCall> toolCalls,
        RoutingDecision routing, Double qualityScore, Map<String, Object> metadata, String userId) {

    /** Longest user id. */
    public static final int MAX_USER_ID_LENGTH = 200;

    /** Most retrieved chunks recorded per run. */
    public static final int MAX_CHUNKS = 1_000;
    /** Most tool calls recorded per run. */
    public static final int MAX_TOOL_CALLS = 1_000;
    private static final BigDecimal MAX_COST = new BigDecimal("9999999999");

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when a component is null or out of range
     */
    public NewRun {
        Checks.notNull(agentVersion, "agentVersion");
        Checks.optionalText(input, "input", Ids.MAX_TEXT_LENGTH);
        Checks.optionalText(output, "output", Ids.MAX_TEXT_LENGTH);
        Checks.notNull(startedAt, "startedAt");
        Checks.notNull(duration, "duration");
        Checks.nonNegative(duration, "duration");
        if (inputTokens != null) {
            Checks.nonNegative(inputTokens, "inputTokens");
        }
        if (outputTokens != null) {
            Checks.nonNegative(outputTokens, "outputTokens");
        }
        if (cost != null && (cost.signum() < 0 || cost.compareTo(MAX_COST) > 0)) {
            throw new InvalidInputException("cost must be between 0 and " + MAX_COST + ", but was " + cost.toPlainString());
        }
        if (success && errorMessage != null) {
            throw new InvalidInputException("a successful run has no errorMessage; use NewRun.failed(...) for a failed run");
        }
        if (!success) {
            Checks.notBlank(errorMessage, "errorMessage of a failed run");
        }
        Checks.optionalText(errorMessage, "errorMessage", Ids.MAX_NOTE_LENGTH);
        retrievedChunks = limited(retrievedChunks, "retrievedChunks", MAX_CHUNKS);
        toolCalls = limited(toolCalls, "toolCalls", MAX_TOOL_CALLS);
        if (qualityScore != null) {
            Checks.range(qualityScore, 0, 1, "qualityScore");
        }
        metadata = Maps.copy(metadata);
        Checks.optionalText(userId, "userId", MAX_USER_ID_LENGTH);
    }

    /**
     * A run without a user (the form before runs had one).
     *
     * @param agentVersion the agent version
     * @param session the session
     * @param answering the message it answers
     * @param producing the message it produced
     * @param input the input
     * @param output the output
     * @param startedAt when the run started
     * @param duration how long it took
     * @param inputTokens input tokens used
     * @param outputTokens output tokens used
     * @param cost the cost
     * @param success whether it succeeded
     * @param errorMessage the error message
     * @param retrievedChunks the chunks it retrieved
     * @param toolCalls the tool calls
     * @param routing the routing decision
     * @param qualityScore the quality score
     * @param metadata the metadata (JSON-compatible values)
     * @throws InvalidInputException as the canonical constructor
     */
    public NewRun(AgentVersionId agentVersion, SessionId session, MessageId answering, MessageId producing, String input,
            String output, Instant startedAt, Duration duration, Integer inputTokens, Integer outputTokens, BigDecimal cost,
            boolean success, String errorMessage, List<RetrievedChunk> retrievedChunks, List<ToolCall> toolCalls,
            RoutingDecision routing, Double qualityScore, Map<String, Object> metadata) {
        this(agentVersion, session, answering, producing, input, output, startedAt, duration, inputTokens, outputTokens, cost,
                success, errorMessage, retrievedChunks, toolCalls, routing, qualityScore, metadata, null);
    }

    private static <T> List<T> limited(List<T> list, String name, int max) {
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
     * A successful run of this version.
     *
     * @param agentVersion the agent version
     * @param startedAt when the run started
     * @param duration how long it took
     * @return a successful run of this version
     * @throws InvalidInputException when an argument is null or the duration negative
     */
    public static NewRun succeeded(AgentVersionId agentVersion, Instant startedAt, Duration duration) {
        return new NewRun(agentVersion, null, null, null, null, null, startedAt, duration, null, null, null, true, null,
                List.of(), List.of(), null, null, Map.of(), null);
    }

    /**
     * A failed run of this version.
     *
     * @param errorMessage what went wrong; not blank
     * @param agentVersion the agent version
     * @param startedAt when the run started
     * @param duration how long it took
     * @return a failed run of this version
     * @throws InvalidInputException when an argument is null or the duration negative
     */
    public static NewRun failed(AgentVersionId agentVersion, Instant startedAt, Duration duration, String errorMessage) {
        return new NewRun(agentVersion, null, null, null, null, null, startedAt, duration, null, null, null, false,
                errorMessage, List.of(), List.of(), null, null, Map.of(), null);
    }

    /**
     * A copy in this session.
     *
     * @param newSession the new session
     * @return a copy in this session
     */
    public NewRun inSession(SessionId newSession) {
        return new NewRun(agentVersion, newSession, answering, producing, input, output, startedAt, duration, inputTokens,
                outputTokens, cost, success, errorMessage, retrievedChunks, toolCalls, routing, qualityScore, metadata, userId);
    }

    /**
     * A copy answering this message.
     *
     * @param message the message
     * @return a copy answering this message
     */
    public NewRun answering(MessageId message) {
        return new NewRun(agentVersion, session, message, producing, input, output, startedAt, duration, inputTokens,
                outputTokens, cost, success, errorMessage, retrievedChunks, toolCalls, routing, qualityScore, metadata, userId);
    }

    /**
     * A copy that produced this message (the message then names the run).
     *
     * @param message the message
     * @return a copy that produced this message (the message then names the run)
     */
    public NewRun producing(MessageId message) {
        return new NewRun(agentVersion, session, answering, message, input, output, startedAt, duration, inputTokens,
                outputTokens, cost, success, errorMessage, retrievedChunks, toolCalls, routing, qualityScore, metadata, userId);
    }

    /**
     * A copy with this input.
     *
     * @param newInput the new input
     * @return a copy with this input
     */
    public NewRun withInput(String newInput) {
        return new NewRun(agentVersion, session, answering, producing, newInput, output, startedAt, duration, inputTokens,
                outputTokens, cost, success, errorMessage, retrievedChunks, toolCalls, routing, qualityScore, metadata, userId);
    }

    /**
     * A copy with this output.
     *
     * @param newOutput the new output
     * @return a copy with this output
     */
    public NewRun withOutput(String newOutput) {
        return new NewRun(agentVersion, session, answering, producing, input, newOutput, startedAt, duration, inputTokens,
                outputTokens, cost, success, errorMessage, retrievedChunks, toolCalls, routing, qualityScore, metadata, userId);
    }

    /**
     * A copy with these token counts.
     *
     * @param newInputTokens the new input tokens
     * @param newOutputTokens the new output tokens
     * @return a copy with these token counts
     */
    public NewRun withTokens(int newInputTokens, int newOutputTokens) {
        return new NewRun(agentVersion, session, answering, producing, input, output, startedAt, duration, newInputTokens,
                newOutputTokens, cost, success, errorMessage, retrievedChunks, toolCalls, routing, qualityScore, metadata, userId);
    }

    /**
     * A copy with this cost.
     *
     * @param newCost the new cost
     * @return a copy with this cost
     */
    public NewRun withCost(BigDecimal newCost) {
        return new NewRun(agentVersion, session, answering, producing, input, output, startedAt, duration, inputTokens,
                outputTokens, newCost, success, errorMessage, retrievedChunks, toolCalls, routing, qualityScore, metadata, userId);
    }

    /**
     * A copy with these retrieved chunks, best first.
     *
     * @param chunks the chunks, in order
     * @return a copy with these retrieved chunks, best first
     */
    public NewRun withRetrievedChunks(List<RetrievedChunk> chunks) {
        return new NewRun(agentVersion, session, answering, producing, input, output, startedAt, duration, inputTokens,
                outputTokens, cost, success, errorMessage, chunks, toolCalls, routing, qualityScore, metadata, userId);
    }

    /**
     * A copy with these tool calls, in call order.
     *
     * @param calls the number of calls
     * @return a copy with these tool calls, in call order
     */
    public NewRun withToolCalls(List<ToolCall> calls) {
        return new NewRun(agentVersion, session, answering, producing, input, output, startedAt, duration, inputTokens,
                outputTokens, cost, success, errorMessage, retrievedChunks, calls, routing, qualityScore, metadata, userId);
    }

    /**
     * A copy with this routing decision.
     *
     * @param decision the routing decision
     * @return a copy with this routing decision
     */
    public NewRun withRouting(RoutingDecision decision) {
        return new NewRun(agentVersion, session, answering, producing, input, output, startedAt, duration, inputTokens,
                outputTokens, cost, success, errorMessage, retrievedChunks, toolCalls, decision, qualityScore, metadata, userId);
    }

    /**
     * A copy with this quality score (0 to 1).
     *
     * @param score the score
     * @return a copy with this quality score (0 to 1)
     */
    public NewRun withQualityScore(double score) {
        return new NewRun(agentVersion, session, answering, producing, input, output, startedAt, duration, inputTokens,
                outputTokens, cost, success, errorMessage, retrievedChunks, toolCalls, routing, score, metadata, userId);
    }

    /**
     * A copy with this metadata.
     *
     * @param newMetadata the new metadata (replaces the old)
     * @return a copy with this metadata
     */
    public NewRun withMetadata(Map<String, ?> newMetadata) {
        return new NewRun(agentVersion, session, answering, producing, input, output, startedAt, duration, inputTokens,
                outputTokens, cost, success, errorMessage, retrievedChunks, toolCalls, routing, qualityScore,
                Maps.copy(newMetadata), userId);
    }

    /**
     * A copy run for this user (null for none).
     *
     * @param newUserId the new user id
     * @return a copy run for this user (null for none)
     */
    public NewRun forUser(String newUserId) {
        return new NewRun(agentVersion, session, answering, producing, input, output, startedAt, duration, inputTokens,
                outputTokens, cost, success, errorMessage, retrievedChunks, toolCalls, routing, qualityScore, metadata,
                newUserId);
    }

    /** Never shows input, output or error message (they may hold personal data). */
    @Override
    public String toString() {
        return "NewRun[" + agentVersion + ", startedAt=" + startedAt + ", duration=" + duration + ", success=" + success
                + ", " + retrievedChunks.size() + " chunks, " + toolCalls.size() + " tool calls]";
    }
}
