package dev.agentstore.document;

import dev.agentstore.internal.KnowledgeLayout;
import dev.agentstore.schema.tables.ChunkTable;
import dev.agentstore.schema.tables.DocumentChunkTable;
import java.util.UUID;

/** The knowledge base written to: its layout and its two partitions (statements never go through the parents). */
record KbStorage(KnowledgeLayout layout, ChunkTable chunk, DocumentChunkTable links) {

    KbStorage(KnowledgeLayout layout, String schema) {
        this(layout, layout.chunks(schema), layout.links(schema));
    }

    UUID id() {
        return layout.knowledgeBaseId();
    }

    String metric() {
        return layout.metric();
    }

    String textSearchConfig() {
        return layout.textSearchConfig();
    }

    int dimension() {
        return layout.dimension();
    }
}
