package dev.agentstore.agents;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;
import java.time.Instant;

/**
 * Which runs a listing shows: optionally of one agent, of one version of it, with one outcome, and
 * started in {@code [from, to)}.
 *
 * <pre>{@code
 * RunFilter failures = RunFilter.agent(AgentId.of("support-bot")).version(2).outcome(RunOutcome.ERROR)
 *         .startedFrom(yesterday);
 * }</pre>
 *
 * @param agent only this agent, or null for all
 * @param version only this version (needs agent), or 0 for all
 * @param outcome only runs with this outcome, or null for both
 * @param from only runs started at or after this instant, or null
 * @param to only runs started before this instant, or null
 */
public record RunFilter(AgentId agent, int version, RunOutcome outcome, Instant from, Instant to) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when a version is given without an agent, or the period is reversed
     */
    public RunFilter {
        if (version < 0) {
            throw new InvalidInputException("version must be 0 (all versions) or a version number, but was " + version);
        }
        if (version > 0 && agent == null) {
            throw new InvalidInputException("a version filter needs an agent: use RunFilter.agent(id).version(" + version + ")");
        }
        if (from != null && to != null && to.isBefore(from)) {
            throw new InvalidInputException("the period must not end before it starts, but was from " + from + " to " + to);
        }
    }

    /**
     * Every run of the tenant.
     *
     * @return every run of the tenant
     */
    public static RunFilter all() {
        return new RunFilter(null, 0, null, null, null);
    }

    /**
     * The runs of this agent.
     *
     * @param agent the agent
     * @return the runs of this agent
     */
    public static RunFilter agent(AgentId agent) {
        return new RunFilter(Checks.notNull(agent, "agent"), 0, null, null, null);
    }

    /**
     * Only this version of the agent.
     *
     * @param newVersion the new version
     * @return the run filter
     */
    public RunFilter version(int newVersion) {
        if (newVersion < 1) {
            throw new InvalidInputException("version must be 1 or more, but was " + newVersion);
        }
        return new RunFilter(agent, newVersion, outcome, from, to);
    }

    /**
     * Only runs with this outcome.
     *
     * @param newOutcome the new outcome
     * @return the run filter
     */
    public RunFilter outcome(RunOutcome newOutcome) {
        return new RunFilter(agent, version, Checks.notNull(newOutcome, "outcome"), from, to);
    }

    /**
     * Only runs started at or after this instant.
     *
     * @param newFrom the new from
     * @return the run filter
     */
    public RunFilter startedFrom(Instant newFrom) {
        return new RunFilter(agent, version, outcome, Checks.notNull(newFrom, "from"), to);
    }

    /**
     * Only runs started before this instant.
     *
     * @param newTo the new to
     * @return the run filter
     */
    public RunFilter startedBefore(Instant newTo) {
        return new RunFilter(agent, version, outcome, from, Checks.notNull(newTo, "to"));
    }
}
