package dev.agentstore.agents;

import dev.agentstore.conversation.Rating;
import java.time.Instant;

/**
 * The user's feedback on a run.
 *
 * @param rating up or down
 * @param comment what the user said, or null
 * @param at when it was given
 */
public record RunFeedback(Rating rating, String comment, Instant at) {

    /** Never shows the comment. */
    @Override
    public String toString() {
        return "RunFeedback[" + rating + ", at=" + at + "]";
    }
}
