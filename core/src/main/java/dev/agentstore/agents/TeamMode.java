package dev.agentstore.agents;

/** How a team uses its members. */
public enum TeamMode {
    /** A router picks one member per request (see {@link RoutingDecision}). */
    ROUTE("route"),
    /** Every member works on the request at the same time. */
    PARALLEL("parallel"),
    /** The members work one after the other, in member order. */
    SEQUENTIAL("sequential");

    private final String dbValue;

    TeamMode(String dbValue) {
        this.dbValue = dbValue;
    }

    String dbValue() {
        return dbValue;
    }

    static TeamMode fromDb(String value) {
        for (TeamMode m : values()) {
            if (m.dbValue.equals(value)) {
                return m;
            }
        }
        throw new IllegalStateException("unknown team mode in the database: " + value);
    }
}
