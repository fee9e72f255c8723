package dev.agentstore.conversation;

/** Told after each committed batch of an import; runs on the importing thread, so keep it short. */
@FunctionalInterface
public interface ImportProgressListener {

    /**
     * Called after a batch was committed.
     *
     * @param progress told about the progress; may be null
     */
    void onBatch(ImportProgress progress);
}
