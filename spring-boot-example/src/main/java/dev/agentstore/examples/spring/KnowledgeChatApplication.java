package dev.agentstore.examples.spring;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentstore.AgentStore;
import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import javax.sql.DataSource;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application answering questions from a knowledge base and remembering each
 * conversation, all on agentstore through the starter: the {@code AgentStore}, the Spring AI
 * {@code VectorStore} and the {@code ChatMemoryRepository} are auto-configured (see
 * {@code application.properties}); this class only supplies what a real application gets from
 * elsewhere: a DataSource, an embedding model and a chat model.
 *
 * <pre>
 * mvn -pl spring-boot-example -am -DskipTests package exec:exec
 * curl -s localhost:8080/chat/alice -H 'Content-Type: text/plain' -d 'How do I dry a wet tent?'
 * </pre>
 */
@SpringBootApplication
public class KnowledgeChatApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(KnowledgeChatApplication.class, args);
    }

    /**
     * The embedded default database (a throw-away PostgreSQL with pgvector from agentstore's test kit),
     * unless {@code spring.datasource.url} or {@code AGENTSTORE_JDBC_URL} names a real one.
     */
    @Bean
    @ConditionalOnMissingBean(DataSource.class)
    DataSource dataSource() {
        HikariDataSource ds = new HikariDataSource();
        String url = System.getenv(AgentStore.ENV_JDBC_URL);
        if (url != null && !url.isBlank()) {
            ds.setJdbcUrl(url);
            ds.setUsername(System.getenv(AgentStore.ENV_JDBC_USER));
            ds.setPassword(System.getenv(AgentStore.ENV_JDBC_PASSWORD));
        } else {
            TestDatabase db = TestPostgres.shared().createEmptyDatabase();
            ds.setJdbcUrl(db.jdbcUrl());
            ds.setUsername(db.user());
            ds.setPassword(db.password());
        }
        ds.setMaximumPoolSize(4);
        return ds;
    }

    /** In-process all-MiniLM-L6-v2 (384 dimensions), no network. */
    @Bean
    EmbeddingModel embeddingModel() {
        return new MiniLmEmbeddingModel();
    }

    /** A scripted stand-in for a real chat model. */
    @Bean
    ChatModel chatModel() {
        return new ScriptedChatModel();
    }

    /** A window of the last 20 messages per conversation, kept in agentstore. */
    @Bean
    ChatMemory chatMemory(ChatMemoryRepository repository) {
        return MessageWindowChatMemory.builder().chatMemoryRepository(repository).maxMessages(20).build();
    }
}
