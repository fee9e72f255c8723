package dev.agentstore.agents;

import dev.agentstore.InvalidInputException;

/** Checks shared by the text ids and the value types of this package. */
final class Ids {

    /** Longest model provider, model name, tool name, role or router name. */
    static final int MAX_NAME_LENGTH = 200;
    /** Longest display name, description, change note, error message or feedback comment. */
    static final int MAX_NOTE_LENGTH = 10_000;
    /** Longest system prompt, run input or run output (characters). */
    static final int MAX_TEXT_LENGTH = 1_000_000;

    private Ids() {
    }

    static String check(String value, String name, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(name + " must not be " + (value == null ? "null" : "blank"));
        }
        if (value.length() > max) {
            throw new InvalidInputException(name + " must be at most " + max + " characters, but has " + value.length());
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(name + " must not contain control characters");
        }
        return value;
    }
}
