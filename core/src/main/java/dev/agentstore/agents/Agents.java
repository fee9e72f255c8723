package dev.agentstore.agents;

import static dev.agentstore.schema.Tables.AGENT;
import static dev.agentstore.schema.Tables.AGENT_VERSION;
import static dev.agentstore.schema.Tables.AGENT_VERSION_KNOWLEDGE_BASE;
import static dev.agentstore.schema.Tables.AGENT_VERSION_TOOL;
import static dev.agentstore.schema.Tables.KNOWLEDGE_BASE;

import dev.agentstore.AgentStoreException;
import dev.agentstore.ConflictException;
import dev.agentstore.ContentHash;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.TenantId;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.Json;
import dev.agentstore.internal.StoreContext;
import dev.agentstore.internal.Timing;
import dev.agentstore.internal.Transactions;
import dev.agentstore.observe.Operation;
import dev.agentstore.schema.tables.records.AgentRecord;
import dev.agentstore.schema.tables.records.AgentVersionRecord;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The agent registry of one tenant: agents, their immutable numbered versions, the active version,
 * and (through {@link #teams()}, {@link #runs()} and {@link #stats()}) teams, recorded runs and their
 * statistics.
 *
 * <pre>{@code
 * Agents agents = store.agents("acme");
 * agents.register(NewAgent.of("support-bot").withDescription("Answers billing questions"));
 * PublishResult v1 = agents.publish(AgentId.of("support-bot"), AgentDefinition.of("openai", "gpt-4o")
 *         .withSystemPrompt("You are the support agent of Northwind Trails."));
 * agents.activate(AgentId.of("support-bot"), v1.version().version());
 * AgentVersion active = agents.getActiveVersion(AgentId.of("support-bot"));
 * }</pre>
 *
 * <p>An agent's id is the same text id its conversation sessions and its memory use
 * ({@code store.memory(tenant)} with {@code agent.id().value()}), so the registry entry names both.
 *
 * <p>Every call sees only this tenant's rows: an agent of another tenant is reported exactly like an
 * unknown one ({@link NotFoundException}). Bad arguments throw {@link InvalidInputException} before any
 * SQL runs; every write is one transaction. Database failures throw {@link AgentStoreException} (or a
 * subclass) with the cause kept.
 *
 * <p>Thread-safe and cheap to create; obtained from {@code AgentStore.agents(tenant)}.
 */
public final class Agents {

    /** Most agents or versions one listing returns. */
    public static final int MAX_LIST_SIZE = 10_000;

    private final Scope scope;
    private final DSLContext dsl;
    private final String tenant;

    private final Timing timing;

    /**
     * A facade for one tenant. Obtained from {@code AgentStore.agents(tenant)}; only agentstore constructs it.
     *
     * @throws NullPointerException when an argument is null
     */
    Agents(StoreContext context, TenantId tenant) {
        this.timing = Timing.of(context);
        this.scope = new Scope(context, tenant);
        this.dsl = scope.dsl;
        this.tenant = scope.tenant;
    }

    /**
     * The teams of this tenant.
     *
     * @return the teams of this tenant
     */
    public Teams teams() {
        return new Teams(scope);
    }

    /**
     * Recording, reading, rating and deleting the runs of this tenant's agents.
     *
     * @return recording, reading, rating and deleting the runs of this tenant's agents
     */
    public Runs runs() {
        return new Runs(scope);
    }

    /**
     * Statistics over the recorded runs, computed in SQL.
     *
     * @return statistics over the recorded runs, computed in SQL
     */
    public RunStatistics stats() {
        return new RunStatistics(scope);
    }

    // ------------------------------------------------------------------------------------------
    // agents

    /**
     * Registers an agent (without versions yet).
     *
     * @param agent the agent
     * @return the agent as stored
     * @throws ConflictException when this tenant already has an agent with this id
     * @throws InvalidInputException when agent is null or its metadata cannot be written as JSON
     */
    public Agent register(NewAgent agent) {
        return timing.call(Operation.AGENT_REGISTER, () -> registerUntimed(agent));
    }

    private Agent registerUntimed(NewAgent agent) {
        Checks.notNull(agent, "agent");
        var metadata = Json.object(agent.metadata(), "agent metadata");
        OffsetDateTime now = scope.now();
        try {
            return scope.run("register agent '" + agent.id() + "'", () -> dsl.insertInto(AGENT)
                    .set(AGENT.TENANT_ID, tenant)
                    .set(AGENT.AGENT_ID, agent.id().value())
                    .set(AGENT.DISPLAY_NAME, agent.displayName())
                    .set(AGENT.DESCRIPTION, agent.description())
                    .set(AGENT.METADATA, metadata)
                    .set(AGENT.CREATED_AT, now)
                    .set(AGENT.UPDATED_AT, now)
                    .returning()
                    .fetchSingle(Agents::agent));
        } catch (ConflictException e) {
            throw new ConflictException("agent '" + agent.id() + "' is already registered for tenant '" + tenant
                    + "': publish a new version of it instead (agents.publish(...))", e);
        }
    }

    /**
     * The agent with this id.
     *
     * @param id the id
     * @return the agent with this id
     * @throws NotFoundException when this tenant has no such agent
     * @throws InvalidInputException when id is null
     */
    public Agent getAgent(AgentId id) {
        return findAgent(id).orElseThrow(() -> scope.agentNotFound(id));
    }

    /**
     * The agent with this id, or empty.
     *
     * @param id the id
     * @return the agent with this id, or empty
     * @throws InvalidInputException when id is null
     */
    public Optional<Agent> findAgent(AgentId id) {
        Checks.notNull(id, "agentId");
        return scope.run("read agent '" + id + "'", () -> dsl.selectFrom(AGENT)
                .where(AGENT.TENANT_ID.eq(tenant), AGENT.AGENT_ID.eq(id.value()))
                .fetchOptional(Agents::agent));
    }

    /**
     * Every agent of this tenant (at most {@value #MAX_LIST_SIZE}), by id.
     *
     * @return every agent of this tenant (at most {@value #MAX_LIST_SIZE}), by id
     */
    public List<Agent> listAgents() {
        return scope.run("list agents", () -> dsl.selectFrom(AGENT)
                .where(AGENT.TENANT_ID.eq(tenant))
                .orderBy(AGENT.AGENT_ID)
                .limit(MAX_LIST_SIZE)
                .fetch(Agents::agent));
    }

    // ------------------------------------------------------------------------------------------
    // versions

    /**
     * Publishes a definition of an agent: when no version of the agent has the same content hash, it
     * becomes a new immutable version numbered one above the latest; otherwise the existing version is
     * returned and nothing is written. Publishing does not activate the version ({@link #activate}).
     * Concurrent publishes of one agent are serialised on the agent's row.
     *
     * @param agent a registered agent; not null
     * @param definition the definition; not null; its knowledge bases must exist in this tenant
     * @return the publish result
     * @throws NotFoundException when the agent or one of the knowledge bases does not exist (nothing is written)
     * @throws InvalidInputException when an argument is null or a JSON component cannot be written
     */
    public PublishResult publish(AgentId agent, AgentDefinition definition) {
        return timing.call(Operation.AGENT_PUBLISH, () -> publishUntimed(agent, definition));
    }

    private PublishResult publishUntimed(AgentId agent, AgentDefinition definition) {
        Checks.notNull(agent, "agent");
        Checks.notNull(definition, "definition");
        ContentHash hash = DefinitionHash.of(definition);
        var instructions = Json.object(definition.instructions(), "instructions");
        var parameters = Json.object(definition.parameters(), "parameters");
        List<org.jooq.JSONB> schemas = new ArrayList<>();
        for (ToolSpec t : definition.tools()) {
            schemas.add(Json.object(t.parametersSchema(), "parameters schema of tool '" + t.name() + "'"));
        }
        OffsetDateTime now = scope.now();
        return scope.run("publish a version of agent '" + agent + "'", () -> Transactions.inTransaction(scope.context, tx -> {
            AgentRecord a = tx.selectFrom(AGENT)
                    .where(AGENT.TENANT_ID.eq(tenant), AGENT.AGENT_ID.eq(agent.value()))
                    .forUpdate()
                    .fetchOptional().orElseThrow(() -> scope.agentNotFound(agent));
            Optional<Integer> existing = tx.select(AGENT_VERSION.VERSION).from(AGENT_VERSION)
                    .where(AGENT_VERSION.TENANT_ID.eq(tenant), AGENT_VERSION.AGENT_ID.eq(agent.value()),
                            AGENT_VERSION.CONTENT_HASH.eq(hash.bytes()))
                    .fetchOptional(AGENT_VERSION.VERSION);
            if (existing.isPresent()) {
                return new PublishResult(readVersion(tx, new AgentVersionId(agent, existing.get())).orElseThrow(), false);
            }
            requireKnowledgeBases(tx, definition.knowledgeBases());
            int number = a.getLatestVersion() + 1;
            tx.update(AGENT).set(AGENT.LATEST_VERSION, number).set(AGENT.UPDATED_AT, now)
                    .where(AGENT.TENANT_ID.eq(tenant), AGENT.AGENT_ID.eq(agent.value()))
                    .execute();
            tx.insertInto(AGENT_VERSION)
                    .set(AGENT_VERSION.TENANT_ID, tenant)
                    .set(AGENT_VERSION.AGENT_ID, agent.value())
                    .set(AGENT_VERSION.VERSION, number)
                    .set(AGENT_VERSION.CONTENT_HASH, hash.bytes())
                    .set(AGENT_VERSION.MODEL_PROVIDER, definition.modelProvider())
                    .set(AGENT_VERSION.MODEL_NAME, definition.modelName())
                    .set(AGENT_VERSION.SYSTEM_PROMPT, definition.systemPrompt())
                    .set(AGENT_VERSION.INSTRUCTIONS, instructions)
                    .set(AGENT_VERSION.PARAMETERS, parameters)
                    .set(AGENT_VERSION.CHANGE_NOTE, definition.changeNote())
                    .set(AGENT_VERSION.CREATED_AT, now)
                    .execute();
            if (!definition.tools().isEmpty()) {
                var insert = tx.insertInto(AGENT_VERSION_TOOL, AGENT_VERSION_TOOL.TENANT_ID, AGENT_VERSION_TOOL.AGENT_ID,
                        AGENT_VERSION_TOOL.VERSION, AGENT_VERSION_TOOL.POSITION, AGENT_VERSION_TOOL.TOOL_NAME,
                        AGENT_VERSION_TOOL.DESCRIPTION, AGENT_VERSION_TOOL.PARAMETERS_SCHEMA);
                for (int i = 0; i < definition.tools().size(); i++) {
                    ToolSpec t = definition.tools().get(i);
                    insert = insert.values(tenant, agent.value(), number, (short) i, t.name(), t.description(), schemas.get(i));
                }
                insert.execute();
            }
            if (!definition.knowledgeBases().isEmpty()) {
                var insert = tx.insertInto(AGENT_VERSION_KNOWLEDGE_BASE, AGENT_VERSION_KNOWLEDGE_BASE.TENANT_ID,
                        AGENT_VERSION_KNOWLEDGE_BASE.AGENT_ID, AGENT_VERSION_KNOWLEDGE_BASE.VERSION,
                        AGENT_VERSION_KNOWLEDGE_BASE.KNOWLEDGE_BASE_ID);
                for (KnowledgeBaseId kb : definition.knowledgeBases()) {
                    insert = insert.values(tenant, agent.value(), number, kb.value());
                }
                insert.execute();
            }
            AgentVersion created = new AgentVersion(new AgentVersionId(agent, number), hash, definition, false, null,
                    now.toInstant());
            return new PublishResult(created, true);
        }));
    }

    private void requireKnowledgeBases(DSLContext tx, List<KnowledgeBaseId> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Set<UUID> found = new HashSet<>(tx.select(KNOWLEDGE_BASE.ID).from(KNOWLEDGE_BASE)
                .where(KNOWLEDGE_BASE.TENANT_ID.eq(tenant), KNOWLEDGE_BASE.ID.in(ids.stream().map(KnowledgeBaseId::value).toList()))
                .fetch(KNOWLEDGE_BASE.ID));
        for (KnowledgeBaseId id : ids) {
            if (!found.contains(id.value())) {
                throw new NotFoundException("no knowledge base " + id + " for tenant '" + tenant
                        + "': an agent version can only link knowledge bases of its own tenant that exist");
            }
        }
    }

    /**
     * A version of an agent.
     *
     * @param agent the agent
     * @param version the version number
     * @return a version of an agent
     * @throws NotFoundException when this tenant has no such version
     * @throws InvalidInputException when an argument is out of range
     */
    public AgentVersion getVersion(AgentId agent, int version) {
        AgentVersionId id = new AgentVersionId(Checks.notNull(agent, "agent"), version);
        return findVersion(agent, version).orElseThrow(() -> scope.versionNotFound(id));
    }

    /**
     * A version of an agent, or empty.
     *
     * @param agent the agent
     * @param version the version number
     * @return a version of an agent, or empty
     * @throws InvalidInputException when agent is null or version is less than 1
     */
    public Optional<AgentVersion> findVersion(AgentId agent, int version) {
        AgentVersionId id = new AgentVersionId(Checks.notNull(agent, "agent"), version);
        return scope.run("read " + id, () -> readVersion(dsl, id));
    }

    /**
     * The agent's active version.
     *
     * @param agent the agent
     * @return the agent's active version
     * @throws NotFoundException when the agent does not exist or has no active version
     * @throws InvalidInputException when agent is null
     */
    public AgentVersion getActiveVersion(AgentId agent) {
        return findActiveVersion(agent).orElseThrow(() -> {
            getAgent(agent);
            return new NotFoundException("agent '" + agent + "' of tenant '" + tenant + "' has no active version: "
                    + "activate one (agents.activate(agent, version))");
        });
    }

    /**
     * The agent's active version, or empty when the agent is unknown or has none active.
     *
     * @param agent the agent
     * @return the agent's active version, or empty when the agent is unknown or has none active
     * @throws InvalidInputException when agent is null
     */
    public Optional<AgentVersion> findActiveVersion(AgentId agent) {
        Checks.notNull(agent, "agent");
        return scope.run("read the active version of agent '" + agent + "'", () -> {
            Optional<Integer> active = dsl.select(AGENT.ACTIVE_VERSION).from(AGENT)
                    .where(AGENT.TENANT_ID.eq(tenant), AGENT.AGENT_ID.eq(agent.value()), AGENT.ACTIVE_VERSION.isNotNull())
                    .fetchOptional(AGENT.ACTIVE_VERSION);
            return active.flatMap(v -> readVersion(dsl, new AgentVersionId(agent, v)));
        });
    }

    /**
     * The history of an agent: every version, oldest first.
     *
     * @param agent the agent
     * @return the history of an agent: every version, oldest first
     * @throws NotFoundException when this tenant has no such agent
     * @throws InvalidInputException when agent is null
     */
    public List<AgentVersion> listVersions(AgentId agent) {
        Checks.notNull(agent, "agent");
        List<AgentVersion> versions = scope.run("list the versions of agent '" + agent + "'",
                () -> readVersions(dsl, agent, AGENT_VERSION.VERSION.isNotNull()));
        if (versions.isEmpty()) {
            getAgent(agent);
        }
        return versions;
    }

    /**
     * Makes a version the agent's active one (a retired version is brought back).
     *
     * @param agent the agent
     * @param version the version number
     * @return the version, now active
     * @throws NotFoundException when this tenant has no such version
     * @throws InvalidInputException when an argument is out of range
     */
    public AgentVersion activate(AgentId agent, int version) {
        AgentVersionId id = new AgentVersionId(Checks.notNull(agent, "agent"), version);
        OffsetDateTime now = scope.now();
        return scope.run("activate " + id, () -> Transactions.inTransaction(scope.context, tx -> {
            int changed = tx.update(AGENT_VERSION).setNull(AGENT_VERSION.RETIRED_AT)
                    .where(AGENT_VERSION.TENANT_ID.eq(tenant), AGENT_VERSION.AGENT_ID.eq(agent.value()),
                            AGENT_VERSION.VERSION.eq(version))
                    .execute();
            if (changed == 0) {
                throw scope.versionNotFound(id);
            }
            tx.update(AGENT).set(AGENT.ACTIVE_VERSION, version).set(AGENT.UPDATED_AT, now)
                    .where(AGENT.TENANT_ID.eq(tenant), AGENT.AGENT_ID.eq(agent.value()))
                    .execute();
            return readVersion(tx, id).orElseThrow();
        }));
    }

    /**
     * Retires a version: it stays readable and its runs stay, but it is marked as no longer in use.
     * Idempotent.
     *
     * @param agent the agent
     * @param version the version number
     * @return the retired version
     * @throws NotFoundException when this tenant has no such version
     * @throws InvalidInputException when the version is the active one (activate another one first), or an
     * argument is out of range
     */
    public AgentVersion retire(AgentId agent, int version) {
        AgentVersionId id = new AgentVersionId(Checks.notNull(agent, "agent"), version);
        OffsetDateTime now = scope.now();
        return scope.run("retire " + id, () -> Transactions.inTransaction(scope.context, tx -> {
            AgentRecord a = tx.selectFrom(AGENT)
                    .where(AGENT.TENANT_ID.eq(tenant), AGENT.AGENT_ID.eq(agent.value()))
                    .forUpdate()
                    .fetchOptional().orElseThrow(() -> scope.versionNotFound(id));
            if (a.getActiveVersion() != null && a.getActiveVersion() == version) {
                throw new InvalidInputException(id + " is the active version and cannot be retired: activate another"
                        + " version first (agents.activate(agent, n))");
            }
            int changed = tx.update(AGENT_VERSION)
                    .set(AGENT_VERSION.RETIRED_AT, org.jooq.impl.DSL.coalesce(AGENT_VERSION.RETIRED_AT, org.jooq.impl.DSL.val(now)))
                    .where(AGENT_VERSION.TENANT_ID.eq(tenant), AGENT_VERSION.AGENT_ID.eq(agent.value()),
                            AGENT_VERSION.VERSION.eq(version))
                    .execute();
            if (changed == 0) {
                throw scope.versionNotFound(id);
            }
            tx.update(AGENT).set(AGENT.UPDATED_AT, now)
                    .where(AGENT.TENANT_ID.eq(tenant), AGENT.AGENT_ID.eq(agent.value()))
                    .execute();
            return readVersion(tx, id).orElseThrow();
        }));
    }

    // ------------------------------------------------------------------------------------------

    private Optional<AgentVersion> readVersion(DSLContext tx, AgentVersionId id) {
        List<AgentVersion> one = readVersions(tx, id.agent(), AGENT_VERSION.VERSION.eq(id.version()));
        return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
    }

    /** Versions with their tools and knowledge bases: three queries. */
    private List<AgentVersion> readVersions(DSLContext tx, AgentId agent, Condition versions) {
        List<Record> rows = tx.select(AGENT_VERSION.fields()).select(AGENT.ACTIVE_VERSION)
                .from(AGENT_VERSION)
                .join(AGENT).on(AGENT.TENANT_ID.eq(AGENT_VERSION.TENANT_ID), AGENT.AGENT_ID.eq(AGENT_VERSION.AGENT_ID))
                .where(AGENT_VERSION.TENANT_ID.eq(tenant), AGENT_VERSION.AGENT_ID.eq(agent.value()), versions)
                .orderBy(AGENT_VERSION.VERSION)
                .limit(MAX_LIST_SIZE)
                .fetch();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Integer, List<ToolSpec>> tools = new HashMap<>();
        tx.selectFrom(AGENT_VERSION_TOOL)
                .where(AGENT_VERSION_TOOL.TENANT_ID.eq(tenant), AGENT_VERSION_TOOL.AGENT_ID.eq(agent.value()),
                        AGENT_VERSION_TOOL.VERSION.in(rows.stream().map(r -> r.get(AGENT_VERSION.VERSION)).toList()))
                .orderBy(AGENT_VERSION_TOOL.VERSION, AGENT_VERSION_TOOL.POSITION)
                .forEach(t -> tools.computeIfAbsent(t.getVersion(), k -> new ArrayList<>())
                        .add(new ToolSpec(t.getToolName(), t.getDescription(), Json.toMap(t.getParametersSchema()))));
        Map<Integer, List<KnowledgeBaseId>> kbs = new HashMap<>();
        tx.selectFrom(AGENT_VERSION_KNOWLEDGE_BASE)
                .where(AGENT_VERSION_KNOWLEDGE_BASE.TENANT_ID.eq(tenant), AGENT_VERSION_KNOWLEDGE_BASE.AGENT_ID.eq(agent.value()),
                        AGENT_VERSION_KNOWLEDGE_BASE.VERSION.in(rows.stream().map(r -> r.get(AGENT_VERSION.VERSION)).toList()))
                .forEach(k -> kbs.computeIfAbsent(k.getVersion(), x -> new ArrayList<>()).add(KnowledgeBaseId.of(k.getKnowledgeBaseId())));
        List<AgentVersion> out = new ArrayList<>(rows.size());
        for (Record r : rows) {
            AgentVersionRecord v = r.into(AGENT_VERSION);
            Integer active = r.get(AGENT.ACTIVE_VERSION);
            AgentDefinition d = new AgentDefinition(v.getModelProvider(), v.getModelName(), v.getSystemPrompt(),
                    Json.toMap(v.getInstructions()), Json.toMap(v.getParameters()), tools.getOrDefault(v.getVersion(), List.of()),
                    kbs.getOrDefault(v.getVersion(), List.of()), v.getChangeNote());
            out.add(new AgentVersion(new AgentVersionId(agent, v.getVersion()), ContentHash.fromBytes(v.getContentHash()), d,
                    active != null && active.intValue() == v.getVersion(), Scope.instant(v.getRetiredAt()),
                    v.getCreatedAt().toInstant()));
        }
        return out;
    }

    static Agent agent(AgentRecord r) {
        Integer active = r.getActiveVersion();
        return new Agent(AgentId.of(r.getAgentId()), r.getDisplayName(), r.getDescription(), Json.toMap(r.getMetadata()),
                active == null ? 0 : active, r.getLatestVersion(), r.getCreatedAt().toInstant(), r.getUpdatedAt().toInstant());
    }

    @Override
    public String toString() {
        return "Agents[tenant=" + tenant + "]";
    }
}
