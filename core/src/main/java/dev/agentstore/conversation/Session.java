package dev.agentstore.conversation;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A conversation session as stored.
 *
 * @param id its id
 * @param userId the user, or null
 * @param agentId the agent, or null
 * @param title the title, or null
 * @param metadata JSON metadata; unmodifiable, never null
 * @param messageCount how many messages it holds: those appended, less those message-level retention deleted
 *        ({@code ConversationHistory.deleteMessagesBefore}); the last sequence number when none was deleted
 * @param lastActivityAt when the last message was appended (or the session opened)
 * @param createdAt when the session was opened
 */
public record Session(SessionId id, String userId, String agentId, String title, Map<String, Object> metadata,
        long messageCount, Instant lastActivityAt, Instant createdAt) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException when id or a time is null
     */
    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(lastActivityAt, "lastActivityAt");
        Objects.requireNonNull(createdAt, "createdAt");
        metadata = Values.copy(metadata);
    }

    /**
     * The cursor that continues a listing after this session.
     *
     * @return the cursor that continues a listing after this session
     */
    public SessionCursor cursor() {
        return new SessionCursor(lastActivityAt, id);
    }
}
