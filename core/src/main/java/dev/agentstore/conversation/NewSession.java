package dev.agentstore.conversation;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;
import java.util.Map;

/**
 * What {@link Conversations#open(NewSession)} needs to open a session. Every component is optional;
 * the {@code with…} methods return changed copies:
 *
 * <pre>{@code
 * NewSession.create().withUser("alice").withAgent("support-bot").withTitle("Billing question")
 * }</pre>
 *
 * @param userId the user the session belongs to, or null; not blank, at most 200 characters
 * @param agentId the agent answering in it, or null; not blank, at most 200 characters
 * @param title a title, or null; not blank, at most 1,000 characters
 * @param metadata JSON-serialisable values (null means empty); copied, unmodifiable
 */
public record NewSession(String userId, String agentId, String title, Map<String, Object> metadata) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when a text is blank or too long
     */
    public NewSession {
        Checks.optionalText(userId, "userId", Values.MAX_ID_LENGTH);
        Checks.optionalText(agentId, "agentId", Values.MAX_ID_LENGTH);
        Checks.optionalText(title, "title", Values.MAX_TITLE_LENGTH);
        metadata = Values.copy(metadata);
    }

    /**
     * A session with no user, agent, title or metadata.
     *
     * @return a session with no user, agent, title or metadata
     */
    public static NewSession create() {
        return new NewSession(null, null, null, Map.of());
    }

    /**
     * A session of this user with this agent (either may be null).
     *
     * @param userId the user id
     * @param agentId the agent id
     * @return a session of this user with this agent (either may be null)
     */
    public static NewSession of(String userId, String agentId) {
        return new NewSession(userId, agentId, null, Map.of());
    }

    /**
     * A copy with this user id.
     *
     * @param user the user id
     * @return a copy with this user id
     */
    public NewSession withUser(String user) {
        return new NewSession(user, agentId, title, metadata);
    }

    /**
     * A copy with this agent id.
     *
     * @param agent the agent
     * @return a copy with this agent id
     */
    public NewSession withAgent(String agent) {
        return new NewSession(userId, agent, title, metadata);
    }

    /**
     * A copy with this title.
     *
     * @param newTitle the new title
     * @return a copy with this title
     */
    public NewSession withTitle(String newTitle) {
        return new NewSession(userId, agentId, newTitle, metadata);
    }

    /**
     * A copy with this metadata.
     *
     * @param newMetadata the new metadata (replaces the old)
     * @return a copy with this metadata
     */
    public NewSession withMetadata(Map<String, ?> newMetadata) {
        return new NewSession(userId, agentId, title, Values.copy(newMetadata));
    }
}
