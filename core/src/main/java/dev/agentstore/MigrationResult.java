package dev.agentstore;

/**
 * What {@link AgentStore#migrate()} did.
 *
 * @param migrationsExecuted how many migrations ran; 0 when the schema was current
 * @param fromVersion the schema version before, or null when the schema was new
 * @param toVersion the schema version after
 */
public record MigrationResult(int migrationsExecuted, String fromVersion, String toVersion) {
}
