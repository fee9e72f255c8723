package dev.agentstore.document;

/** Where a distinct content first occurs: a chunk of a prepared document. */
record ChunkSource(PreparedDocument doc, int index) {

    String text() {
        return doc.input().chunks().get(index).text();
    }
}
