package dev.agentstore.conversation;

import java.time.Instant;
import java.util.Objects;

/**
 * Feedback recorded on an assistant message.
 *
 * @param rating thumbs up or down; never null
 * @param comment what the user said, or null
 * @param at when it was recorded (the store's clock); never null
 */
public record Feedback(Rating rating, String comment, Instant at) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException when rating or at is null
     */
    public Feedback {
        Objects.requireNonNull(rating, "rating");
        Objects.requireNonNull(at, "at");
    }
}
