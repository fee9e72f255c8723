package dev.agentstore.document;

import dev.agentstore.internal.Checks;
import dev.agentstore.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A document to ingest: its source URI (its identity within the knowledge base), attributes and the
 * ordered chunk texts. Build it with {@link #of(String, List)} and the {@code with…} methods:
 *
 * <pre>{@code
 * DocumentInput doc = DocumentInput.of("file:///handbook/leave.md", List.of("Leave is ...", "Sick days ..."))
 *         .withTitle("Leave policy")
 *         .withMetadata(Map.of("department", "hr"))
 *         .withUser("alice");
 * }</pre>
 *
 * <p>A document belongs to at most one user ({@link #withUser}): erasing that user
 * ({@code store.erasure(tenant).eraseUser}) deletes the document, while chunk content that other
 * documents share stays (deduplication). Ingesting a document without a user keeps the user it has;
 * ingesting it with a user sets (or changes) it, even when the content is unchanged.
 *
 * @param sourceUri not blank, at most {@value #MAX_SOURCE_URI_LENGTH} characters
 * @param title or null
 * @param docType e.g. "markdown" or "faq", or null
 * @param version the host's version label, or null
 * @param metadata document metadata (JSON object), never null
 * @param chunks at least one chunk, in document order
 * @param userId the user the document belongs to, or null (keep the user it has, if any); not blank, at most
 *               {@value #MAX_USER_ID_LENGTH} characters
 */
public record DocumentInput(String sourceUri, String title, String docType, String version, Map<String, Object> metadata,
        List<ChunkInput> chunks, String userId) {

    /** The longest source URI accepted. */
    public static final int MAX_SOURCE_URI_LENGTH = 2000;
    /** The longest user id accepted (the same as {@link NewDocument#MAX_USER_ID_LENGTH}). */
    public static final int MAX_USER_ID_LENGTH = NewDocument.MAX_USER_ID_LENGTH;

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when the source URI is blank or too long, or the chunk list is null, empty or holds null
     */
    public DocumentInput {
        if (sourceUri == null || sourceUri.isBlank()) {
            throw new InvalidInputException("sourceUri must not be " + (sourceUri == null ? "null" : "blank"));
        }
        if (sourceUri.length() > MAX_SOURCE_URI_LENGTH) {
            throw new InvalidInputException("sourceUri must be at most " + MAX_SOURCE_URI_LENGTH + " characters, but has "
                    + sourceUri.length());
        }
        Checks.wellFormed(sourceUri, "sourceUri");
        Checks.wellFormed(title, "title of document '" + sourceUri + "'");
        Checks.wellFormed(docType, "docType of document '" + sourceUri + "'");
        Checks.wellFormed(version, "version of document '" + sourceUri + "'");
        if (chunks == null) {
            throw new InvalidInputException("chunks of document '" + sourceUri + "' must not be null");
        }
        if (chunks.isEmpty()) {
            throw new InvalidInputException("document '" + sourceUri + "' has no chunks; give at least one chunk text");
        }
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i) == null) {
                throw new InvalidInputException("chunk " + i + " of document '" + sourceUri + "' must not be null");
            }
        }
        chunks = List.copyOf(chunks);
        metadata = Maps.copy(metadata, "document metadata");
        Checks.optionalText(userId, "userId of document '" + sourceUri + "'", MAX_USER_ID_LENGTH);
    }

    /**
     * A document without a user (the form before documents had one).
     *
     * @param sourceUri the document's source URI
     * @param title the title
     * @param docType the document type
     * @param version the version number
     * @param metadata the metadata (JSON-compatible values)
     * @param chunks the chunks, in order
     * @throws InvalidInputException as the canonical constructor
     */
    public DocumentInput(String sourceUri, String title, String docType, String version, Map<String, Object> metadata,
            List<ChunkInput> chunks) {
        this(sourceUri, title, docType, version, metadata, chunks, null);
    }

    /**
     * A document from chunk texts.
     *
     * @param sourceUri the document's source URI
     * @param chunkTexts the chunk texts, in order
     * @return a document from chunk texts
     * @throws InvalidInputException when a text is null or blank (naming its index), or there is none
     */
    public static DocumentInput of(String sourceUri, List<String> chunkTexts) {
        if (chunkTexts == null) {
            throw new InvalidInputException("chunk texts of document '" + sourceUri + "' must not be null");
        }
        List<ChunkInput> chunks = new ArrayList<>(chunkTexts.size());
        for (int i = 0; i < chunkTexts.size(); i++) {
            String text = chunkTexts.get(i);
            if (text == null || text.isBlank()) {
                throw new InvalidInputException("chunk " + i + " of document '" + sourceUri + "' must not be "
                        + (text == null ? "null" : "blank") + "; drop empty chunks before ingesting");
            }
            chunks.add(ChunkInput.of(text));
        }
        return new DocumentInput(sourceUri, null, null, null, Map.of(), chunks, null);
    }

    /**
     * A document from chunk inputs (with metadata or precomputed embeddings).
     *
     * @param sourceUri the document's source URI
     * @param chunks the chunks, in order
     * @return a document from chunk inputs (with metadata or precomputed embeddings)
     */
    public static DocumentInput ofChunks(String sourceUri, List<ChunkInput> chunks) {
        return new DocumentInput(sourceUri, null, null, null, Map.of(), chunks, null);
    }

    /**
     * This document with a title (null for none).
     *
     * @param title the title
     * @return this document with a title (null for none)
     */
    public DocumentInput withTitle(String title) {
        return new DocumentInput(sourceUri, title, docType, version, metadata, chunks, userId);
    }

    /**
     * This document with a type (null for none).
     *
     * @param docType the document type
     * @return this document with a type (null for none)
     */
    public DocumentInput withDocType(String docType) {
        return new DocumentInput(sourceUri, title, docType, version, metadata, chunks, userId);
    }

    /**
     * This document with a version label (null for none).
     *
     * @param version the version number
     * @return this document with a version label (null for none)
     */
    public DocumentInput withVersion(String version) {
        return new DocumentInput(sourceUri, title, docType, version, metadata, chunks, userId);
    }

    /**
     * This document with metadata (null for none).
     *
     * @param metadata the metadata (JSON-compatible values)
     * @return this document with metadata (null for none)
     */
    public DocumentInput withMetadata(Map<String, ?> metadata) {
        return new DocumentInput(sourceUri, title, docType, version, Maps.copy(metadata, "document metadata"), chunks, userId);
    }

    /**
     * This document belonging to a user (null: keep the user the stored document has).
     *
     * @param newUserId the new user id
     * @return this document belonging to a user (null: keep the user the stored document has)
     * @throws InvalidInputException when the id is blank or longer than {@value #MAX_USER_ID_LENGTH} characters
     */
    public DocumentInput withUser(String newUserId) {
        return new DocumentInput(sourceUri, title, docType, version, metadata, chunks, newUserId);
    }

    /**
     * The number of chunks.
     *
     * @return the number of chunks
     */
    public int chunkCount() {
        return chunks.size();
    }

    @Override
    public String toString() {
        return "DocumentInput[" + sourceUri + ", " + chunks.size() + " chunks]";
    }

}
