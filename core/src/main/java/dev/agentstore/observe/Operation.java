package dev.agentstore.observe;

import dev.agentstore.knowledge.SearchMode;

/**
 * The operations an {@link StoreObserver} is told about: one constant per public data operation of the
 * capability facades (overloads of one operation share a constant). Each has a {@link #capability()} and an
 * {@link #operation()} name, used as metric tags; both are stable across minor versions (new constants may be
 * added).
 */
public enum Operation {
    /** {@code Conversations.open}. */
    SESSION_OPEN("conversations", "session.open"),
    /** {@code Conversations.findSession} / {@code getSession}. */
    SESSION_READ("conversations", "session.read"),
    /** {@code Conversations.listSessionsOfUser} / {@code listSessionsOfAgent}. */
    SESSION_LIST("conversations", "session.list"),
    /** {@code Conversations.deleteSession}. */
    SESSION_DELETE("conversations", "session.delete"),
    /** {@code Conversations.deleteSessionsInactiveSince} / {@code deleteSessionsInactiveFor}. */
    SESSION_RETENTION("conversations", "session.retention"),
    /** {@code Conversations.addMessages} / {@code addMessage}: a chat append. */
    MESSAGE_APPEND("conversations", "message.append"),
    /** {@code Conversations.listLastMessages}: the history read of a chat turn. */
    MESSAGE_LAST("conversations", "message.last"),
    /** {@code Conversations.listMessagesBefore}: paging back through a history. */
    MESSAGE_BEFORE("conversations", "message.before"),
    /** {@code Conversations.findMessage} / {@code getMessage}. */
    MESSAGE_READ("conversations", "message.read"),
    /** {@code Conversations.addFeedback} / {@code deleteFeedback}. */
    MESSAGE_FEEDBACK("conversations", "message.feedback"),
    /** {@code Conversations.statsPerAgent} / {@code statsPerAgentAndDay}. */
    CONVERSATION_STATS("conversations", "stats"),
    /** {@code ConversationHistory.openOrGet}. */
    HISTORY_OPEN("conversations", "history.open"),
    /** {@code ConversationHistory.append}: messages with their original timestamps. */
    HISTORY_APPEND("conversations", "history.append"),
    /** {@code ConversationHistory.importSessions}. */
    HISTORY_IMPORT("conversations", "history.import"),
    /** {@code ConversationHistory.deleteMessagesBefore}. */
    HISTORY_RETENTION("conversations", "history.retention"),

    /** {@code Documents.createKnowledgeBase}. */
    KNOWLEDGE_BASE_CREATE("documents", "knowledge_base.create"),
    /** {@code Documents.deleteKnowledgeBase}. */
    KNOWLEDGE_BASE_DELETE("documents", "knowledge_base.delete"),
    /** {@code Documents.ingest}: one document. */
    INGEST("documents", "ingest"),
    /** {@code Documents.ingestAll}: a bulk ingest. */
    INGEST_ALL("documents", "ingest_all"),
    /** {@code Documents.findDocument} / {@code getDocument} / {@code listDocuments} / {@code listChunks}. */
    DOCUMENT_READ("documents", "document.read"),
    /** {@code Documents.deleteDocument} / {@code deleteDocuments} / {@code deleteAllDocuments}. */
    DOCUMENT_DELETE("documents", "document.delete"),
    /** {@code DocumentPipeline.register}. */
    PIPELINE_REGISTER("documents", "pipeline.register"),
    /** {@code DocumentPipeline.claim}. */
    PIPELINE_CLAIM("documents", "pipeline.claim"),
    /** {@code LeaseRecovery.recoverExpired}: the store-wide recovery of expired ingestion leases. */
    LEASE_RECOVERY("documents", "lease_recovery"),

    /** {@code Knowledge.search} with {@link SearchMode#VECTOR}. */
    SEARCH_VECTOR("knowledge", "search.vector"),
    /** {@code Knowledge.search} with {@link SearchMode#TEXT}. */
    SEARCH_TEXT("knowledge", "search.text"),
    /** {@code Knowledge.search} with {@link SearchMode#HYBRID}. */
    SEARCH_HYBRID("knowledge", "search.hybrid"),

    /** {@code Memory.put} / {@code putValue}: a key-value memory write. */
    MEMORY_PUT("memory", "put"),
    /** {@code Memory.find} / {@code get}. */
    MEMORY_GET("memory", "get"),
    /** {@code Memory.list}. */
    MEMORY_LIST("memory", "list"),
    /** {@code Memory.delete}. */
    MEMORY_DELETE("memory", "delete"),
    /** {@code Memory.purgeExpired}. */
    MEMORY_PURGE("memory", "purge"),
    /** {@code Memory.remember}: a semantic memory write. */
    MEMORY_REMEMBER("memory", "remember"),
    /** {@code Memory.recall}: semantic recall. */
    MEMORY_RECALL("memory", "recall"),
    /** {@code Memory.forget}. */
    MEMORY_FORGET("memory", "forget"),

    /** {@code Agents.register}. */
    AGENT_REGISTER("agents", "agent.register"),
    /** {@code Agents.publish}. */
    AGENT_PUBLISH("agents", "agent.publish"),
    /** {@code Runs.record}: agent run recording. */
    RUN_RECORD("agents", "run.record"),
    /** {@code Runs.find} / {@code get}. */
    RUN_READ("agents", "run.read"),
    /** {@code Runs.list}. */
    RUN_LIST("agents", "run.list"),

    /** {@code Erasure.eraseUser}. */
    ERASE_USER("lifecycle", "erase.user"),
    /** {@code Erasure.eraseAgent}. */
    ERASE_AGENT("lifecycle", "erase.agent"),
    /** {@code Erasure.eraseTenant} / {@code AgentStore.erase}. */
    ERASE_TENANT("lifecycle", "erase.tenant");

    private final String capability;
    private final String operation;

    Operation(String capability, String operation) {
        this.capability = capability;
        this.operation = operation;
    }

    /**
     * The capability the operation belongs to: {@code conversations}, {@code documents}, {@code knowledge},
     * {@code memory}, {@code agents} or {@code lifecycle}.
     *
     * @return the capability's tag value
     */
    public String capability() {
        return capability;
    }

    /**
     * The operation's name within its capability, e.g. {@code message.append} or {@code search.vector}.
     *
     * @return the operation's tag value
     */
    public String operation() {
        return operation;
    }

    /**
     * The search operation of a search mode.
     *
     * @param mode the request's mode
     * @return {@link #SEARCH_VECTOR}, {@link #SEARCH_TEXT} or {@link #SEARCH_HYBRID}
     */
    public static Operation search(SearchMode mode) {
        return switch (mode) {
            case VECTOR -> SEARCH_VECTOR;
            case TEXT -> SEARCH_TEXT;
            case HYBRID -> SEARCH_HYBRID;
        };
    }
}
