package dev.agentstore;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One of agentstore's schema migrations as {@link AgentStore#health()} sees it: known to this library,
 * recorded in the schema history, or both.
 *
 * @param version the migration version, e.g. {@code "2"}
 * @param description what it does, from the script name, e.g. {@code "create schema"}
 * @param state applied, pending, failed, or applied by a newer agentstore
 * @param installedOn when it ran; null unless it ran
 * @param executionTime how long it ran; null unless it ran
 */
public record SchemaMigration(String version, String description, State state, Instant installedOn, Duration executionTime) {

    /** Where a migration stands. */
    public enum State {
        /** Ran successfully. */
        APPLIED,
        /** Known to this library, not yet run: {@link AgentStore#migrate()} runs it. */
        PENDING,
        /** Ran and failed; the schema needs repair before it migrates again. */
        FAILED,
        /** Recorded in the history but unknown to this library: a newer agentstore migrated the schema. */
        NEWER_THAN_LIBRARY
    }

    /** Checks that version, description and state are present. */
    public SchemaMigration {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(state, "state");
    }

    @Override
    public String toString() {
        return "V" + version + " " + description + " " + state
                + (installedOn == null ? "" : " " + installedOn + (executionTime == null ? "" : " (" + executionTime.toMillis() + " ms)"));
    }
}
