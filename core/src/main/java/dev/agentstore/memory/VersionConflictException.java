package dev.agentstore.memory;

import dev.agentstore.ConflictException;

/**
 * A conditional put ({@link PutOptions#ifVersion(long)}, {@link PutOptions#ifAbsent()}) found the
 * entry at another version than expected: another writer got there first. Nothing was written. Read
 * the entry again, merge, and retry with its current version.
 */
public class VersionConflictException extends ConflictException {

    private static final long serialVersionUID = 1L;

    private final transient MemoryKey key;
    /** The version the put expected. */
    private final long expectedVersion;
    /** The version found, 0 when there was no live entry. */
    private final long actualVersion;

    /**
     * Creates the version conflict exception.
     *
     * @param key the entry
     * @param expectedVersion the version the put expected, 0 for "absent"
     * @param actualVersion the version found, 0 when there is no live entry
     */
    public VersionConflictException(MemoryKey key, long expectedVersion, long actualVersion) {
        super("memory entry " + key + " was changed by another writer: expected "
                + describe(expectedVersion) + ", but found " + describe(actualVersion)
                + "; nothing was written, read the entry again and retry with its current version");
        this.key = key;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    private static String describe(long version) {
        return version == 0 ? "no entry" : "version " + version;
    }

    /**
     * The entry.
     *
     * @return the entry
     */
    public MemoryKey key() {
        return key;
    }

    /**
     * The version the put expected; 0 means it expected no entry.
     *
     * @return the version the put expected; 0 means it expected no entry
     */
    public long expectedVersion() {
        return expectedVersion;
    }

    /**
     * The version found; 0 means there was no live entry (never put, deleted or expired).
     *
     * @return the version found; 0 means there was no live entry (never put, deleted or expired)
     */
    public long actualVersion() {
        return actualVersion;
    }
}
