package dev.agentstore.agents;

/** How a tool call ended. */
public enum ToolOutcome {
    /** It returned a result. */
    SUCCESS("success"),
    /** It failed. */
    ERROR("error"),
    /** It did not answer in time. */
    TIMEOUT("timeout");

    private final String dbValue;

    ToolOutcome(String dbValue) {
        this.dbValue = dbValue;
    }

    String dbValue() {
        return dbValue;
    }

    static ToolOutcome fromDb(String value) {
        for (ToolOutcome o : values()) {
            if (o.dbValue.equals(value)) {
                return o;
            }
        }
        throw new IllegalStateException("unknown tool outcome in the database: " + value);
    }
}
