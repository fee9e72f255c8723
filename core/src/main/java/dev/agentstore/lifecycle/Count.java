package dev.agentstore.lifecycle;

/**
 * A number of rows, exact or estimated.
 *
 * @param value the rows
 * @param exact true when counted; false when PostgreSQL's planner estimate (from the table statistics)
 */
public record Count(long value, boolean exact) {

    @Override
    public String toString() {
        return exact ? Long.toString(value) : "~" + value;
    }
}
