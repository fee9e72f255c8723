package dev.agentstore.memory;

import dev.agentstore.internal.Checks;
import dev.agentstore.InvalidInputException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Whose key/value memory an entry belongs to, within one agent: the agent itself ({@link #agent()}),
 * one user ({@link #user(String)}) or one conversation session ({@link #session(UUID)}). Entries of a
 * session scope are deleted with their session.
 *
 * @param type agent, user or session
 * @param id {@code ""} for the agent scope, the user id for a user scope, the session UUID in its
 *           canonical text form for a session scope
 */
public record MemoryScope(Type type, String id) {

    /** The longest user id accepted, in characters. */
    public static final int MAX_USER_ID_LENGTH = 200;

    /** The kinds of scope. */
    public enum Type {
        /** Global to the agent. */
        AGENT,
        /** One user of the agent. */
        USER,
        /** One conversation session; its entries are deleted with the session. */
        SESSION;

        /**
         * The lower-case name stored in the database and accepted by {@link MemoryScope#of(String, String)}.
         *
         * @return the lower-case name stored in the database and accepted by {@link MemoryScope#of(String, String)}
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when the type is null, an agent scope has an id, a user id is
     * blank, too long or has control characters, or a session id is not a UUID
     */
    public MemoryScope {
        if (type == null) {
            throw new InvalidInputException("scope type must not be null; use MemoryScope.agent(), user(userId) or session(sessionId)");
        }
        switch (type) {
            case AGENT -> {
                if (id != null && !id.isEmpty()) {
                    throw new InvalidInputException("an agent scope has no id, but got '" + id + "'");
                }
                id = "";
            }
            case USER -> id = userId(id, "user id of a user scope");
            case SESSION -> {
                if (id == null) {
                    throw new InvalidInputException("session id of a session scope must not be null");
                }
                try {
                    id = UUID.fromString(id).toString();
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("session id of a session scope must be a UUID, but was '" + id + "'");
                }
            }
        }
    }

    /**
     * The scope global to the agent.
     *
     * @return the scope global to the agent
     */
    public static MemoryScope agent() {
        return new MemoryScope(Type.AGENT, "");
    }

    /**
     * The scope of one user.
     *
     * @param userId the user id
     * @return the scope of one user
     * @throws InvalidInputException when userId is null, blank, longer than {@value #MAX_USER_ID_LENGTH} or has control characters
     */
    public static MemoryScope user(String userId) {
        return new MemoryScope(Type.USER, userId);
    }

    /**
     * The scope of one conversation session (which must exist in the same tenant when an entry is put).
     *
     * @param sessionId the session
     * @return the scope of one conversation session
     * @throws InvalidInputException when sessionId is null
     */
    public static MemoryScope session(UUID sessionId) {
        if (sessionId == null) {
            throw new InvalidInputException("session id of a session scope must not be null");
        }
        return new MemoryScope(Type.SESSION, sessionId.toString());
    }

    /**
     * A scope from its text form, for hosts that keep scopes as strings.
     *
     * @param type {@code agent}, {@code user} or {@code session} (case-insensitive)
     * @param id null or empty for {@code agent}, the user id for {@code user}, a UUID for {@code session}
     * @return a scope from its text form, for hosts that keep scopes as strings
     * @throws InvalidInputException when the type is unknown or the id does not fit it
     */
    public static MemoryScope of(String type, String id) {
        if (type == null) {
            throw new InvalidInputException("scope must be one of agent, user, session, but was null");
        }
        for (Type t : Type.values()) {
            if (t.label().equalsIgnoreCase(type.strip())) {
                return new MemoryScope(t, id);
            }
        }
        throw new InvalidInputException("scope must be one of agent, user, session, but was '" + type + "'");
    }

    /**
     * The session id of a session scope; empty for the other scopes.
     *
     * @return the session id of a session scope; empty for the other scopes
     */
    public Optional<UUID> sessionId() {
        return type == Type.SESSION ? Optional.of(UUID.fromString(id)) : Optional.empty();
    }

    /** {@code agent}, {@code user:<id>} or {@code session:<uuid>}. */
    @Override
    public String toString() {
        return type == Type.AGENT ? type.label() : type.label() + ":" + id;
    }

    static String userId(String id, String name) {
        if (id == null) {
            throw new InvalidInputException(name + " must not be null");
        }
        if (id.isBlank()) {
            throw new InvalidInputException(name + " must not be blank");
        }
        if (id.length() > MAX_USER_ID_LENGTH) {
            throw new InvalidInputException(name + " has " + id.length() + " characters, more than the limit of " + MAX_USER_ID_LENGTH);
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(name + " must not contain control characters");
        }
        return Checks.wellFormed(id, name);
    }
}
