package dev.agentstore.conversation;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A message of existing history: what was said ({@link NewMessage}), when it was said, and the id it
 * already has, if any. Used by {@link ConversationHistory#append(SessionId, java.util.List)} and by
 * {@link ImportedSession}.
 *
 * <pre>{@code
 * HistoricMessage.of(NewMessage.user("Hi"), Instant.parse("2025-06-01T09:30:00Z"))
 *         .withId(MessageId.of(uuidFromTheOldSystem))
 * }</pre>
 *
 * @param id the id to store it under, or null to let agentstore choose (an import then derives it from
 *           the session's host key and the message's position, so that a re-run finds it again)
 * @param message role, content and the other details; not null
 * @param createdAt when it was originally written; not null, stored at microsecond precision
 */
public record HistoricMessage(MessageId id, NewMessage message, Instant createdAt) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when message or createdAt is null
     */
    public HistoricMessage {
        Checks.notNull(message, "message");
        Checks.notNull(createdAt, "createdAt");
        createdAt = createdAt.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * A message written at this instant, without an id of its own.
     *
     * @param message the message
     * @param createdAt when it was created
     * @return a message written at this instant, without an id of its own
     */
    public static HistoricMessage of(NewMessage message, Instant createdAt) {
        return new HistoricMessage(null, message, createdAt);
    }

    /**
     * A copy with this id.
     *
     * @param newId the new id
     * @return a copy with this id
     */
    public HistoricMessage withId(MessageId newId) {
        return new HistoricMessage(newId, message, createdAt);
    }
}
