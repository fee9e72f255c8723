package dev.agentstore.langchain4j;

import dev.agentstore.AgentStore;
import dev.agentstore.InvalidInputException;
import dev.agentstore.TenantId;
import dev.agentstore.conversation.ConversationHistory;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.Message;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.conversation.Session;
import dev.agentstore.conversation.SessionId;
import dev.agentstore.memory.Memory;
import dev.agentstore.memory.MemoryEntry;
import dev.agentstore.memory.MemoryKey;
import dev.agentstore.memory.MemoryScope;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * agentstore's conversations as a LangChain4j {@link ChatMemoryStore}: one agentstore session per memory
 * id, every message of every type kept, each turn appending only what is new.
 *
 * <pre>{@code
 * ChatMemoryStore memoryStore = AgentStoreChatMemoryStore.builder().store(store).tenant("acme").build();
 * ChatMemoryProvider memories = id -> MessageWindowChatMemory.builder().id(id).maxMessages(20)
 *         .chatMemoryStore(memoryStore).build();
 * }</pre>
 *
 * <h2>How a memory is stored</h2>
 * <ul>
 *   <li>The memory id's {@code toString()} is the session's host key
 *       ({@link ConversationHistory#openOrGet(String, NewSession)}); the session is created on the first
 *       update with the configured agent and user ids.</li>
 *   <li>System, user, AI and tool result messages map onto agentstore's roles; an AI message's tool
 *       execution requests become {@link dev.agentstore.conversation.ToolCall}s and a tool result keeps its
 *       call id and tool name. What agentstore's columns cannot hold exactly (user names, images and other
 *       non-text contents, thinking text, attributes, custom messages) is kept as LangChain4j's JSON in the
 *       message metadata. Every message comes back {@code equals} to the one stored.</li>
 *   <li>{@link #updateMessages(Object, List)} compares the new list with the current one and appends only
 *       the messages that are new, in one transaction; evicted messages stay in the session's history
 *       (agentstore's retention deletes old sessions), and the memory's current list, the window, is
 *       recorded in the metadata of the last message appended. A replaced system message is a new message
 *       at the position the memory puts it. An update that only removes messages records the window as a
 *       session-scoped key/value entry of the configured agent. A turn therefore costs a fixed number of
 *       statements plus one row per new message, whatever the window size.</li>
 *   <li>{@link #deleteMessages(Object)} deletes the session with its whole history.</li>
 * </ul>
 *
 * <p>Messages appended to the session by other means than this store are not part of the memory until
 * this store writes a window that includes them. Thread-safe; concurrent updates of one memory id keep
 * every message, and the last update decides the window.
 */
public final class AgentStoreChatMemoryStore implements ChatMemoryStore {

    /** The agent id of the sessions when none is configured. */
    public static final String DEFAULT_AGENT_ID = "langchain4j";
    /** Metadata key (on the last message of an append) and key/value key of the memory's window. */
    static final String WINDOW_KEY = "langchain4j.window";

    private final Conversations conversations;
    private final ConversationHistory history;
    private final Memory memory;
    private final String agentId;
    private final String userId;
    private final TenantId tenant;

    private AgentStoreChatMemoryStore(Builder b) {
        this.tenant = b.tenant;
        this.conversations = b.store.conversations(b.tenant);
        this.history = conversations.history();
        this.memory = b.store.memory(b.tenant);
        this.agentId = b.agentId;
        this.userId = b.userId;
        NewSession.of(userId, agentId); // validates both before first use
    }

    /** A builder; {@link Builder#store(AgentStore)} and {@link Builder#tenant(String)} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The memory's current messages, in order; empty for an unknown memory id.
     *
     * @throws InvalidInputException when memoryId is null or its text is not a valid host key
     */
    @Override
    public List<ChatMessage> getMessages(Object memoryId) {
        Optional<Session> session = history.findByHostKey(key(memoryId));
        if (session.isEmpty()) {
            return new ArrayList<>();
        }
        State state = state(session.get());
        return new ArrayList<>(state.chat);
    }

    /**
     * Makes {@code messages} the memory's current list: appends the messages that are not in the current
     * list (in one transaction) and records the new window.
     *
     * @throws InvalidInputException when memoryId or the list is null, or the list holds null (nothing is written)
     */
    @Override
    public void updateMessages(Object memoryId, List<ChatMessage> messages) {
        String key = key(memoryId);
        if (messages == null) {
            throw new InvalidInputException("messages must not be null; pass an empty list to empty the memory");
        }
        List<NewMessage> converted = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            converted.add(ChatMessages.toNew(messages.get(i), i));
        }
        Optional<Session> existing = history.findByHostKey(key);
        State state = existing.map(this::state).orElse(State.NONE);

        // each message of the new list is an old one (matched in order) or new (appended)
        List<Long> window = new ArrayList<>(messages.size());
        List<Integer> fresh = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < messages.size(); i++) {
            int found = -1;
            for (int j = from; j < state.chat.size(); j++) {
                if (state.chat.get(j).equals(messages.get(i))) {
                    found = j;
                    break;
                }
            }
            if (found >= 0) {
                window.add(state.seqs.get(found));
                from = found + 1;
            } else {
                window.add(null);
                fresh.add(i);
            }
        }

        if (fresh.isEmpty()) {
            if (existing.isEmpty() || window.equals(state.seqs)) {
                return;
            }
            // only removals: no message to carry the window, so it goes to the session's key/value entry
            Session s = existing.get();
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("asOf", s.messageCount());
            value.put("window", Window.of(window).json());
            memory.putValue(windowKey(s.id()), value);
            return;
        }

        Session session = existing.orElseGet(() -> history.openOrGet(key, NewSession.of(userId, agentId)));
        int batchSize = Conversations.MAX_MESSAGES_PER_CALL;
        for (int start = 0; start < fresh.size(); start += batchSize) {
            int end = Math.min(fresh.size(), start + batchSize);
            boolean last = end == fresh.size();
            List<NewMessage> batch = new ArrayList<>(end - start);
            for (int k = start; k < end; k++) {
                batch.add(converted.get(fresh.get(k)));
            }
            if (last) {
                // new messages of this batch are addressed relative to its last message (0), older ones absolutely
                List<Long> relative = new ArrayList<>(window);
                for (int k = start; k < end; k++) {
                    relative.set(fresh.get(k), (long) (k - (end - 1)));
                }
                int lastIndex = batch.size() - 1;
                batch.set(lastIndex, ChatMessages.withMetadataEntry(batch.get(lastIndex), WINDOW_KEY, Window.of(relative).json()));
            }
            List<Message> stored = conversations.addMessages(session.id(), batch);
            for (int k = start; k < end; k++) {
                window.set(fresh.get(k), stored.get(k - start).seq());
            }
        }
    }

    /**
     * Deletes the memory: the session with its whole history (a no-op for an unknown memory id).
     *
     * @throws InvalidInputException when memoryId is null or its text is not a valid host key
     */
    @Override
    public void deleteMessages(Object memoryId) {
        Optional<Session> session = history.findByHostKey(key(memoryId));
        session.ifPresent(s -> conversations.deleteSession(s.id()));
    }

    /** The session of a memory id, if it has one (for reading its history through agentstore's API). */
    public Optional<Session> findSession(Object memoryId) {
        return history.findByHostKey(key(memoryId));
    }

    // ------------------------------------------------------------------------------------------

    /** The current list of a session: its messages' sequence numbers and the chat messages, in order. */
    private record State(List<Long> seqs, List<ChatMessage> chat) {
        static final State NONE = new State(List.of(), List.of());
    }

    private State state(Session s) {
        if (s.messageCount() == 0) {
            return State.NONE;
        }
        Window window = null;
        long anchor = s.messageCount();
        Optional<MemoryEntry> entry = memory.find(windowKey(s.id()));
        if (entry.isPresent()) {
            Map<?, ?> value = entry.get().valueAs(Map.class);
            if (value.get("asOf") instanceof Number asOf && asOf.longValue() == s.messageCount()) {
                window = Window.fromJson(value.get("window"));
            }
        }
        Map<Long, Message> bySeq = new HashMap<>();
        if (window == null) {
            Message last = conversations.listLastMessages(s.id(), 1).get(0);
            bySeq.put(last.seq(), last);
            anchor = last.seq();
            window = Window.fromJson(last.metadata().get(WINDOW_KEY));
            if (window == null) {
                // written by other means: the memory is the latest messages
                List<Long> seqs = new ArrayList<>();
                for (Message m : conversations.listLastMessages(s.id(), Conversations.MAX_PAGE_SIZE)) {
                    bySeq.put(m.seq(), m);
                    seqs.add(m.seq());
                }
                window = Window.of(seqs);
            }
        }
        List<Long> seqs = window.seqs(anchor);
        fetch(s.id(), seqs, bySeq);
        List<Long> present = new ArrayList<>(seqs.size());
        List<ChatMessage> chat = new ArrayList<>(seqs.size());
        for (Long seq : seqs) {
            Message m = bySeq.get(seq);
            if (m == null) {
                continue; // deleted by agentstore's retention of old messages
            }
            try {
                chat.add(ChatMessages.toChat(m));
            } catch (RuntimeException e) {
                throw ChatMessages.unreadable(m, e);
            }
            present.add(seq);
        }
        return new State(present, chat);
    }

    /** Reads the messages with these sequence numbers that are not read yet: one query per nearby group. */
    private void fetch(SessionId session, List<Long> seqs, Map<Long, Message> bySeq) {
        TreeSet<Long> missing = new TreeSet<>();
        for (Long s : seqs) {
            if (!bySeq.containsKey(s)) {
                missing.add(s);
            }
        }
        while (!missing.isEmpty()) {
            long first = missing.first();
            long last = first;
            // extend the group while the next wanted message is close (reading a few extra rows beats a round trip)
            for (Long s : missing.tailSet(first, false)) {
                if (s - last > 20 || s - first + 1 > Conversations.MAX_PAGE_SIZE) {
                    break;
                }
                last = s;
            }
            int count = (int) (last - first + 1);
            for (Message m : conversations.listMessagesBefore(session, last + 1, count)) {
                bySeq.put(m.seq(), m);
            }
            missing.subSet(first, true, last, true).clear();
        }
    }

    private MemoryKey windowKey(SessionId session) {
        return MemoryKey.of(agentId, MemoryScope.session(session.value()), WINDOW_KEY);
    }

    private static String key(Object memoryId) {
        if (memoryId == null) {
            throw new InvalidInputException("memoryId must not be null");
        }
        return memoryId.toString();
    }

    @Override
    public String toString() {
        return "AgentStoreChatMemoryStore[tenant=" + tenant.value() + ", agentId=" + agentId + "]";
    }

    /** Configures an {@link AgentStoreChatMemoryStore}. */
    public static final class Builder {

        private AgentStore store;
        private TenantId tenant;
        private String agentId = DEFAULT_AGENT_ID;
        private String userId;

        private Builder() {
        }

        /** The store; required. */
        public Builder store(AgentStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The tenant whose sessions hold the memories; required. */
        public Builder tenant(String tenant) {
            this.tenant = TenantId.of(tenant);
            return this;
        }

        /** The tenant whose sessions hold the memories; required. */
        public Builder tenant(TenantId tenant) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
            return this;
        }

        /** The agent id of the sessions it creates (default {@value AgentStoreChatMemoryStore#DEFAULT_AGENT_ID}). */
        public Builder agentId(String agentId) {
            this.agentId = agentId;
            return this;
        }

        /** The user id of the sessions it creates (default none). */
        public Builder userId(String userId) {
            this.userId = userId;
            return this;
        }

        /**
         * The memory store.
         *
         * @throws InvalidInputException when the store or tenant is missing, or an id is invalid
         */
        public AgentStoreChatMemoryStore build() {
            if (store == null) {
                throw new InvalidInputException("store must be set: AgentStoreChatMemoryStore.builder().store(agentStore)");
            }
            if (tenant == null) {
                throw new InvalidInputException("tenant must be set: AgentStoreChatMemoryStore.builder().tenant(\"acme\")");
            }
            if (agentId == null) {
                throw new InvalidInputException("agentId must not be null (the key/value window entries need an agent)");
            }
            return new AgentStoreChatMemoryStore(this);
        }
    }
}
