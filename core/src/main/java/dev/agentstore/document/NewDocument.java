package dev.agentstore.document;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;
import java.util.Map;

/**
 * A document to register as {@link DocumentStatus#PENDING} with {@link DocumentPipeline#register}: an
 * upload that a worker will process later. The {@code with…} methods return changed copies:
 *
 * <pre>{@code
 * NewDocument.of("s3://uploads/acme/q3-report.pdf").withTitle("Q3 report").withDocType("pdf")
 *         .withStorageKey("uploads/7f3a").withUser("alice").withMetadata(Map.of("size", 182_331))
 * }</pre>
 *
 * @param sourceUri where it comes from; unique within the knowledge base; not blank, at most
 *                  {@value DocumentInput#MAX_SOURCE_URI_LENGTH} characters
 * @param title or null; not blank, at most {@value #MAX_TITLE_LENGTH} characters
 * @param docType e.g. "pdf", or null; not blank, at most {@value #MAX_DOC_TYPE_LENGTH} characters
 * @param metadata JSON object, never null; copied
 * @param storageKey the host's own key of the stored file (unique within the knowledge base), or null;
 *                   not blank, at most {@value #MAX_STORAGE_KEY_LENGTH} characters, no control characters
 * @param userId the user the document belongs to (erased with {@code eraseUser}), or null; not blank,
 *               at most {@value #MAX_USER_ID_LENGTH} characters
 */
public record NewDocument(String sourceUri, String title, String docType, Map<String, Object> metadata, String storageKey,
        String userId) {

    /** Longest title. */
    public static final int MAX_TITLE_LENGTH = 1_000;
    /** Longest document type. */
    public static final int MAX_DOC_TYPE_LENGTH = 200;
    /** Longest storage key. */
    public static final int MAX_STORAGE_KEY_LENGTH = 1_000;
    /** Longest user id. */
    public static final int MAX_USER_ID_LENGTH = 200;

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when a component is out of its range
     */
    public NewDocument {
        Checks.text(sourceUri, "sourceUri", DocumentInput.MAX_SOURCE_URI_LENGTH, null);
        Checks.optionalText(title, "title", MAX_TITLE_LENGTH);
        Checks.optionalText(docType, "docType", MAX_DOC_TYPE_LENGTH);
        Checks.optionalText(storageKey, "storageKey", MAX_STORAGE_KEY_LENGTH);
        if (storageKey != null && storageKey.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("storageKey must not contain control characters");
        }
        Checks.optionalText(userId, "userId", MAX_USER_ID_LENGTH);
        metadata = Maps.copy(metadata, "document metadata");
    }

    /**
     * A document with nothing but its source URI.
     *
     * @param sourceUri the document's source URI
     * @return a document with nothing but its source URI
     */
    public static NewDocument of(String sourceUri) {
        return new NewDocument(sourceUri, null, null, Map.of(), null, null);
    }

    /**
     * A copy with this title.
     *
     * @param newTitle the new title
     * @return a copy with this title
     */
    public NewDocument withTitle(String newTitle) {
        return new NewDocument(sourceUri, newTitle, docType, metadata, storageKey, userId);
    }

    /**
     * A copy with this document type.
     *
     * @param newDocType the new doc type
     * @return a copy with this document type
     */
    public NewDocument withDocType(String newDocType) {
        return new NewDocument(sourceUri, title, newDocType, metadata, storageKey, userId);
    }

    /**
     * A copy with this metadata.
     *
     * @param newMetadata the new metadata (replaces the old)
     * @return a copy with this metadata
     */
    public NewDocument withMetadata(Map<String, ?> newMetadata) {
        return new NewDocument(sourceUri, title, docType, Maps.copy(newMetadata, "document metadata"), storageKey, userId);
    }

    /**
     * A copy with this storage key.
     *
     * @param newStorageKey the new storage key
     * @return a copy with this storage key
     */
    public NewDocument withStorageKey(String newStorageKey) {
        return new NewDocument(sourceUri, title, docType, metadata, newStorageKey, userId);
    }

    /**
     * A copy belonging to this user.
     *
     * @param newUserId the new user id
     * @return a copy belonging to this user
     */
    public NewDocument withUser(String newUserId) {
        return new NewDocument(sourceUri, title, docType, metadata, storageKey, newUserId);
    }
}
