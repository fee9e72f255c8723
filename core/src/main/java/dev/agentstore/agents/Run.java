package dev.agentstore.agents;

import dev.agentstore.conversation.MessageId;
import dev.agentstore.conversation.SessionId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A recorded run, as stored.
 *
 * @param id the run id
 * @param agentVersion the agent version that ran
 * @param session the session, or null
 * @param answering the message it answered, or null
 * @param input what the agent was asked, or null
 * @param output what it answered, or null
 * @param startedAt when it started
 * @param duration how long it took (whole milliseconds)
 * @param inputTokens input tokens, or null
 * @param outputTokens output tokens, or null
 * @param cost what it cost, or null
 * @param outcome success or error
 * @param errorMessage what went wrong, or null
 * @param retrievedChunks the chunks it retrieved, best first
 * @param toolCalls the tool calls, in call order
 * @param routing how it was routed, or null
 * @param qualityScore its quality score (0 to 1), or null
 * @param feedback the user's feedback, or null
 * @param metadata JSON metadata
 * @param userId the user it ran for, or null
 */
public record Run(RunId id, AgentVersionId agentVersion, SessionId session, MessageId answering, String input, String output,
        Instant startedAt, Duration duration, Integer inputTokens, Integer outputTokens, BigDecimal cost, RunOutcome outcome,
        String errorMessage, List<RetrievedChunk> retrievedChunks, List<ToolCall> toolCalls, RoutingDecision routing,
        Double qualityScore, RunFeedback feedback, Map<String, Object> metadata, String userId) {

    /** Copies the lists and the map. */
    public Run {
        retrievedChunks = List.copyOf(retrievedChunks);
        toolCalls = List.copyOf(toolCalls);
        metadata = Maps.copy(metadata);
    }

    /** Never shows input, output or error message (they may hold personal data). */
    @Override
    public String toString() {
        return "Run[" + id + ", " + agentVersion + ", startedAt=" + startedAt + ", duration=" + duration + ", " + outcome
                + ", " + retrievedChunks.size() + " chunks, " + toolCalls.size() + " tool calls]";
    }
}
