package dev.agentstore.conversation;

import java.time.Duration;

/**
 * What an import did. Running the same import again gives {@code sessionsCreated == 0} and
 * {@code messagesInserted == 0}.
 *
 * @param sessionsRead sessions in the input
 * @param sessionsCreated sessions this run created (the others existed under their host key)
 * @param messagesRead messages in the input
 * @param messagesInserted messages this run stored (the others were there from an earlier run)
 * @param batches transactions it took
 * @param took wall time
 */
public record ImportResult(long sessionsRead, long sessionsCreated, long messagesRead, long messagesInserted, int batches,
        Duration took) {
}
