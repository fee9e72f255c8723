package dev.agentstore.document;

import java.util.List;

/**
 * What {@link DocumentPipeline#recoverExpired(int)} did with the documents whose processing lease had expired.
 *
 * @param retried put back to pending, to be claimed again; unmodifiable
 * @param failed marked failed with a message naming the worker, the expiry and the attempts; unmodifiable
 */
public record RecoveryResult(List<PipelineDocument> retried, List<PipelineDocument> failed) {

    /** Copies the lists. */
    public RecoveryResult {
        retried = List.copyOf(retried);
        failed = List.copyOf(failed);
    }
}
