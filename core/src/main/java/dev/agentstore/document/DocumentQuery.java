package dev.agentstore.document;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which documents {@link DocumentPipeline#list(DocumentQuery)} returns, in which order, from where.
 * Start from {@link #all()}; the {@code with…} methods return changed copies:
 *
 * <pre>{@code
 * DocumentQuery.all().inKnowledgeBase(kb.id()).withStatus(DocumentStatus.FAILED).withDocType("pdf").limit(50).newestFirst()
 * }</pre>
 *
 * @param knowledgeBaseId only this knowledge base, or null for every one of the tenant
 * @param statuses only these statuses; empty means every status; copied
 * @param docType only this document type, or null
 * @param createdFrom only documents created at or after this instant, or null
 * @param createdBefore only documents created before this instant, or null
 * @param after continue after this cursor ({@link DocumentPage#next()}), or null for the first page
 * @param limit 1 to {@value DocumentPipeline#MAX_PAGE_SIZE}
 * @param descending newest first (creation time descending, ties by id descending), else oldest first
 */
public record DocumentQuery(KnowledgeBaseId knowledgeBaseId, Set<DocumentStatus> statuses, String docType, Instant createdFrom,
        Instant createdBefore, DocumentCursor after, int limit, boolean descending) {

    /** Documents per page unless told otherwise. */
    public static final int DEFAULT_LIMIT = 100;

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when a component is out of range
     */
    public DocumentQuery {
        statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        Checks.optionalText(docType, "docType", NewDocument.MAX_DOC_TYPE_LENGTH);
        Checks.range(limit, 1, DocumentPipeline.MAX_PAGE_SIZE, "limit");
        if (createdFrom != null && createdBefore != null && createdBefore.isBefore(createdFrom)) {
            throw new InvalidInputException("createdBefore (" + createdBefore + ") must not be before createdFrom ("
                    + createdFrom + ")");
        }
    }

    /**
     * Every document of the tenant, oldest first, {@value #DEFAULT_LIMIT} per page.
     *
     * @return every document of the tenant, oldest first, {@value #DEFAULT_LIMIT} per page
     */
    public static DocumentQuery all() {
        return new DocumentQuery(null, Set.of(), null, null, null, null, DEFAULT_LIMIT, false);
    }

    /**
     * A copy limited to this knowledge base.
     *
     * @param id the id
     * @return a copy limited to this knowledge base
     */
    public DocumentQuery inKnowledgeBase(KnowledgeBaseId id) {
        return new DocumentQuery(id, statuses, docType, createdFrom, createdBefore, after, limit, descending);
    }

    /**
     * A copy limited to these statuses.
     *
     * @param first the first
     * @param more whether a further page exists
     * @return a copy limited to these statuses
     */
    public DocumentQuery withStatus(DocumentStatus first, DocumentStatus... more) {
        Checks.notNull(first, "status");
        EnumSet<DocumentStatus> set = EnumSet.of(first, more);
        return new DocumentQuery(knowledgeBaseId, set, docType, createdFrom, createdBefore, after, limit, descending);
    }

    /**
     * A copy limited to this document type.
     *
     * @param type the type
     * @return a copy limited to this document type
     */
    public DocumentQuery withDocType(String type) {
        return new DocumentQuery(knowledgeBaseId, statuses, type, createdFrom, createdBefore, after, limit, descending);
    }

    /**
     * A copy limited to documents created in {@code [from, before)}; either may be null.
     *
     * @param from start of the interval (inclusive)
     * @param before the upper bound (exclusive)
     * @return a copy limited to documents created in {@code [from, before)}; either may be null
     */
    public DocumentQuery createdBetween(Instant from, Instant before) {
        return new DocumentQuery(knowledgeBaseId, statuses, docType, from, before, after, limit, descending);
    }

    /**
     * A copy continuing after this cursor.
     *
     * @param cursor the cursor
     * @return a copy continuing after this cursor
     */
    public DocumentQuery after(DocumentCursor cursor) {
        return new DocumentQuery(knowledgeBaseId, statuses, docType, createdFrom, createdBefore, cursor, limit, descending);
    }

    /**
     * A copy with this page size.
     *
     * @param pageSize the page size
     * @return a copy with this page size
     */
    public DocumentQuery limit(int pageSize) {
        return new DocumentQuery(knowledgeBaseId, statuses, docType, createdFrom, createdBefore, after, pageSize, descending);
    }

    /**
     * A copy listing newest first.
     *
     * @return a copy listing newest first
     */
    public DocumentQuery newestFirst() {
        return new DocumentQuery(knowledgeBaseId, statuses, docType, createdFrom, createdBefore, after, limit, true);
    }
}
