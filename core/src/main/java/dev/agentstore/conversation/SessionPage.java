package dev.agentstore.conversation;

import java.util.List;

/**
 * One page of a session listing, most recent activity first.
 *
 * @param sessions the sessions of this page; unmodifiable, never null
 * @param next the cursor of the next page, or null when this is the last page
 */
public record SessionPage(List<Session> sessions, SessionCursor next) {

    /** Copies the list. */
    public SessionPage {
        sessions = List.copyOf(sessions);
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
