package dev.agentstore.document;

import java.util.UUID;

/** A document row as read before writing. */
record ExistingDocument(UUID id, byte[] contentHash, String status, String userId) {
}
