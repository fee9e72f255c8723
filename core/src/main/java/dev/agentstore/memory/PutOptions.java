package dev.agentstore.memory;

import dev.agentstore.InvalidInputException;
import java.time.Duration;
import java.time.Instant;

/**
 * How a key/value put behaves: unconditionally (an upsert) or only when the entry is at an expected
 * version, and when the entry expires. Immutable; start from {@link #unconditional()},
 * {@link #ifVersion(long)} or {@link #ifAbsent()}.
 *
 * <pre>{@code
 * memory.put(key, "{\"step\": 2}", PutOptions.ifVersion(entry.version()).withTimeToLive(Duration.ofHours(1)));
 * }</pre>
 *
 * @param expectedVersion {@value #ANY_VERSION} for an unconditional put, 0 for "only if no live
 *                        entry exists", otherwise the version the live entry must be at
 * @param timeToLive how long the entry lives after this put, or null
 * @param expiresAt when the entry expires, or null; at most one of timeToLive and expiresAt is set,
 *                  and with neither the entry never expires (a put replaces an earlier expiry)
 */
public record PutOptions(long expectedVersion, Duration timeToLive, Instant expiresAt) {

    /** {@link #expectedVersion()} of an unconditional put. */
    public static final long ANY_VERSION = -1;

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when expectedVersion is below -1, timeToLive is not positive, or both expiries are set
     */
    public PutOptions {
        if (expectedVersion < ANY_VERSION) {
            throw new InvalidInputException("expectedVersion must be -1 (any), 0 (absent) or a version of 1 or more, but was "
                    + expectedVersion);
        }
        if (timeToLive != null && (timeToLive.isNegative() || timeToLive.isZero())) {
            throw new InvalidInputException("timeToLive must be positive, but was " + timeToLive);
        }
        if (timeToLive != null && expiresAt != null) {
            throw new InvalidInputException("give either timeToLive or expiresAt, not both");
        }
    }

    /**
     * An unconditional put (an upsert) that never expires.
     *
     * @return an unconditional put (an upsert) that never expires
     */
    public static PutOptions unconditional() {
        return new PutOptions(ANY_VERSION, null, null);
    }

    /**
     * A put that succeeds only when the live entry is at this version; otherwise it throws
     * {@link VersionConflictException} and writes nothing.
     *
     * @param version 1 or more
     * @return a put that succeeds only when the live entry is at this version
     * @throws InvalidInputException when version is below 1
     */
    public static PutOptions ifVersion(long version) {
        if (version < 1) {
            throw new InvalidInputException("version must be 1 or more (use ifAbsent() for an entry that must not exist), but was "
                    + version);
        }
        return new PutOptions(version, null, null);
    }

    /**
     * A put that succeeds only when no live entry exists (an expired one counts as absent).
     *
     * @return a put that succeeds only when no live entry exists (an expired one counts as absent)
     */
    public static PutOptions ifAbsent() {
        return new PutOptions(0, null, null);
    }

    /**
     * These options with the entry expiring this long after the put.
     *
     * @param timeToLive the time to live
     * @return these options with the entry expiring this long after the put
     */
    public PutOptions withTimeToLive(Duration timeToLive) {
        if (timeToLive == null) {
            throw new InvalidInputException("timeToLive must not be null");
        }
        return new PutOptions(expectedVersion, timeToLive, null);
    }

    /**
     * These options with the entry expiring at this instant (which must be in the future when put).
     *
     * @param expiresAt when it expires
     * @return these options with the entry expiring at this instant
     */
    public PutOptions withExpiresAt(Instant expiresAt) {
        if (expiresAt == null) {
            throw new InvalidInputException("expiresAt must not be null");
        }
        return new PutOptions(expectedVersion, null, expiresAt);
    }

    /**
     * Whether the put depends on the current version.
     *
     * @return whether the put depends on the current version
     */
    public boolean conditional() {
        return expectedVersion != ANY_VERSION;
    }
}
