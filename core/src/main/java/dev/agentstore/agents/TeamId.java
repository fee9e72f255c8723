package dev.agentstore.agents;

import dev.agentstore.InvalidInputException;

/**
 * The id of a team of agents, e.g. {@code "support-desk"}.
 *
 * @param value 1 to {@value #MAX_LENGTH} characters, not blank, no control characters
 */
public record TeamId(String value) {

    /** The longest team id accepted. */
    public static final int MAX_LENGTH = 200;

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when the value is null, blank, too long or has control characters
     */
    public TeamId {
        Ids.check(value, "teamId", MAX_LENGTH);
    }

    /**
     * The team with this id.
     *
     * @return the team with this id
     * @throws InvalidInputException when the value is null, blank, too long or has control characters
     */
    public static TeamId of(String value) {
        return new TeamId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
