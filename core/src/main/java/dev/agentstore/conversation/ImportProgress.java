package dev.agentstore.conversation;

/**
 * How far an import is, reported after each committed batch.
 *
 * @param sessionsRead sessions read so far (all of them committed)
 * @param messagesRead messages read so far
 * @param sessionsCreated sessions created so far
 * @param messagesInserted messages stored so far
 * @param batches batches committed so far
 */
public record ImportProgress(long sessionsRead, long messagesRead, long sessionsCreated, long messagesInserted, int batches) {
}
