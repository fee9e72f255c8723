package dev.agentstore.conversation;

import dev.agentstore.InvalidInputException;
import java.util.UUID;

/**
 * The id of a conversation session.
 *
 * @param value the UUID
 */
public record SessionId(UUID value) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when value is null
     */
    public SessionId {
        if (value == null) {
            throw new InvalidInputException("sessionId must not be null");
        }
    }

    /**
     * The id with this UUID.
     *
     * @return the id with this UUID
     */
    public static SessionId of(UUID value) {
        return new SessionId(value);
    }

    /**
     * The id in its text form.
     *
     * @param text the text
     * @return the id in its text form
     * @throws InvalidInputException when the text is not a UUID
     */
    public static SessionId parse(String text) {
        try {
            return new SessionId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidInputException("sessionId must be a UUID, but was " + (text == null ? "null" : "'" + text + "'"));
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
