package dev.agentstore.document;

import dev.agentstore.ContentHash;
import org.jooq.JSONB;

/** A validated, hashed document, ready to be written. */
record PreparedDocument(DocumentInput input, ContentHash[] hashes, byte[] documentHash, JSONB metadata, String[] linkMetadata) {

    String uri() {
        return input.sourceUri();
    }
}
