package dev.agentstore.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.ConflictException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.document.KnowledgeBase;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.document.KnowledgeBaseSpec;
import dev.agentstore.memory.MemoryKey;
import dev.agentstore.memory.MemoryScope;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.MutableClock;
import dev.agentstore.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AgentStoreTest(dimension = 3)
class AgentRegistryIT {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final AtomicInteger TENANTS = new AtomicInteger();
    private static final AgentId BOT = AgentId.of("support-bot");

    private static MutableClock clock;
    private static AgentStore store;

    private String tenant;
    private Agents agents;

    @BeforeAll
    static void start(TestDatabase db) {
        clock = new MutableClock(T0);
        store = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password()).poolSize(6).clock(clock)
                .build();
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @BeforeEach
    void freshTenant() {
        clock.set(T0);
        tenant = "tenant-" + TENANTS.incrementAndGet();
        agents = store.agents(tenant);
    }

    private static AgentDefinition v1() {
        return AgentDefinition.of("openai", "gpt-4o")
                .withSystemPrompt("You are the support agent of Northwind Trails.")
                .withParameters(Map.of("temperature", 0.2, "max_tokens", 800))
                .withInstructions(Map.of("format", "markdown"))
                .withTools(List.of(ToolSpec.of("lookup_order", "Finds an order by its number")
                                .withParametersSchema(Map.of("type", "object", "required", List.of("number"))),
                        ToolSpec.of("refund", "Refunds an order")));
    }

    // ------------------------------------------------------------------------------------------ agents

    @Test
    void a_registered_agent_is_stored_without_versions() {
        Agent a = agents.register(NewAgent.of("support-bot").withDisplayName("Support").withDescription("Billing questions")
                .withMetadata(Map.of("team", "care")));

        assertThat(agents.getAgent(BOT)).isEqualTo(a);
        assertThat(a.displayName()).isEqualTo("Support");
        assertThat(a.metadata()).containsEntry("team", "care");
        assertThat(a.latestVersion()).isZero();
        assertThat(a.active()).isEmpty();
        assertThat(a.createdAt()).isEqualTo(T0);
        assertThat(agents.listVersions(BOT)).isEmpty();
        assertThat(agents.findActiveVersion(BOT)).isEmpty();
        assertThat(agents.listAgents()).containsExactly(a);
    }

    @Test
    void registering_an_agent_twice_is_a_conflict_naming_the_agent() {
        agents.register(NewAgent.of("support-bot"));

        assertThatThrownBy(() -> agents.register(NewAgent.of("support-bot")))
                .isInstanceOf(ConflictException.class)
                .hasMessageStartingWith("agent 'support-bot' is already registered for tenant '" + tenant + "'");
    }

    @Test
    void an_unknown_agent_is_not_found_and_another_tenants_agent_is_unknown() {
        store.agents("someone-else").register(NewAgent.of("support-bot"));

        assertThat(agents.findAgent(BOT)).isEmpty();
        assertThatThrownBy(() -> agents.getAgent(BOT)).isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("no agent 'support-bot' in the registry of tenant '" + tenant + "'");
        assertThatThrownBy(() -> agents.publish(BOT, v1())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> agents.listVersions(BOT)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> agents.getActiveVersion(BOT)).isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("no agent 'support-bot'");
    }

    // ------------------------------------------------------------------------------------------ versions

    @Test
    void publishing_creates_numbered_versions_and_republishing_the_same_definition_is_a_no_op() {
        agents.register(NewAgent.of("support-bot"));

        PublishResult first = agents.publish(BOT, v1().withChangeNote("first"));
        clock.advance(Duration.ofMinutes(5));
        PublishResult again = agents.publish(BOT, v1().withChangeNote("a different note only"));
        PublishResult second = agents.publish(BOT, v1().withSystemPrompt("You are terse."));
        PublishResult firstAgain = agents.publish(BOT, v1());

        assertThat(first.created()).isTrue();
        assertThat(first.version().version()).isEqualTo(1);
        assertThat(again.created()).isFalse();
        assertThat(again.version().version()).isEqualTo(1);
        assertThat(again.version().definition().changeNote()).isEqualTo("first");
        assertThat(second.created()).isTrue();
        assertThat(second.version().version()).isEqualTo(2);
        assertThat(firstAgain.created()).isFalse();
        assertThat(firstAgain.version().version()).isEqualTo(1);
        assertThat(second.version().contentHash()).isNotEqualTo(first.version().contentHash());
        assertThat(agents.getAgent(BOT).latestVersion()).isEqualTo(2);
        assertThat(agents.listVersions(BOT)).extracting(AgentVersion::version).containsExactly(1, 2);
    }

    @Test
    void a_version_reads_back_exactly_as_published_with_tools_in_order() {
        agents.register(NewAgent.of("support-bot"));
        PublishResult published = agents.publish(BOT, v1());

        AgentVersion read = agents.getVersion(BOT, 1);

        assertThat(read).isEqualTo(published.version());
        assertThat(read.definition().tools()).extracting(ToolSpec::name).containsExactly("lookup_order", "refund");
        assertThat(read.definition().tools().get(0).parametersSchema()).containsEntry("type", "object");
        assertThat(read.definition().parameters()).containsEntry("max_tokens", 800);
        assertThat(read.definition().systemPrompt()).isEqualTo("You are the support agent of Northwind Trails.");
        assertThat(read.contentHash()).isEqualTo(DefinitionHash.of(v1()));
        assertThat(read.createdAt()).isEqualTo(T0);
        assertThat(read.active()).isFalse();
        assertThat(agents.findVersion(BOT, 2)).isEmpty();
        assertThatThrownBy(() -> agents.getVersion(BOT, 2)).isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("no version 2 of agent 'support-bot' for tenant '" + tenant + "'");
    }

    @Test
    void a_version_links_knowledge_bases_of_its_tenant_that_exist() {
        agents.register(NewAgent.of("support-bot"));
        KnowledgeBase kb = store.documents(tenant).createKnowledgeBase(KnowledgeBaseSpec.of("help", 3));
        KnowledgeBase other = store.documents("other-" + tenant).createKnowledgeBase(KnowledgeBaseSpec.of("help", 3));

        AgentVersion v = agents.publish(BOT, v1().withKnowledgeBases(List.of(kb.id()))).version();

        assertThat(agents.getVersion(BOT, v.version()).definition().knowledgeBases()).containsExactly(kb.id());
        KnowledgeBaseId unknown = KnowledgeBaseId.of(UUID.randomUUID());
        for (KnowledgeBaseId missing : List.of(unknown, other.id())) {
            assertThatThrownBy(() -> agents.publish(BOT, v1().withKnowledgeBases(List.of(kb.id(), missing))))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageStartingWith("no knowledge base " + missing + " for tenant '" + tenant + "'");
        }
        assertThat(agents.listVersions(BOT)).hasSize(1);
        assertThat(agents.getAgent(BOT).latestVersion()).isEqualTo(1);
    }

    @Test
    void activating_makes_a_version_the_active_one_and_a_rollback_is_another_activation() {
        agents.register(NewAgent.of("support-bot"));
        agents.publish(BOT, v1());
        agents.publish(BOT, v1().withSystemPrompt("v2"));

        agents.activate(BOT, 2);
        assertThat(agents.getActiveVersion(BOT).version()).isEqualTo(2);
        assertThat(agents.getActiveVersion(BOT).active()).isTrue();
        assertThat(agents.getAgent(BOT).activeVersion()).isEqualTo(2);

        agents.activate(BOT, 1);
        assertThat(agents.getActiveVersion(BOT).version()).isEqualTo(1);
        assertThat(agents.listVersions(BOT)).extracting(AgentVersion::active).containsExactly(true, false);
        assertThatThrownBy(() -> agents.activate(BOT, 3)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> agents.activate(BOT, 0)).isInstanceOf(InvalidInputException.class)
                .hasMessage("version must be 1 or more, but was 0");
    }

    @Test
    void an_agent_without_an_active_version_says_how_to_activate_one() {
        agents.register(NewAgent.of("support-bot"));
        agents.publish(BOT, v1());

        assertThatThrownBy(() -> agents.getActiveVersion(BOT)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("has no active version: activate one");
    }

    @Test
    void retiring_marks_a_version_and_the_active_version_cannot_be_retired() {
        agents.register(NewAgent.of("support-bot"));
        agents.publish(BOT, v1());
        agents.publish(BOT, v1().withSystemPrompt("v2"));
        agents.activate(BOT, 2);
        clock.advance(Duration.ofHours(1));

        AgentVersion retired = agents.retire(BOT, 1);

        assertThat(retired.retired()).isTrue();
        assertThat(retired.retiredAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
        clock.advance(Duration.ofHours(1));
        assertThat(agents.retire(BOT, 1).retiredAt()).as("idempotent").isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThatThrownBy(() -> agents.retire(BOT, 2)).isInstanceOf(InvalidInputException.class)
                .hasMessage("support-bot v2 is the active version and cannot be retired: activate another version first"
                        + " (agents.activate(agent, n))");
        assertThat(agents.activate(BOT, 1).retired()).as("activating brings a retired version back").isFalse();
    }

    @Test
    void concurrent_publishes_of_one_agent_get_distinct_consecutive_numbers() throws Exception {
        agents.register(NewAgent.of("support-bot"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<PublishResult>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String prompt = "prompt " + (i % 4);   // each definition twice
                tasks.add(() -> agents.publish(BOT, v1().withSystemPrompt(prompt)));
            }
            List<PublishResult> results = new ArrayList<>();
            for (Future<PublishResult> f : pool.invokeAll(tasks)) {
                results.add(f.get());
            }
            assertThat(results).filteredOn(PublishResult::created).hasSize(4);
        } finally {
            pool.shutdownNow();
        }
        assertThat(agents.listVersions(BOT)).extracting(AgentVersion::version).containsExactly(1, 2, 3, 4);
    }

    @Test
    void an_agents_memory_is_reached_through_its_registry_id() {
        Agent a = agents.register(NewAgent.of("support-bot"));
        store.memory(tenant).put(MemoryKey.of(a.id().value(), MemoryScope.agent(), "tone"), "\"friendly\"");

        assertThat(store.memory(tenant).list(a.id().value(), MemoryScope.agent())).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------ teams

    @Test
    void a_team_keeps_its_mode_and_members_in_order_and_saving_again_replaces_them() {
        for (String id : List.of("triage", "billing-bot", "tech-bot")) {
            agents.register(NewAgent.of(id));
            agents.publish(AgentId.of(id), v1());
        }
        Teams teams = agents.teams();

        Team saved = teams.save(NewTeam.of("desk", TeamMode.ROUTE, List.of(TeamMember.of("triage").withRole("router"),
                TeamMember.of("billing-bot").pinnedTo(1), TeamMember.of("tech-bot"))).withDescription("front desk"));
        assertThat(teams.get(TeamId.of("desk"))).isEqualTo(saved);
        assertThat(saved.members()).extracting(m -> m.agent().value()).containsExactly("triage", "billing-bot", "tech-bot");
        assertThat(saved.members().get(1).pinnedVersion()).isEqualTo(1);
        assertThat(saved.members().get(0).role()).isEqualTo("router");

        clock.advance(Duration.ofMinutes(1));
        Team changed = teams.save(NewTeam.of("desk", TeamMode.SEQUENTIAL, List.of(TeamMember.of("tech-bot"),
                TeamMember.of("triage"))));
        assertThat(changed.mode()).isEqualTo(TeamMode.SEQUENTIAL);
        assertThat(teams.get(TeamId.of("desk")).members()).extracting(m -> m.agent().value()).containsExactly("tech-bot", "triage");
        assertThat(teams.get(TeamId.of("desk")).createdAt()).isEqualTo(T0);
        assertThat(teams.get(TeamId.of("desk")).updatedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(teams.list()).extracting(Team::id).containsExactly(TeamId.of("desk"));

        teams.delete(TeamId.of("desk"));
        assertThat(teams.find(TeamId.of("desk"))).isEmpty();
        assertThat(agents.listAgents()).hasSize(3);
    }

    @Test
    void a_team_with_an_unknown_member_or_pinned_version_is_refused_and_nothing_is_written() {
        agents.register(NewAgent.of("triage"));
        agents.publish(AgentId.of("triage"), v1());
        Teams teams = agents.teams();

        assertThatThrownBy(() -> teams.save(NewTeam.of("desk", TeamMode.PARALLEL, List.of(TeamMember.of("triage"),
                TeamMember.of("ghost"))))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("team 'desk' names an agent or a pinned version that tenant '" + tenant + "' does not have");
        assertThatThrownBy(() -> teams.save(NewTeam.of("desk", TeamMode.PARALLEL, List.of(TeamMember.of("triage").pinnedTo(7)))))
                .isInstanceOf(NotFoundException.class);
        assertThat(teams.find(TeamId.of("desk"))).isEmpty();
        assertThatThrownBy(() -> NewTeam.of("desk", TeamMode.ROUTE, List.of(TeamMember.of("triage"), TeamMember.of("triage"))))
                .isInstanceOf(InvalidInputException.class).hasMessage("each agent is a member once, but 'triage' appears twice");
    }
}
