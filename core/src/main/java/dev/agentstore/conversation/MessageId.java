package dev.agentstore.conversation;

import dev.agentstore.InvalidInputException;
import java.util.UUID;

/**
 * The id of a conversation message.
 *
 * @param value the UUID
 */
public record MessageId(UUID value) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when value is null
     */
    public MessageId {
        if (value == null) {
            throw new InvalidInputException("messageId must not be null");
        }
    }

    /**
     * The id with this UUID.
     *
     * @return the id with this UUID
     */
    public static MessageId of(UUID value) {
        return new MessageId(value);
    }

    /**
     * The id in its text form.
     *
     * @param text the text
     * @return the id in its text form
     * @throws InvalidInputException when the text is not a UUID
     */
    public static MessageId parse(String text) {
        try {
            return new MessageId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidInputException("messageId must be a UUID, but was " + (text == null ? "null" : "'" + text + "'"));
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
