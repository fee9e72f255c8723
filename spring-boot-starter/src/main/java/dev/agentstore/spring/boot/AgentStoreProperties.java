package dev.agentstore.spring.boot;

import dev.agentstore.AgentStore;
import dev.agentstore.document.DistanceMetric;
import dev.agentstore.migrations.AgentStoreMigrations;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code agentstore.*} settings of the auto-configured {@link AgentStore}. Every setter rejects an
 * impossible value at binding time, so a wrong property stops the application at start-up with the
 * property's name and the allowed range.
 *
 * <pre>
 * agentstore.schema=agentstore
 * agentstore.embedding-dimension=384
 * agentstore.migrate-on-start=true
 * agentstore.tenant=default
 * agentstore.vector-store.knowledge-base=spring-ai
 * </pre>
 */
@ConfigurationProperties(prefix = "agentstore")
public class AgentStoreProperties {

    /** Default tenant of the Spring AI beans. */
    public static final String DEFAULT_TENANT = "default";

    /** Whether to auto-configure an AgentStore at all. */
    private boolean enabled = true;

    /** Schema of agentstore's tables and of its own Flyway history (apart from the application's). */
    private String schema = AgentStoreMigrations.DEFAULT_SCHEMA;

    /**
     * Dimension of every embedding, 1 to 2000. Unset: taken from the migrated schema (a first migration
     * uses 1536). With Spring AI, set it to your EmbeddingModel's dimension.
     */
    private Integer embeddingDimension;

    /** Whether to apply agentstore's pending migrations when the application starts. */
    private boolean migrateOnStart;

    /** Whether to check pgvector, the schema version and the embedding dimension when the application starts. */
    private boolean validateOnStart = true;

    /** Tenant the Spring AI VectorStore and ChatMemoryRepository work in. */
    private String tenant = DEFAULT_TENANT;

    /**
     * Processing lease an ingest of an existing document holds while it embeds, 1s to 1d (renewed after every
     * embedding batch that ends past half of it).
     */
    private Duration ingestLease = AgentStore.Builder.DEFAULT_INGEST_LEASE;

    /**
     * Parallel workers PostgreSQL may use to build a knowledge base's HNSW index, 0 to 64 (0: the leader alone).
     * Unset: agentstore's default, from the number of cores.
     */
    private Integer indexBuildWorkers;

    /** Used only when the application has no DataSource bean: agentstore then owns a HikariCP pool. */
    private final Jdbc jdbc = new Jdbc();

    /** Input limits. */
    private final Limits limits = new Limits();

    /** The Spring AI VectorStore. */
    private final VectorStore vectorStore = new VectorStore();

    /** The Spring AI ChatMemoryRepository. */
    private final ChatMemory chatMemory = new ChatMemory();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getSchema() {
        return schema;
    }

    public void setSchema(String schema) {
        this.schema = named("agentstore.schema", () -> AgentStoreMigrations.checkSchemaName(schema));
    }

    public Integer getEmbeddingDimension() {
        return embeddingDimension;
    }

    public void setEmbeddingDimension(Integer embeddingDimension) {
        this.embeddingDimension = embeddingDimension == null ? null
                : named("agentstore.embedding-dimension", () -> AgentStoreMigrations.checkDimension(embeddingDimension));
    }

    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    public void setMigrateOnStart(boolean migrateOnStart) {
        this.migrateOnStart = migrateOnStart;
    }

    public boolean isValidateOnStart() {
        return validateOnStart;
    }

    public void setValidateOnStart(boolean validateOnStart) {
        this.validateOnStart = validateOnStart;
    }

    public String getTenant() {
        return tenant;
    }

    public void setTenant(String tenant) {
        if (tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("agentstore.tenant must not be blank");
        }
        this.tenant = tenant;
    }

    public Duration getIngestLease() {
        return ingestLease;
    }

    public void setIngestLease(Duration ingestLease) {
        if (ingestLease == null || ingestLease.compareTo(AgentStore.Builder.MIN_INGEST_LEASE) < 0
                || ingestLease.compareTo(AgentStore.Builder.MAX_INGEST_LEASE) > 0) {
            throw new IllegalArgumentException("agentstore.ingest-lease must be between " + AgentStore.Builder.MIN_INGEST_LEASE
                    + " and " + AgentStore.Builder.MAX_INGEST_LEASE + ", but was " + ingestLease);
        }
        this.ingestLease = ingestLease;
    }

    public Integer getIndexBuildWorkers() {
        return indexBuildWorkers;
    }

    public void setIndexBuildWorkers(Integer indexBuildWorkers) {
        if (indexBuildWorkers != null && (indexBuildWorkers < 0 || indexBuildWorkers > 64)) {
            throw new IllegalArgumentException("agentstore.index-build-workers must be between 0 and 64, but was "
                    + indexBuildWorkers);
        }
        this.indexBuildWorkers = indexBuildWorkers;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    public Limits getLimits() {
        return limits;
    }

    public VectorStore getVectorStore() {
        return vectorStore;
    }

    public ChatMemory getChatMemory() {
        return chatMemory;
    }

    /** A pool agentstore creates and closes itself, for applications without a DataSource bean. */
    public static class Jdbc {

        /** JDBC URL, jdbc:postgresql://host[:port]/database. */
        private String url;

        /** Database user. */
        private String username;

        /** Database password (never logged). */
        private String password;

        /** Maximum pool size, 1 to 1000. */
        private int poolSize = AgentStore.Builder.DEFAULT_POOL_SIZE;

        /** Minimum idle connections (default: the pool size). */
        private Integer minimumIdle;

        /** How long to wait for a pooled connection, at least 250 ms. */
        private Duration connectionTimeout = AgentStore.Builder.DEFAULT_CONNECTION_TIMEOUT;

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            if (url != null && !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("agentstore.jdbc.url must start with jdbc:postgresql:");
            }
            this.url = url;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public int getPoolSize() {
            return poolSize;
        }

        public void setPoolSize(int poolSize) {
            if (poolSize < 1 || poolSize > 1000) {
                throw new IllegalArgumentException("agentstore.jdbc.pool-size must be between 1 and 1000, but was " + poolSize);
            }
            this.poolSize = poolSize;
        }

        public Integer getMinimumIdle() {
            return minimumIdle;
        }

        public void setMinimumIdle(Integer minimumIdle) {
            if (minimumIdle != null && minimumIdle < 0) {
                throw new IllegalArgumentException("agentstore.jdbc.minimum-idle must be 0 or more, but was " + minimumIdle);
            }
            this.minimumIdle = minimumIdle;
        }

        public Duration getConnectionTimeout() {
            return connectionTimeout;
        }

        public void setConnectionTimeout(Duration connectionTimeout) {
            if (connectionTimeout == null || connectionTimeout.toMillis() < 250) {
                throw new IllegalArgumentException("agentstore.jdbc.connection-timeout must be at least 250ms, but was " + connectionTimeout);
            }
            this.connectionTimeout = connectionTimeout;
        }

        @Override
        public String toString() {
            return "Jdbc[url=" + url + ", username=" + username + ", password=" + (password == null ? null : "***")
                    + ", poolSize=" + poolSize + "]";
        }
    }

    /** Limits on what agentstore accepts. */
    public static class Limits {

        /** Longest message content, in characters. */
        private int maxMessageLength = AgentStore.Builder.DEFAULT_MAX_MESSAGE_LENGTH;

        /** Longest chunk (document) text, in characters. */
        private int maxChunkLength = AgentStore.Builder.DEFAULT_MAX_CHUNK_LENGTH;

        /** Longest semantic memory, in characters. */
        private int maxMemoryLength = AgentStore.Builder.DEFAULT_MAX_MEMORY_LENGTH;

        /** Texts per call of the embedding model during ingestion, 1 to 10000. */
        private int embeddingBatchSize = AgentStore.Builder.DEFAULT_EMBEDDING_BATCH_SIZE;

        public int getMaxMessageLength() {
            return maxMessageLength;
        }

        public void setMaxMessageLength(int maxMessageLength) {
            this.maxMessageLength = positive(maxMessageLength, Integer.MAX_VALUE, "agentstore.limits.max-message-length");
        }

        public int getMaxChunkLength() {
            return maxChunkLength;
        }

        public void setMaxChunkLength(int maxChunkLength) {
            this.maxChunkLength = positive(maxChunkLength, Integer.MAX_VALUE, "agentstore.limits.max-chunk-length");
        }

        public int getMaxMemoryLength() {
            return maxMemoryLength;
        }

        public void setMaxMemoryLength(int maxMemoryLength) {
            this.maxMemoryLength = positive(maxMemoryLength, Integer.MAX_VALUE, "agentstore.limits.max-memory-length");
        }

        public int getEmbeddingBatchSize() {
            return embeddingBatchSize;
        }

        public void setEmbeddingBatchSize(int embeddingBatchSize) {
            this.embeddingBatchSize = positive(embeddingBatchSize, 10_000, "agentstore.limits.embedding-batch-size");
        }
    }

    /** The Spring AI {@code VectorStore} bean (created when Spring AI and an EmbeddingModel bean are present). */
    public static class VectorStore {

        /** Whether to create the VectorStore bean. */
        private boolean enabled = true;

        /** The knowledge base the VectorStore reads and writes; created on first use when missing. */
        private String knowledgeBase = "spring-ai";

        /** Distance metric of a knowledge base the VectorStore creates (cosine, l2, inner_product). */
        private DistanceMetric metric = DistanceMetric.COSINE;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getKnowledgeBase() {
            return knowledgeBase;
        }

        public void setKnowledgeBase(String knowledgeBase) {
            if (knowledgeBase == null || knowledgeBase.isBlank() || knowledgeBase.length() > 200) {
                throw new IllegalArgumentException("agentstore.vector-store.knowledge-base must have 1 to 200 characters and not be blank");
            }
            this.knowledgeBase = knowledgeBase;
        }

        public DistanceMetric getMetric() {
            return metric;
        }

        public void setMetric(DistanceMetric metric) {
            if (metric == null) {
                throw new IllegalArgumentException("agentstore.vector-store.metric must be cosine, l2 or inner_product");
            }
            this.metric = metric;
        }
    }

    /** The Spring AI {@code ChatMemoryRepository} bean (created when Spring AI is present). */
    public static class ChatMemory {

        /** Whether to create the ChatMemoryRepository bean. */
        private boolean enabled = true;

        /** Agent id recorded on the sessions the repository opens (shows in agentstore's per-agent statistics). */
        private String agentId = "spring-ai";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getAgentId() {
            return agentId;
        }

        public void setAgentId(String agentId) {
            if (agentId != null && (agentId.isBlank() || agentId.length() > 200)) {
                throw new IllegalArgumentException("agentstore.chat-memory.agent-id must have 1 to 200 characters and not be blank");
            }
            this.agentId = agentId;
        }
    }

    private static <T> T named(String property, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": " + e.getMessage());
        }
    }

    private static int positive(int value, int max, String name) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(name + " must be between 1 and " + max + ", but was " + value);
        }
        return value;
    }
}
