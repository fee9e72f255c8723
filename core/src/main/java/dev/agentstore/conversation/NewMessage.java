package dev.agentstore.conversation;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
 * {@code toString()} never shows the content.
 *
 * @param role who wrote it; not null
 * @param content the text; not blank (the length limit is the store's {@code maxMessageLength})
 * @param sources what the answer used; null means none; copied, unmodifiable, no null elements
 * @param responseTime how long the answer took, or null; not negative; stored in whole milliseconds
 * @param inputTokens prompt tokens, or null; not negative
 * @param outputTokens completion tokens, or null; not negative
 * @param model the model name, or null; not blank, at most 200 characters
 * @param metadata JSON-serialisable values (null means empty); copied, unmodifiable
 */
public record NewMessage(Role role, String content, List<Source> sources, Duration responseTime, Integer inputTokens,
        Integer outputTokens, String model, Map<String, Object> metadata) {

    /** @throws InvalidInputException when a component is out of its range (see the components) */
    public NewMessage {
        Checks.notNull(role, "role");
        Checks.notBlank(content, "content");
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
    }

    /** A message of this role with nothing but content. */
    public static NewMessage of(Role role, String content) {
        return new NewMessage(role, content, List.of(), null, null, null, null, Map.of());
    }

    /** A user message. */
    public static NewMessage user(String content) {
        return of(Role.USER, content);
    }

    /** An assistant message (an answer). */
    public static NewMessage assistant(String content) {
        return of(Role.ASSISTANT, content);
    }

    /** A system message. */
    public static NewMessage system(String content) {
        return of(Role.SYSTEM, content);
    }

    /** A tool message. */
    public static NewMessage tool(String content) {
        return of(Role.TOOL, content);
    }

    /** A copy with these sources. */
    public NewMessage withSources(List<Source> newSources) {
        return new NewMessage(role, content, newSources, responseTime, inputTokens, outputTokens, model, metadata);
    }

    /** A copy with this response time. */
    public NewMessage withResponseTime(Duration newResponseTime) {
        return new NewMessage(role, content, sources, newResponseTime, inputTokens, outputTokens, model, metadata);
    }

    /** A copy with these token counts. */
    public NewMessage withTokens(int input, int output) {
        return new NewMessage(role, content, sources, responseTime, input, output, model, metadata);
    }

    /** A copy with this model name. */
    public NewMessage withModel(String newModel) {
        return new NewMessage(role, content, sources, responseTime, inputTokens, outputTokens, newModel, metadata);
    }

    /** A copy with this metadata. */
    public NewMessage withMetadata(Map<String, ?> newMetadata) {
        return new NewMessage(role, content, sources, responseTime, inputTokens, outputTokens, model, Values.copy(newMetadata));
    }

    @Override
    public String toString() {
        return "NewMessage[role=" + role + ", content=(" + content.length() + " characters), sources=" + sources.size()
                + ", responseTime=" + responseTime + ", inputTokens=" + inputTokens + ", outputTokens=" + outputTokens
                + ", model=" + model + "]";
    }
}
