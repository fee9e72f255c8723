package dev.agentstore.document;

import dev.agentstore.InvalidInputException;
import java.util.UUID;

/**
 * The id of a knowledge base.
 *
 * @param value the UUID
 */
public record KnowledgeBaseId(UUID value) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when value is null
     */
    public KnowledgeBaseId {
        if (value == null) {
            throw new InvalidInputException("knowledgeBaseId must not be null");
        }
    }

    /**
     * The id with this UUID.
     *
     * @return the id with this UUID
     */
    public static KnowledgeBaseId of(UUID value) {
        return new KnowledgeBaseId(value);
    }

    /**
     * The id in its text form.
     *
     * @param text the text
     * @return the id in its text form
     * @throws InvalidInputException when the text is not a UUID
     */
    public static KnowledgeBaseId parse(String text) {
        try {
            return new KnowledgeBaseId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidInputException("knowledgeBaseId must be a UUID, but was " + (text == null ? "null" : "'" + text + "'"));
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
