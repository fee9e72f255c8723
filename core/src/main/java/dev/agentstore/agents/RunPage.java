package dev.agentstore.agents;

import java.util.List;

/**
 * One page of a run listing, newest start first.
 *
 * @param runs the runs of this page (with their chunks and tool calls); unmodifiable
 * @param next the cursor of the next page, or null when this is the last page
 */
public record RunPage(List<Run> runs, RunCursor next) {

    /** Copies the list. */
    public RunPage {
        runs = List.copyOf(runs);
    }

    /**
     * Whether a further page exists.
     *
     * @return whether a further page exists
     */
    public boolean hasNext() {
        return next != null;
    }
}
