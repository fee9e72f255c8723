package dev.agentstore.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.Message;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.Rating;
import dev.agentstore.conversation.Session;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Messages name the run that produced them ({@link NewMessage#withAgentRun}, {@link Message#agentRunId()}):
 * the reference is checked by the database (a foreign key within the tenant), and deleting, retaining or
 * erasing runs and messages leaves both sides consistent.
 */
@AgentStoreTest(dimension = 3)
class MessageRunLinkIT {

    private static final AtomicInteger TENANTS = new AtomicInteger();
    private static final AgentId BOT = AgentId.of("support-bot");
    private static final AgentVersionId V1 = new AgentVersionId(BOT, 1);

    private static TestDatabase db;
    private static AgentStore store;

    private String tenant;
    private Agents agents;
    private Runs runs;
    private Conversations chats;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(2).build();
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @BeforeEach
    void freshTenant() {
        tenant = "link-" + TENANTS.incrementAndGet();
        agents = registered(tenant);
        runs = agents.runs();
        chats = store.conversations(tenant);
    }

    private static Agents registered(String tenant) {
        Agents a = store.agents(tenant);
        a.register(NewAgent.of(BOT.value()));
        a.publish(BOT, AgentDefinition.of("openai", "gpt-4o"));
        return a;
    }

    @Test
    void a_message_appended_with_its_run_names_it_when_read_back_and_the_run_finds_it() {
        Session session = chats.open("alice", BOT.value());
        Message question = chats.addMessage(session.id(), NewMessage.user("Where is my parcel?"));
        RunId run = runs.record(NewRun.succeeded(V1, Instant.now(), Duration.ofMillis(900)).inSession(session.id())
                .answering(question.id()));

        Message answer = chats.addMessage(session.id(), NewMessage.assistant("It left the depot.").withAgentRun(run.value()));
        List<Message> both = chats.addMessages(session.id(), List.of(
                NewMessage.assistant("Anything else?").withAgentRun(run.value()), NewMessage.user("No, thanks.")));

        assertThat(answer.agentRunId()).isEqualTo(run.value());
        assertThat(both).extracting(Message::agentRunId).containsExactly(run.value(), null);
        assertThat(chats.listLastMessages(session.id(), 4)).extracting(Message::agentRunId)
                .containsExactly(null, run.value(), run.value(), null);
        assertThat(runs.findByProducedMessage(answer.id()).orElseThrow().agentVersion()).isEqualTo(V1);
        // feedback on the message is the feedback of the run it names (V10's mirror)
        chats.addFeedback(answer.id(), Rating.UP, null);
        assertThat(runs.get(run).feedback().rating()).isEqualTo(Rating.UP);
    }

    @Test
    void a_message_naming_another_tenants_run_or_no_run_is_refused_and_nothing_is_written() {
        Agents neighbour = registered(tenant + "-neighbour");
        RunId theirs = neighbour.runs().record(NewRun.succeeded(V1, Instant.now(), Duration.ofMillis(10)));
        Session session = chats.open("alice", BOT.value());
        chats.addMessage(session.id(), NewMessage.user("Hello"));

        for (UUID bad : new UUID[] {theirs.value(), UUID.randomUUID()}) {
            assertThatThrownBy(() -> chats.addMessage(session.id(), NewMessage.assistant("Hi").withAgentRun(bad)))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining(bad.toString()).hasMessageContaining(tenant).hasMessageContaining("nothing was written");
            assertThatThrownBy(() -> chats.addMessages(session.id(), List.of(NewMessage.assistant("Hi").withAgentRun(bad),
                    NewMessage.user("?")))).isInstanceOf(NotFoundException.class).hasMessageContaining(bad.toString());
        }
        assertThat(chats.listLastMessages(session.id(), 10)).hasSize(1);
        assertThat(chats.getSession(session.id()).messageCount()).isEqualTo(1);
        // the next message still gets the next sequence number: nothing was taken by the refused ones
        assertThat(chats.addMessage(session.id(), NewMessage.user("Still there?")).seq()).isEqualTo(2);
    }

    @Test
    void only_assistant_and_tool_messages_can_name_a_run_and_the_check_runs_before_sql() {
        UUID run = UUID.randomUUID();
        assertThatThrownBy(() -> NewMessage.user("Hello").withAgentRun(run)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("agentRunId").hasMessageContaining("user");
        assertThatThrownBy(() -> NewMessage.system("Be brief").withAgentRun(run)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("system");
        assertThat(NewMessage.toolResult("call-1", "lookup", "{}").withAgentRun(run).agentRunId()).isEqualTo(run);
        assertThat(NewMessage.assistant("Hi").withAgentRun(null).agentRunId()).isNull();
    }

    @Test
    void deleting_or_retaining_the_run_keeps_the_message_without_a_link_and_deleting_the_session_takes_both() {
        Session session = chats.open("alice", BOT.value());
        RunId old = runs.record(NewRun.succeeded(V1, Instant.parse("2020-01-01T00:00:00Z"), Duration.ofMillis(10)));
        RunId deleted = runs.record(NewRun.succeeded(V1, Instant.now(), Duration.ofMillis(10)));
        RunId kept = runs.record(NewRun.succeeded(V1, Instant.now(), Duration.ofMillis(10)).inSession(session.id()));
        Message a = chats.addMessage(session.id(), NewMessage.assistant("old answer").withAgentRun(old.value()));
        Message b = chats.addMessage(session.id(), NewMessage.assistant("deleted answer").withAgentRun(deleted.value()));
        Message c = chats.addMessage(session.id(), NewMessage.assistant("kept answer").withAgentRun(kept.value()));

        runs.deleteStartedBefore(Instant.parse("2021-01-01T00:00:00Z"));
        runs.delete(deleted);

        assertThat(chats.listLastMessages(session.id(), 3)).extracting(Message::content, Message::agentRunId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("old answer", null),
                        org.assertj.core.groups.Tuple.tuple("deleted answer", null),
                        org.assertj.core.groups.Tuple.tuple("kept answer", kept.value()));
        assertThat(runs.findByProducedMessage(a.id())).isEmpty();
        assertThat(runs.findByProducedMessage(b.id())).isEmpty();
        assertThat(runs.findByProducedMessage(c.id()).orElseThrow().id()).isEqualTo(kept);

        chats.deleteSession(session.id());
        assertThat(runs.find(kept)).isEmpty();
    }

    @Test
    void erasing_a_user_erases_their_runs_and_their_messages_and_leaves_other_users_links_intact() {
        Session alice = chats.open("alice", BOT.value());
        Session bob = chats.open("bob", BOT.value());
        RunId aliceRun = runs.record(NewRun.succeeded(V1, Instant.now(), Duration.ofMillis(10)).forUser("alice"));
        RunId bobRun = runs.record(NewRun.succeeded(V1, Instant.now(), Duration.ofMillis(10)).inSession(bob.id()));
        chats.addMessage(alice.id(), NewMessage.assistant("for alice").withAgentRun(aliceRun.value()));
        Message forBob = chats.addMessage(bob.id(), NewMessage.assistant("for bob").withAgentRun(bobRun.value()));

        store.erasure(tenant).eraseUser("alice");

        assertThat(runs.find(aliceRun)).isEmpty();
        assertThat(chats.findSession(alice.id())).isEmpty();
        assertThat(chats.listLastMessages(bob.id(), 1).get(0).agentRunId()).isEqualTo(bobRun.value());
        assertThat(runs.findByProducedMessage(forBob.id()).orElseThrow().id()).isEqualTo(bobRun);
    }
}
