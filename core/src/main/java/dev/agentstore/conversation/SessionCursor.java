package dev.agentstore.conversation;

import dev.agentstore.InvalidInputException;
import java.time.Instant;

/**
 * Where a listing of sessions (newest activity first) continues: after the session with this last
 * activity and id. A keyset position, not an offset, so pages stay cheap however deep they go. A
 * session whose activity changes between two pages may show up again on a later page, or not at all.
 *
 * @param lastActivityAt the last activity of the last session seen
 * @param after the id of the last session seen
 */
public record SessionCursor(Instant lastActivityAt, SessionId after) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when a component is null
     */
    public SessionCursor {
        if (lastActivityAt == null || after == null) {
            throw new InvalidInputException("a session cursor needs lastActivityAt and after, but was ("
                    + lastActivityAt + ", " + after + ")");
        }
    }
}
