package dev.agentstore.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentstore.AgentStore;
import dev.agentstore.AgentStoreException;
import dev.agentstore.spring.ai.AgentStoreChatMemoryRepository;
import dev.agentstore.spring.ai.AgentStoreVectorStore;
import dev.agentstore.spring.ai.WordHashEmbeddingModel;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.InMemoryChatMemoryRepository;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.model.chat.memory.autoconfigure.ChatMemoryAutoConfiguration;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.support.GenericApplicationContext;

/** The auto-configuration with and without a DataSource, Spring AI and Actuator, against a real database. */
@AgentStoreTest(dimension = 8)
class AgentStoreAutoConfigurationIT {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AgentStoreAutoConfiguration.class,
                    AgentStoreHealthAutoConfiguration.class, AgentStoreVectorStoreAutoConfiguration.class,
                    AgentStoreChatMemoryAutoConfiguration.class, ChatMemoryAutoConfiguration.class));

    private static HikariDataSource pool(TestDatabase db) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(db.jdbcUrl());
        ds.setUsername(db.user());
        ds.setPassword(db.password());
        ds.setMaximumPoolSize(3);
        return ds;
    }

    @Test
    void the_store_uses_the_application_data_source_and_leaves_it_open_when_the_context_closes(TestDatabase db)
            throws Exception {
        // the application's DataSource lives in a parent context, as an application's infrastructure would
        try (HikariDataSource ds = pool(db); GenericApplicationContext app = new GenericApplicationContext()) {
            app.registerBean(DataSource.class, () -> ds);
            app.refresh();
            runner.withParent(app).run(ctx -> {
                assertThat(ctx).hasSingleBean(AgentStore.class);
                AgentStore store = ctx.getBean(AgentStore.class);
                assertThat(store.ownsPool()).isFalse();
                assertThat(store.embeddingDimension()).isEqualTo(8);
                assertThat(store.health().ok()).isTrue();
            });
            // the context holding the store is closed (and the store with it): the DataSource is still open
            assertThat(ds.isClosed()).isFalse();
            try (var c = ds.getConnection()) {
                assertThat(c.isValid(2)).isTrue();
            }
        }
    }

    @Test
    void without_a_data_source_or_jdbc_url_there_is_no_store_and_nothing_fails() {
        runner.run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).doesNotHaveBean(AgentStore.class);
            assertThat(ctx).doesNotHaveBean(AgentStoreVectorStore.class);
            assertThat(ctx).doesNotHaveBean(AgentStoreChatMemoryRepository.class);
        });
    }

    @Test
    void with_only_a_jdbc_url_the_store_owns_a_pool_and_closes_it_with_the_context(TestDatabase db) {
        AtomicReference<AgentStore> seen = new AtomicReference<>();
        runner.withPropertyValues("agentstore.jdbc.url=" + db.jdbcUrl(), "agentstore.jdbc.username=" + db.user(),
                        "agentstore.jdbc.password=" + db.password(), "agentstore.jdbc.pool-size=2")
                .run(ctx -> {
                    AgentStore store = ctx.getBean(AgentStore.class);
                    assertThat(store.ownsPool()).isTrue();
                    assertThat(store.health().pool().maximum()).isEqualTo(2);
                    seen.set(store);
                });
        assertThatThrownBy(() -> seen.get().health()).isInstanceOf(AgentStoreException.class);
    }

    @Test
    void properties_are_bound_to_the_store_and_the_spring_ai_beans(TestDatabase db) {
        try (HikariDataSource ds = pool(db)) {
            runner.withBean(DataSource.class, () -> ds)
                    .withBean(EmbeddingModel.class, () -> new WordHashEmbeddingModel(8))
                    .withPropertyValues("agentstore.embedding-dimension=8", "agentstore.tenant=acme",
                            "agentstore.vector-store.knowledge-base=handbook", "agentstore.vector-store.metric=l2",
                            "agentstore.limits.max-message-length=50")
                    .run(ctx -> {
                        AgentStoreVectorStore vs = ctx.getBean(AgentStoreVectorStore.class);
                        assertThat(vs.tenant().value()).isEqualTo("acme");
                        assertThat(vs.knowledgeBaseName()).isEqualTo("handbook");
                        assertThat(vs.toString()).contains("metric=l2");
                        AgentStore store = ctx.getBean(AgentStore.class);
                        assertThatThrownBy(() -> store.conversations("acme")
                                .addMessage(store.conversations("acme").open("u", "a").id(),
                                        dev.agentstore.conversation.NewMessage.user("x".repeat(51))))
                                .hasMessageContaining("50");
                    });
        }
    }

    @Test
    void ingest_lease_and_index_build_workers_are_bound_and_checked(TestDatabase db) {
        try (HikariDataSource ds = pool(db)) {
            runner.withBean(DataSource.class, () -> ds)
                    .withPropertyValues("agentstore.ingest-lease=90s", "agentstore.index-build-workers=0")
                    .run(ctx -> {
                        assertThat(ctx).hasNotFailed();
                        AgentStoreProperties p = ctx.getBean(AgentStoreProperties.class);
                        assertThat(p.getIngestLease()).isEqualTo(java.time.Duration.ofSeconds(90));
                        assertThat(p.getIndexBuildWorkers()).isZero();
                        assertThat(ctx.getBean(AgentStore.class).health().ok()).isTrue();
                    });
            runner.withBean(DataSource.class, () -> ds).withPropertyValues("agentstore.ingest-lease=500ms")
                    .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
                            .hasMessage("agentstore.ingest-lease must be between PT1S and PT24H, but was PT0.5S"));
            runner.withBean(DataSource.class, () -> ds).withPropertyValues("agentstore.index-build-workers=65")
                    .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
                            .hasMessage("agentstore.index-build-workers must be between 0 and 64, but was 65"));
        }
    }

    @Test
    void an_impossible_property_stops_the_start_naming_the_property() {
        runner.withPropertyValues("agentstore.jdbc.url=jdbc:postgresql://127.0.0.1:1/none", "agentstore.jdbc.pool-size=0")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).rootCause()
                            .hasMessage("agentstore.jdbc.pool-size must be between 1 and 1000, but was 0");
                    assertThat(stackText(ctx.getStartupFailure())).contains("Failed to bind properties under 'agentstore.jdbc'");
                });
        runner.withPropertyValues("agentstore.embedding-dimension=5000")
                .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
                        .hasMessageStartingWith("agentstore.embedding-dimension: embeddingDimension must be between 1 and 2000"));
    }

    @Test
    void a_dimension_that_does_not_fit_the_schema_stops_the_start_with_both_numbers(TestDatabase db) {
        try (HikariDataSource ds = pool(db)) {
            runner.withBean(DataSource.class, () -> ds).withPropertyValues("agentstore.embedding-dimension=16")
                    .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
                            .hasMessageContaining("16").hasMessageContaining("8"));
        }
    }

    @Test
    void the_health_indicator_reports_up_with_versions_and_pool(TestDatabase db) {
        try (HikariDataSource ds = pool(db)) {
            runner.withBean(DataSource.class, () -> ds).run(ctx -> {
                HealthIndicator indicator = ctx.getBean("agentstoreHealthIndicator", HealthIndicator.class);
                var health = indicator.health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsKeys("postgresql", "pgvector", "schemaVersion", "pool")
                        .containsEntry("schema", "agentstore").containsEntry("embeddingDimension", 8);
            });
        }
    }

    @Test
    void the_health_indicator_reports_down_when_the_database_is_gone(TestDatabase db) {
        HikariDataSource ds = pool(db);
        runner.withBean(DataSource.class, () -> ds).run(ctx -> {
            ds.close();
            var health = ctx.getBean("agentstoreHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void without_actuator_there_is_no_health_indicator_and_the_store_still_works(TestDatabase db) {
        try (HikariDataSource ds = pool(db)) {
            runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).withBean(DataSource.class, () -> ds)
                    .run(ctx -> {
                        assertThat(ctx).hasNotFailed();
                        assertThat(ctx).hasSingleBean(AgentStore.class);
                        assertThat(ctx).doesNotHaveBean(AgentStoreHealthIndicator.class);
                    });
        }
    }

    @Test
    void without_spring_ai_only_the_store_is_configured(TestDatabase db) {
        try (HikariDataSource ds = pool(db)) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(AgentStoreAutoConfiguration.class,
                            AgentStoreHealthAutoConfiguration.class, AgentStoreVectorStoreAutoConfiguration.class,
                            AgentStoreChatMemoryAutoConfiguration.class))
                    .withClassLoader(new FilteredClassLoader("org.springframework.ai"))
                    .withBean(DataSource.class, () -> ds)
                    .run(ctx -> {
                        assertThat(ctx).hasNotFailed();
                        assertThat(ctx).hasSingleBean(AgentStore.class);
                        assertThat(ctx).doesNotHaveBean("agentStoreVectorStore");
                        assertThat(ctx).doesNotHaveBean("agentStoreChatMemoryRepository");
                    });
        }
    }

    @Test
    void with_spring_ai_the_vector_store_and_the_chat_memory_are_agentstore(TestDatabase db) {
        try (HikariDataSource ds = pool(db)) {
            runner.withBean(DataSource.class, () -> ds)
                    .withBean(EmbeddingModel.class, () -> new WordHashEmbeddingModel(8))
                    .run(ctx -> {
                        assertThat(ctx.getBean(VectorStore.class)).isInstanceOf(AgentStoreVectorStore.class);
                        assertThat(ctx.getBean(ChatMemoryRepository.class)).isInstanceOf(AgentStoreChatMemoryRepository.class);
                        ChatMemory memory = ctx.getBean(ChatMemory.class);
                        memory.add("c-1", new UserMessage("hello"));
                        assertThat(memory.get("c-1")).extracting(m -> m.getText()).containsExactly("hello");
                        assertThat(ctx.getBean(AgentStore.class).conversations("default").history().findByHostKey("c-1"))
                                .isPresent();
                    });
        }
    }

    @Test
    void without_an_embedding_model_there_is_no_vector_store(TestDatabase db) {
        try (HikariDataSource ds = pool(db)) {
            runner.withBean(DataSource.class, () -> ds).run(ctx -> {
                assertThat(ctx).hasNotFailed();
                assertThat(ctx).doesNotHaveBean(VectorStore.class);
                assertThat(ctx).hasSingleBean(AgentStoreChatMemoryRepository.class);
            });
        }
    }

    @Test
    void beans_of_the_application_win(TestDatabase db) {
        try (HikariDataSource ds = pool(db)) {
            InMemoryChatMemoryRepository own = new InMemoryChatMemoryRepository();
            runner.withBean(DataSource.class, () -> ds).withBean(ChatMemoryRepository.class, () -> own)
                    .run(ctx -> assertThat(ctx.getBean(ChatMemoryRepository.class)).isSameAs(own));
        }
    }

    @Test
    void agentstore_enabled_false_configures_nothing(TestDatabase db) {
        try (HikariDataSource ds = pool(db)) {
            runner.withBean(DataSource.class, () -> ds).withPropertyValues("agentstore.enabled=false")
                    .run(ctx -> {
                        assertThat(ctx).hasNotFailed();
                        assertThat(ctx).doesNotHaveBean(AgentStore.class);
                        assertThat(ctx.getBean(ChatMemoryRepository.class)).isInstanceOf(InMemoryChatMemoryRepository.class);
                    });
        }
    }

    private static String stackText(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
