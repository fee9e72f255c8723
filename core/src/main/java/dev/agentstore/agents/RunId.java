package dev.agentstore.agents;

import dev.agentstore.InvalidInputException;
import java.util.UUID;

/**
 * The id of a recorded run.
 *
 * @param value the UUID
 */
public record RunId(UUID value) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when value is null
     */
    public RunId {
        if (value == null) {
            throw new InvalidInputException("runId must not be null");
        }
    }

    /**
     * The id with this UUID.
     *
     * @return the id with this UUID
     */
    public static RunId of(UUID value) {
        return new RunId(value);
    }

    /**
     * The id in its text form.
     *
     * @param text the text
     * @return the id in its text form
     * @throws InvalidInputException when the text is not a UUID
     */
    public static RunId parse(String text) {
        try {
            return new RunId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidInputException("runId must be a UUID, but was " + (text == null ? "null" : "'" + text + "'"));
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
