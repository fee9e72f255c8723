package dev.agentstore.document;

/**
 * Where a document is in its ingestion lifecycle: {@code PENDING → PROCESSING → COMPLETED | FAILED}.
 * {@link Documents#ingest ingest} never leaves a new document half-written: a new document appears
 * {@link #COMPLETED} or not at all. An existing document is {@link #PROCESSING} while its changed
 * content is embedded and written, and {@link #FAILED} (with {@link Document#errorMessage()}) when
 * that failed; it then keeps its previous chunks.
 */
public enum DocumentStatus {
    /** Registered but not yet processed (the column default; only rows written by other tools). */
    PENDING,
    /** A changed version is being embedded and written. */
    PROCESSING,
    /** Its chunks are stored and searchable. */
    COMPLETED,
    /** The last ingestion failed; see the error message. The previous chunks, if any, remain. */
    FAILED;

    /**
     * The value stored in {@code document.status}.
     *
     * @return the value stored in {@code document.status}
     */
    public String sqlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The status stored under this name.
     *
     * @param name the name
     * @return the status stored under this name
     * @throws IllegalArgumentException for an unknown name
     */
    public static DocumentStatus fromSqlName(String name) {
        for (DocumentStatus s : values()) {
            if (s.sqlName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown document status '" + name + "'");
    }
}
