package dev.agentstore.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.NotFoundException;
import dev.agentstore.agents.AgentDefinition;
import dev.agentstore.agents.AgentId;
import dev.agentstore.agents.AgentVersionId;
import dev.agentstore.agents.Agents;
import dev.agentstore.agents.NewAgent;
import dev.agentstore.agents.NewRun;
import dev.agentstore.agents.RetrievedChunk;
import dev.agentstore.agents.RunId;
import dev.agentstore.agents.ToolCall;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.Message;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.Session;
import dev.agentstore.document.ChunkId;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Recording runs (with their rollup upserts), rebuilding the rollup, and messages naming their run, as the
 * runtime role bound by row-level security, repeated past pgjdbc's prepare threshold on a small pool.
 */
@AgentStoreTest(dimension = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunsUnderRowLevelSecurityIT {

    private static final AgentId BOT = AgentId.of("support-bot");
    private static final AgentVersionId V1 = new AgentVersionId(BOT, 1);
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private RuntimeRole role;
    private AgentStore store;

    @BeforeAll
    void setUp(TestDatabase db) throws SQLException {
        role = RuntimeRole.create(db);
        store = role.store(2, "rls-runs-test");
    }

    @AfterAll
    void tearDown() throws SQLException {
        store.close();
        role.close();
    }

    private Agents registered(String tenant) {
        Agents agents = store.agents(tenant);
        agents.register(NewAgent.of(BOT.value()));
        agents.publish(BOT, AgentDefinition.of("openai", "gpt-4o"));
        return agents;
    }

    @Test
    void the_runtime_role_records_runs_with_their_rollup_and_sees_only_its_tenants_statistics() {
        Agents acme = registered("rls-acme");
        Agents globex = registered("rls-globex");
        for (int i = 0; i < 12; i++) {
            acme.runs().record(NewRun.succeeded(V1, T0.plus(Duration.ofMinutes(i)), Duration.ofMillis(100 + i))
                    .withRetrievedChunks(List.of(RetrievedChunk.of(ChunkId.of(new UUID(0, i + 1)), 0.5)))
                    .withToolCalls(List.of(ToolCall.succeeded("lookup", Map.of("i", i), 1, Duration.ofMillis(3)))));
            if (i % 3 == 0) {
                globex.runs().record(NewRun.succeeded(V1, T0.plus(Duration.ofMinutes(i)), Duration.ofMillis(50)));
            }
        }
        Instant day = LocalDate.ofInstant(T0, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant next = day.plus(Duration.ofDays(1));

        assertThat(acme.stats().statsPerVersion(BOT, day, next).get(0).runs()).isEqualTo(12);
        assertThat(globex.stats().statsPerVersion(BOT, day, next).get(0).runs()).isEqualTo(4);
        LocalDate d = LocalDate.ofInstant(T0, ZoneOffset.UTC);
        assertThat(acme.stats().rebuildRollup(d, d.plusDays(1))).isEqualTo(12);
        assertThat(globex.stats().statsPerVersion(BOT, day, next).get(0).runs()).isEqualTo(4);
        assertThat(acme.stats().statsPerVersion(BOT, day, next).get(0).runs()).isEqualTo(12);
    }

    @Test
    void the_runtime_role_appends_messages_naming_its_own_runs_only() {
        Agents acme = registered("rls-msg-acme");
        Agents globex = registered("rls-msg-globex");
        RunId theirs = globex.runs().record(NewRun.succeeded(V1, T0, Duration.ofMillis(10)));
        Conversations chats = store.conversations("rls-msg-acme");
        Session session = chats.open("alice", BOT.value());
        for (int i = 0; i < 6; i++) {
            RunId ours = acme.runs().record(NewRun.succeeded(V1, T0, Duration.ofMillis(10)).inSession(session.id()));
            Message m = chats.addMessage(session.id(), NewMessage.assistant("answer " + i).withAgentRun(ours.value()));
            assertThat(m.agentRunId()).isEqualTo(ours.value());
        }
        assertThatThrownBy(() -> chats.addMessage(session.id(), NewMessage.assistant("?").withAgentRun(theirs.value())))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(theirs.value().toString());
        assertThat(chats.listLastMessages(session.id(), 10)).hasSize(6).allSatisfy(m -> assertThat(m.agentRunId()).isNotNull());
    }
}
