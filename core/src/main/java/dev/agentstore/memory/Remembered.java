package dev.agentstore.memory;

/**
 * What {@link Memory#remember(NewMemory)} did.
 *
 * @param id the memory, new or existing
 * @param reinforced true when the same content was already remembered by the agent (and not
 *                   expired), so the existing memory was reinforced instead of a new one stored
 * @param reinforcementCount how often the memory has now been remembered (1 for a new memory)
 * @param importance the importance now stored (the highest given so far)
 */
public record Remembered(MemoryId id, boolean reinforced, int reinforcementCount, double importance) {
}
