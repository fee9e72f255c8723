package dev.agentstore.document;

import dev.agentstore.InvalidInputException;
import java.util.UUID;

/**
 * The id of a chunk (one distinct text of a knowledge base).
 *
 * @param value the UUID
 */
public record ChunkId(UUID value) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when value is null
     */
    public ChunkId {
        if (value == null) {
            throw new InvalidInputException("chunkId must not be null");
        }
    }

    /**
     * The id with this UUID.
     *
     * @return the id with this UUID
     */
    public static ChunkId of(UUID value) {
        return new ChunkId(value);
    }

    /**
     * The id in its text form.
     *
     * @param text the text
     * @return the id in its text form
     * @throws InvalidInputException when the text is not a UUID
     */
    public static ChunkId parse(String text) {
        try {
            return new ChunkId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidInputException("chunkId must be a UUID, but was " + (text == null ? "null" : "'" + text + "'"));
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
