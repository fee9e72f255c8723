package dev.agentstore.memory;

/**
 * What {@link Memory#purgeExpired()} deleted.
 *
 * @param entries expired key/value entries deleted
 * @param memories expired semantic memories deleted
 */
public record PurgeResult(int entries, int memories) {

    /**
     * Entries and memories together.
     *
     * @return entries and memories together
     */
    public int total() {
        return entries + memories;
    }
}
