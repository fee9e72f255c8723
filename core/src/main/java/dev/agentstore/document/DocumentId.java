package dev.agentstore.document;

import dev.agentstore.InvalidInputException;
import java.util.UUID;

/**
 * The id of a document.
 *
 * @param value the UUID
 */
public record DocumentId(UUID value) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when value is null
     */
    public DocumentId {
        if (value == null) {
            throw new InvalidInputException("documentId must not be null");
        }
    }

    /**
     * The id with this UUID.
     *
     * @return the id with this UUID
     */
    public static DocumentId of(UUID value) {
        return new DocumentId(value);
    }

    /**
     * The id in its text form.
     *
     * @param text the text
     * @return the id in its text form
     * @throws InvalidInputException when the text is not a UUID
     */
    public static DocumentId parse(String text) {
        try {
            return new DocumentId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidInputException("documentId must be a UUID, but was " + (text == null ? "null" : "'" + text + "'"));
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
