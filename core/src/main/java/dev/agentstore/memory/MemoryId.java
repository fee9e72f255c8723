package dev.agentstore.memory;

import dev.agentstore.InvalidInputException;
import java.util.UUID;

/**
 * The id of a semantic memory.
 *
 * @param value the UUID
 */
public record MemoryId(UUID value) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when value is null
     */
    public MemoryId {
        if (value == null) {
            throw new InvalidInputException("memoryId must not be null");
        }
    }

    /**
     * The id with this UUID.
     *
     * @return the id with this UUID
     */
    public static MemoryId of(UUID value) {
        return new MemoryId(value);
    }

    /**
     * The id in its text form.
     *
     * @param text the text
     * @return the id in its text form
     * @throws InvalidInputException when the text is not a UUID
     */
    public static MemoryId parse(String text) {
        try {
            return new MemoryId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidInputException("memoryId must be a UUID, but was " + (text == null ? "null" : "'" + text + "'"));
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
