package dev.agentstore.conversation;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One session of existing history for {@link ConversationHistory#importSessions(Iterable)}: the host's key
 * for it, who it belongs to, and its messages in the order they were written.
 *
 * <pre>{@code
 * ImportedSession.of("agno:5f1c...", NewSession.of("alice", "support-bot"), List.of(
 *         HistoricMessage.of(NewMessage.user("Hi"), t1),
 *         HistoricMessage.of(NewMessage.assistant("Hello!"), t2)))
 * }</pre>
 *
 * @param hostKey the host's own id of the session, unique per tenant; see {@link ConversationHistory#MAX_HOST_KEY_LENGTH}
 * @param session user, agent, title and metadata; not null
 * @param createdAt when the session was opened, or null for the time of its first message (or the
 *                  import's "now" when it has none)
 * @param messages the messages, oldest first (timestamps must not decrease); copied; may be empty
 */
public record ImportedSession(String hostKey, NewSession session, Instant createdAt, List<HistoricMessage> messages) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when the host key is invalid, session or messages is null, or a message is null
     */
    public ImportedSession {
        ConversationHistory.checkHostKey(hostKey);
        Checks.notNull(session, "session");
        Checks.notNull(messages, "messages");
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) == null) {
                throw new InvalidInputException("messages of imported session '" + hostKey + "' must not contain null, but element "
                        + i + " is null");
            }
        }
        messages = List.copyOf(messages);
        createdAt = createdAt == null ? null : createdAt.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * A session with these messages, opened at its first message.
     *
     * @param hostKey the host's key
     * @param session the session
     * @param messages the messages
     * @return a session with these messages, opened at its first message
     */
    public static ImportedSession of(String hostKey, NewSession session, List<HistoricMessage> messages) {
        return new ImportedSession(hostKey, session, null, messages);
    }

    /**
     * A copy opened at this instant.
     *
     * @param at when
     * @return a copy opened at this instant
     */
    public ImportedSession withCreatedAt(Instant at) {
        return new ImportedSession(hostKey, session, at, messages);
    }
}
