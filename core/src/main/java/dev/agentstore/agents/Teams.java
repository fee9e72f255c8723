package dev.agentstore.agents;

import static dev.agentstore.schema.Tables.AGENT_TEAM;
import static dev.agentstore.schema.Tables.AGENT_TEAM_MEMBER;

import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.internal.Checks;
import dev.agentstore.internal.Json;
import dev.agentstore.internal.Transactions;
import dev.agentstore.schema.tables.records.AgentTeamMemberRecord;
import dev.agentstore.schema.tables.records.AgentTeamRecord;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/**
 * Teams of agents of one tenant: a mode ({@link TeamMode}) and an ordered list of members, each
 * following its agent's active version or pinned to one version.
 *
 * <pre>{@code
 * Teams teams = store.agents("acme").teams();
 * teams.save(NewTeam.of("support-desk", TeamMode.ROUTE, List.of(
 *         TeamMember.of("triage"), TeamMember.of("billing-bot").pinnedTo(3).withRole("billing"))));
 * }</pre>
 *
 * <p>Thread-safe; obtained from {@link Agents#teams()}.
 */
public final class Teams {

    private final Scope scope;
    private final DSLContext dsl;
    private final String tenant;

    Teams(Scope scope) {
        this.scope = scope;
        this.dsl = scope.dsl;
        this.tenant = scope.tenant;
    }

    /**
     * Creates a team, or replaces the mode, members, description and metadata of the team with this id,
     * in one transaction.
     *
     * @param team the team
     * @return the team as stored
     * @throws NotFoundException when a member agent (or its pinned version) does not exist in this tenant;
     * nothing is written
     * @throws InvalidInputException when team is null or its metadata cannot be written as JSON
     */
    public Team save(NewTeam team) {
        Checks.notNull(team, "team");
        JSONB metadata = Json.object(team.metadata(), "team metadata");
        OffsetDateTime now = scope.now();
        return scope.run("save team '" + team.id() + "'", () -> Transactions.inTransaction(scope.context, tx -> {
            AgentTeamRecord saved = tx.insertInto(AGENT_TEAM)
                    .set(AGENT_TEAM.TENANT_ID, tenant)
                    .set(AGENT_TEAM.TEAM_ID, team.id().value())
                    .set(AGENT_TEAM.MODE, team.mode().dbValue())
                    .set(AGENT_TEAM.DESCRIPTION, team.description())
                    .set(AGENT_TEAM.METADATA, metadata)
                    .set(AGENT_TEAM.CREATED_AT, now)
                    .set(AGENT_TEAM.UPDATED_AT, now)
                    .onConflict(AGENT_TEAM.TENANT_ID, AGENT_TEAM.TEAM_ID)
                    .doUpdate()
                    .set(AGENT_TEAM.MODE, DSL.excluded(AGENT_TEAM.MODE))
                    .set(AGENT_TEAM.DESCRIPTION, DSL.excluded(AGENT_TEAM.DESCRIPTION))
                    .set(AGENT_TEAM.METADATA, DSL.excluded(AGENT_TEAM.METADATA))
                    .set(AGENT_TEAM.UPDATED_AT, DSL.excluded(AGENT_TEAM.UPDATED_AT))
                    .returning()
                    .fetchSingle();
            tx.deleteFrom(AGENT_TEAM_MEMBER)
                    .where(AGENT_TEAM_MEMBER.TENANT_ID.eq(tenant), AGENT_TEAM_MEMBER.TEAM_ID.eq(team.id().value()))
                    .execute();
            if (!team.members().isEmpty()) {
                var insert = tx.insertInto(AGENT_TEAM_MEMBER, AGENT_TEAM_MEMBER.TENANT_ID, AGENT_TEAM_MEMBER.TEAM_ID,
                        AGENT_TEAM_MEMBER.POSITION, AGENT_TEAM_MEMBER.AGENT_ID, AGENT_TEAM_MEMBER.PINNED_VERSION,
                        AGENT_TEAM_MEMBER.ROLE);
                for (int i = 0; i < team.members().size(); i++) {
                    TeamMember m = team.members().get(i);
                    insert = insert.values(tenant, team.id().value(), (short) i, m.agent().value(),
                            m.pinnedVersion() == 0 ? null : m.pinnedVersion(), m.role());
                }
                insert.execute();
            }
            return team(saved, team.members());
        }), () -> new NotFoundException("team '" + team.id() + "' names an agent or a pinned version that tenant '" + tenant
                + "' does not have: register and publish the members first; members were " + team.members().stream()
                        .map(m -> m.agent() + (m.pinnedVersion() == 0 ? "" : " v" + m.pinnedVersion())).toList()));
    }

    /**
     * The team with this id.
     *
     * @param id the id
     * @return the team with this id
     * @throws NotFoundException when this tenant has no such team
     * @throws InvalidInputException when id is null
     */
    public Team get(TeamId id) {
        return find(id).orElseThrow(() -> new NotFoundException("no team '" + id + "' for tenant '" + tenant
                + "': save it first (teams.save(NewTeam.of(...))), or check the id and the tenant"));
    }

    /**
     * The team with this id, or empty.
     *
     * @param id the id
     * @return the team with this id, or empty
     * @throws InvalidInputException when id is null
     */
    public Optional<Team> find(TeamId id) {
        Checks.notNull(id, "teamId");
        return scope.run("read team '" + id + "'", () -> {
            Optional<AgentTeamRecord> t = dsl.selectFrom(AGENT_TEAM)
                    .where(AGENT_TEAM.TENANT_ID.eq(tenant), AGENT_TEAM.TEAM_ID.eq(id.value()))
                    .fetchOptional();
            return t.map(r -> team(r, members(List.of(id.value())).getOrDefault(id.value(), List.of())));
        });
    }

    /**
     * Every team of this tenant (at most {@value Agents#MAX_LIST_SIZE}), by id.
     *
     * @return every team of this tenant (at most {@value Agents#MAX_LIST_SIZE}), by id
     */
    public List<Team> list() {
        return scope.run("list teams", () -> {
            List<AgentTeamRecord> rows = dsl.selectFrom(AGENT_TEAM).where(AGENT_TEAM.TENANT_ID.eq(tenant))
                    .orderBy(AGENT_TEAM.TEAM_ID).limit(Agents.MAX_LIST_SIZE).fetch();
            Map<String, List<TeamMember>> members = members(rows.stream().map(AgentTeamRecord::getTeamId).toList());
            return rows.stream().map(r -> team(r, members.getOrDefault(r.getTeamId(), List.of()))).toList();
        });
    }

    /**
     * Deletes a team (its agents stay).
     *
     * @param id the id
     * @throws NotFoundException when this tenant has no such team
     * @throws InvalidInputException when id is null
     */
    public void delete(TeamId id) {
        Checks.notNull(id, "teamId");
        int deleted = scope.run("delete team '" + id + "'", () -> dsl.deleteFrom(AGENT_TEAM)
                .where(AGENT_TEAM.TENANT_ID.eq(tenant), AGENT_TEAM.TEAM_ID.eq(id.value())).execute());
        if (deleted == 0) {
            throw new NotFoundException("no team '" + id + "' for tenant '" + tenant + "'");
        }
    }

    private Map<String, List<TeamMember>> members(List<String> teams) {
        Map<String, List<TeamMember>> out = new HashMap<>();
        if (teams.isEmpty()) {
            return out;
        }
        for (AgentTeamMemberRecord m : dsl.selectFrom(AGENT_TEAM_MEMBER)
                .where(AGENT_TEAM_MEMBER.TENANT_ID.eq(tenant), AGENT_TEAM_MEMBER.TEAM_ID.in(teams))
                .orderBy(AGENT_TEAM_MEMBER.TEAM_ID, AGENT_TEAM_MEMBER.POSITION)
                .fetch()) {
            out.computeIfAbsent(m.getTeamId(), k -> new ArrayList<>()).add(new TeamMember(AgentId.of(m.getAgentId()),
                    m.getPinnedVersion() == null ? 0 : m.getPinnedVersion(), m.getRole()));
        }
        return out;
    }

    private static Team team(AgentTeamRecord r, List<TeamMember> members) {
        return new Team(TeamId.of(r.getTeamId()), TeamMode.fromDb(r.getMode()), members, r.getDescription(),
                Json.toMap(r.getMetadata()), r.getCreatedAt().toInstant(), r.getUpdatedAt().toInstant());
    }
}
