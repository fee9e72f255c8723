package dev.agentstore.spring.ai;

import dev.agentstore.AgentStore;
import dev.agentstore.TenantId;
import dev.agentstore.conversation.ConversationHistory;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.conversation.Role;
import dev.agentstore.conversation.Session;
import dev.agentstore.conversation.SessionId;
import dev.agentstore.conversation.ToolCall;
import dev.agentstore.memory.Memory;
import dev.agentstore.memory.MemoryKey;
import dev.agentstore.memory.MemoryScope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.AbstractMessage;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.MediaContent;

/**
 * Spring AI's {@link ChatMemoryRepository} on agentstore's conversations: one session per conversation
 * id (its host key), every message type kept, including an assistant's tool calls and the tool
 * responses, and nothing ever rewritten.
 *
 * <pre>{@code
 * ChatMemory memory = MessageWindowChatMemory.builder()
 *         .chatMemoryRepository(AgentStoreChatMemoryRepository.builder(store).tenant("acme").build())
 *         .maxMessages(20)
 *         .build();
 * }</pre>
 *
 * <p><strong>Append, never rewrite.</strong> {@link #saveAll} receives the whole new window, as
 * {@code MessageWindowChatMemory} computes it. The repository appends only the messages that follow the
 * part of the list it already holds (one {@code INSERT} for the turn). Messages the window dropped stay in
 * the session's history, which agentstore keeps for statistics, feedback and audits; the window itself is
 * a small marker (the sequence ranges it still covers) kept in the session's key/value memory and written
 * only when the window dropped something. A session's messages are therefore never deleted or re-inserted
 * by a chat turn, unlike {@code JdbcChatMemoryRepository}, which deletes and re-inserts the whole window
 * every turn. {@link #findByConversationId} returns the window: the covered messages in order.
 *
 * <p><strong>Mapping.</strong> {@link UserMessage}, {@link SystemMessage} and {@link AssistantMessage}
 * become one agentstore message each (text, metadata, and an assistant's tool calls with id, name and
 * arguments); a {@link ToolResponseMessage} with n responses becomes n tool-result messages (id, name,
 * data), read back as one message. The {@code messageType} metadata entry is implied by the role; other
 * metadata values are kept when they are JSON values (strings, numbers, booleans, lists, maps) and
 * stored as their {@code toString()} otherwise. Media (images, audio) are not stored: such a message is
 * refused with an {@link IllegalArgumentException} rather than saved without them.
 *
 * <p><strong>Round trips.</strong> The repository keeps the last window of each recently used
 * conversation (up to 1,000) and uses it while the session's last sequence number is unchanged, so a turn
 * of {@code MessageWindowChatMemory} (read the window, add the question, add the answer) costs about as many
 * statements as {@code JdbcChatMemoryRepository}'s: one look-up of the session per call, one {@code INSERT}
 * per save, and the marker when the window dropped messages. A window changed elsewhere without a new
 * message (another instance saving a shorter list) is seen after the next message is appended.
 *
 * <p>Two threads saving the same conversation at once both append their new messages; the window
 * marker written last wins. Thread-safe.
 */
public final class AgentStoreChatMemoryRepository implements ChatMemoryRepository {

    /** The key/value memory key of a session's window marker. */
    public static final String WINDOW_KEY = "spring-ai.chat-memory.window";

    static final String META_PREFIX = "spring_ai.";
    private static final String META_PART = META_PREFIX + "tool_response";
    private static final String META_PARTS = META_PREFIX + "tool_responses";
    private static final String META_TEXT_NULL = META_PREFIX + "text_null";
    private static final String META_TOOL_CALL_TYPES = META_PREFIX + "tool_call_types";
    private static final int PAGE = Conversations.MAX_PAGE_SIZE;
    private static final int CACHED_CONVERSATIONS = 1_000;

    private final TenantId tenant;
    private final String agentId;
    private final String keyPrefix;
    private final Conversations conversations;
    private final ConversationHistory history;
    private final Memory memory;
    /** The last window of recently used conversations (least recently used dropped past {@value #CACHED_CONVERSATIONS}). */
    private final Map<String, Cached> cache = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHED_CONVERSATIONS;
        }
    });

    private AgentStoreChatMemoryRepository(Builder b) {
        this.tenant = b.tenant;
        this.agentId = b.agentId;
        this.keyPrefix = b.keyPrefix;
        this.conversations = b.store.conversations(tenant);
        this.history = conversations.history();
        this.memory = b.store.memory(tenant);
    }

    /** A builder over this store. */
    public static Builder builder(AgentStore store) {
        return new Builder(store);
    }

    @Override
    public List<String> findConversationIds() {
        List<String> ids = new ArrayList<>();
        String after = keyPrefix.isEmpty() ? null : keyPrefix;
        while (true) {
            List<String> page = history.listHostKeys(after, PAGE);
            for (String key : page) {
                if (!key.startsWith(keyPrefix)) {
                    return ids;
                }
                ids.add(key.substring(keyPrefix.length()));
            }
            if (page.size() < PAGE) {
                return ids;
            }
            after = page.get(page.size() - 1);
        }
    }

    @Override
    public List<Message> findByConversationId(String conversationId) {
        String key = hostKey(conversationId);
        Optional<Session> session = history.findByHostKey(key);
        if (session.isEmpty()) {
            cache.remove(key);
            return List.of();
        }
        return window(key, session.get()).stream().map(Entry::message).toList();
    }

    /** The window of a session: from the cache when no message was appended since it was read, else from the database. */
    private List<Entry> window(String key, Session session) {
        Cached c = cache.get(key);
        if (c != null && c.sessionId().equals(session.id()) && c.lastSeq() == session.messageCount()) {
            return c.entries();
        }
        List<Entry> entries = Window.read(this, session);
        cache.put(key, new Cached(session.id(), session.messageCount(), entries));
        return entries;
    }

    @Override
    public void saveAll(String conversationId, List<Message> messages) {
        String key = hostKey(conversationId);
        Objects.requireNonNull(messages, "messages");
        // convert everything first: a message agentstore cannot hold fails the call before anything is written
        List<List<NewMessage>> converted = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) == null) {
                throw new IllegalArgumentException("messages must not contain null, but element " + i + " is null");
            }
            converted.add(toRows(messages.get(i)));
        }
        Optional<Session> found = history.findByHostKey(key);
        if (found.isEmpty() && messages.isEmpty()) {
            return;
        }
        Session session = found.orElseGet(() -> history.openOrGet(key, NewSession.create().withAgent(agentId)));
        List<Entry> current = found.isPresent() ? window(key, session) : List.of();

        // the longest prefix of the new list that the stored window holds, in order: identical instances
        // first (MessageWindowChatMemory hands back what findByConversationId returned), then equal ones
        List<Entry> kept = new ArrayList<>();
        int next = 0;
        int i = 0;
        for (; i < messages.size(); i++) {
            int at = indexOf(current, messages.get(i), next);
            if (at < 0) {
                break;
            }
            kept.add(current.get(at));
            next = at + 1;
        }
        List<NewMessage> rows = new ArrayList<>();
        for (List<NewMessage> r : converted.subList(i, messages.size())) {
            rows.addAll(r);
        }
        long lastBefore = session.messageCount();
        List<dev.agentstore.conversation.Message> stored = new ArrayList<>(rows.size());
        for (int from = 0; from < rows.size(); from += Conversations.MAX_MESSAGES_PER_CALL) {
            stored.addAll(conversations.addMessages(session.id(),
                    rows.subList(from, Math.min(rows.size(), from + Conversations.MAX_MESSAGES_PER_CALL))));
        }
        if (!stored.isEmpty()) {
            lastBefore = stored.get(0).seq() - 1;
        }
        if (kept.size() != current.size()) {
            Window.write(this, session, kept, lastBefore);
        }
        // the new window, with the caller's own message instances (what MessageWindowChatMemory hands back next)
        List<Entry> window = new ArrayList<>(kept);
        int row = 0;
        for (int m = i; m < messages.size(); m++) {
            int n = converted.get(m).size();
            window.add(new Entry(messages.get(m), stored.get(row).seq(), stored.get(row + n - 1).seq()));
            row += n;
        }
        long last = stored.isEmpty() ? lastBefore : stored.get(stored.size() - 1).seq();
        cache.put(key, new Cached(session.id(), last, List.copyOf(window)));
    }

    @Override
    public void deleteByConversationId(String conversationId) {
        String key = hostKey(conversationId);
        cache.remove(key);
        history.findByHostKey(key).ifPresent(s -> conversations.deleteSession(s.id()));
    }

    /** The tenant this repository works in. */
    public TenantId tenant() {
        return tenant;
    }

    @Override
    public String toString() {
        return "AgentStoreChatMemoryRepository[tenant=" + tenant.value() + ", agentId=" + agentId + ", keyPrefix='"
                + keyPrefix + "']";
    }

    // ------------------------------------------------------------------------------------------

    private String hostKey(String conversationId) {
        if (conversationId == null || conversationId.isBlank()) {
            throw new IllegalArgumentException("conversationId must not be " + (conversationId == null ? "null" : "blank"));
        }
        return keyPrefix + conversationId;
    }

    private static int indexOf(List<Entry> current, Message m, int from) {
        for (int j = from; j < current.size(); j++) {
            if (current.get(j).message() == m) {
                return j;
            }
        }
        for (int j = from; j < current.size(); j++) {
            if (current.get(j).message().equals(m)) {
                return j;
            }
        }
        return -1;
    }

    MemoryKey windowKey(Session session) {
        return MemoryKey.of(agentId, MemoryScope.session(session.id().value()), WINDOW_KEY);
    }

    Memory memory() {
        return memory;
    }

    Conversations conversations() {
        return conversations;
    }

    /** The window as last read or written, valid while the session's last sequence number is unchanged. */
    private record Cached(SessionId sessionId, long lastSeq, List<Entry> entries) {
    }

    /** One Spring AI message and the agentstore rows holding it (more than one for several tool responses). */
    record Entry(Message message, long firstSeq, long lastSeq) {
    }

    // ------------------------------------------------------------------------------------------
    // Spring AI message -> agentstore rows

    static List<NewMessage> toRows(Message m) {
        if (m instanceof MediaContent mc && mc.getMedia() != null && !mc.getMedia().isEmpty()) {
            throw new IllegalArgumentException("a " + m.getMessageType() + " message with media (" + mc.getMedia().size()
                    + " items) cannot be stored: agentstore keeps text, tool calls and tool responses only");
        }
        Map<String, Object> meta = metadata(m.getMetadata());
        String text = m.getText();
        if (m instanceof ToolResponseMessage t) {
            List<ToolResponseMessage.ToolResponse> responses = t.getResponses();
            if (responses.isEmpty()) {
                throw new IllegalArgumentException("a tool response message needs at least one response");
            }
            List<NewMessage> rows = new ArrayList<>(responses.size());
            for (int i = 0; i < responses.size(); i++) {
                ToolResponseMessage.ToolResponse r = responses.get(i);
                Map<String, Object> partMeta = new LinkedHashMap<>(i == 0 ? meta : Map.of());
                partMeta.put(META_PART, i);
                partMeta.put(META_PARTS, responses.size());
                if (r.responseData() == null) {
                    partMeta.put(META_TEXT_NULL, true);
                }
                String id = r.id() == null || r.id().isEmpty() ? null : r.id();
                String name = r.name() == null || r.name().isBlank() ? null : r.name();
                if (id == null && name == null) {
                    throw new IllegalArgumentException("tool response " + i + " has neither an id nor a name");
                }
                rows.add(NewMessage.toolResult(id, name, r.responseData() == null ? "" : r.responseData())
                        .withMetadata(partMeta));
            }
            return rows;
        }
        if (m instanceof AssistantMessage a && a.hasToolCalls()) {
            List<ToolCall> calls = new ArrayList<>();
            List<String> types = new ArrayList<>();
            boolean otherType = false;
            for (AssistantMessage.ToolCall c : a.getToolCalls()) {
                calls.add(ToolCall.of(c.id() == null || c.id().isEmpty() ? null : c.id(), c.name(), c.arguments()));
                types.add(c.type());
                otherType |= !"function".equals(c.type());
            }
            if (otherType) {
                meta.put(META_TOOL_CALL_TYPES, types);
            }
            if (text == null) {
                meta.put(META_TEXT_NULL, true);
            }
            return List.of(NewMessage.assistant(text == null ? "" : text, calls).withMetadata(meta));
        }
        Role role = switch (m.getMessageType()) {
            case USER -> Role.USER;
            case ASSISTANT -> Role.ASSISTANT;
            case SYSTEM -> Role.SYSTEM;
            case TOOL -> Role.TOOL;
        };
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a " + m.getMessageType() + " message without text (and without tool calls)"
                    + " cannot be stored");
        }
        return List.of(NewMessage.of(role, text).withMetadata(meta));
    }

    private static Map<String, Object> metadata(Map<String, Object> source) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (source == null) {
            return out;
        }
        source.forEach((k, v) -> {
            if (k == null || AbstractMessage.MESSAGE_TYPE.equals(k) || v == null) {
                return;
            }
            out.put(k, json(v));
        });
        return out;
    }

    private static Object json(Object v) {
        if (v instanceof String || v instanceof Boolean || v instanceof Number) {
            return v instanceof Double d && !Double.isFinite(d) || v instanceof Float f && !Float.isFinite(f) ? v.toString() : v;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, x) -> out.put(String.valueOf(k), x == null ? null : json(x)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object x : c) {
                out.add(x == null ? null : json(x));
            }
            return out;
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        return v.toString();
    }

    // ------------------------------------------------------------------------------------------
    // agentstore rows -> Spring AI messages

    static List<Entry> toEntries(List<dev.agentstore.conversation.Message> rows) {
        List<Entry> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            dev.agentstore.conversation.Message r = rows.get(i);
            Map<String, Object> meta = new LinkedHashMap<>(r.metadata());
            boolean textNull = Boolean.TRUE.equals(meta.remove(META_TEXT_NULL));
            String text = textNull ? null : r.content();
            if (r.role() == Role.TOOL) {
                Object parts = meta.remove(META_PARTS);
                meta.remove(META_PART);
                int n = parts instanceof Number p ? p.intValue() : 1;
                List<ToolResponseMessage.ToolResponse> responses = new ArrayList<>(n);
                responses.add(new ToolResponseMessage.ToolResponse(nullToEmpty(r.toolCallId()), nullToEmpty(r.toolName()), text));
                int j = i + 1;
                for (; j < rows.size() && responses.size() < n && rows.get(j).role() == Role.TOOL; j++) {
                    dev.agentstore.conversation.Message p = rows.get(j);
                    boolean partNull = Boolean.TRUE.equals(p.metadata().get(META_TEXT_NULL));
                    responses.add(new ToolResponseMessage.ToolResponse(nullToEmpty(p.toolCallId()), nullToEmpty(p.toolName()),
                            partNull ? null : p.content()));
                }
                out.add(new Entry(ToolResponseMessage.builder().responses(responses).metadata(meta).build(), r.seq(),
                        rows.get(j - 1).seq()));
                i = j - 1;
                continue;
            }
            Message m = switch (r.role()) {
                case USER -> UserMessage.builder().text(text).metadata(meta).build();
                case SYSTEM -> SystemMessage.builder().text(text).metadata(meta).build();
                case ASSISTANT -> {
                    Object types = meta.remove(META_TOOL_CALL_TYPES);
                    List<AssistantMessage.ToolCall> calls = new ArrayList<>(r.toolCalls().size());
                    for (int c = 0; c < r.toolCalls().size(); c++) {
                        ToolCall tc = r.toolCalls().get(c);
                        String type = types instanceof List<?> l && c < l.size() ? String.valueOf(l.get(c)) : "function";
                        calls.add(new AssistantMessage.ToolCall(nullToEmpty(tc.id()), type, tc.name(), tc.arguments()));
                    }
                    yield AssistantMessage.builder().content(text).properties(meta).toolCalls(calls).build();
                }
                case TOOL -> throw new IllegalStateException("unreachable");
            };
            out.add(new Entry(m, r.seq(), r.seq()));
        }
        return out;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Configures an {@link AgentStoreChatMemoryRepository}. */
    public static final class Builder {

        private final AgentStore store;
        private TenantId tenant = TenantId.of("default");
        private String agentId = "spring-ai";
        private String keyPrefix = "";

        private Builder(AgentStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The tenant (default {@code default}). */
        public Builder tenant(String tenant) {
            this.tenant = TenantId.of(tenant);
            return this;
        }

        /** The agent id recorded on new sessions and scoping the window markers (default {@code spring-ai}). */
        public Builder agentId(String agentId) {
            if (agentId == null || agentId.isBlank() || agentId.length() > MemoryKey.MAX_AGENT_ID_LENGTH) {
                throw new IllegalArgumentException("agentId must have 1 to " + MemoryKey.MAX_AGENT_ID_LENGTH
                        + " characters and not be blank, but was " + (agentId == null ? "null" : "'" + agentId + "'"));
            }
            this.agentId = agentId;
            return this;
        }

        /**
         * A prefix put before every conversation id to make the session's host key (default none), so that
         * {@link #findConversationIds()} lists only this repository's conversations when other code opens
         * sessions by host key in the same tenant.
         */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
            return this;
        }

        /** The repository. */
        public AgentStoreChatMemoryRepository build() {
            return new AgentStoreChatMemoryRepository(this);
        }
    }
}
