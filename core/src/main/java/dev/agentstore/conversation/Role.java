package dev.agentstore.conversation;

/** Who wrote a message. Stored as the lower-case name ({@code 'user'}, ...). */
public enum Role {
    /** Instructions to the model. */
    SYSTEM,
    /** The human (or calling application). */
    USER,
    /** The agent's answer; the only role that can receive feedback. */
    ASSISTANT,
    /** The output of a tool call. */
    TOOL;

    private final String dbValue = name().toLowerCase(java.util.Locale.ROOT);

    String dbValue() {
        return dbValue;
    }

    static Role fromDb(String value) {
        return switch (value) {
            case "system" -> SYSTEM;
            case "user" -> USER;
            case "assistant" -> ASSISTANT;
            case "tool" -> TOOL;
            default -> throw new IllegalStateException("unknown role in the database: " + value);
        };
    }
}
