package dev.agentstore.spring.ai;

import dev.agentstore.NotFoundException;
import dev.agentstore.document.DocumentId;
import dev.agentstore.document.Documents;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.knowledge.DocumentRef;
import dev.agentstore.knowledge.Filter;
import dev.agentstore.knowledge.Knowledge;
import dev.agentstore.knowledge.SearchHit;
import dev.agentstore.knowledge.SearchRequest;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes the documents of a knowledge base that match a filter. It finds them with agentstore's own
 * filtered search (exact, so every chunk is considered; the filter has exactly the semantics it has in
 * search) and deletes each with {@link Documents#deleteDocument}, which removes the content no other
 * document uses, until no document matches.
 */
final class DocumentDeletion {

    private static final int PAGE = SearchRequest.MAX_LIMIT;

    private DocumentDeletion() {
    }

    static int deleteMatching(Documents documents, Knowledge knowledge, KnowledgeBaseId knowledgeBase, Filter filter,
            int dimension) {
        float[] probe = new float[dimension];
        Arrays.fill(probe, 1f);
        int deleted = 0;
        while (true) {
            List<SearchHit> hits = knowledge.search(SearchRequest.vector(probe).knowledgeBases(knowledgeBase)
                    .filter(filter).exact(true).limit(PAGE).build());
            Set<DocumentId> matching = new LinkedHashSet<>();
            for (SearchHit hit : hits) {
                for (DocumentRef ref : hit.documents()) {
                    if (ref.matchesFilter()) {
                        matching.add(ref.id());
                    }
                }
            }
            if (matching.isEmpty()) {
                return deleted;
            }
            for (DocumentId id : matching) {
                try {
                    documents.deleteDocument(id);
                    deleted++;
                } catch (NotFoundException concurrentlyDeleted) {
                    // someone else deleted it meanwhile: it is gone either way
                }
            }
        }
    }
}
