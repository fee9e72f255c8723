package dev.agentstore.agents;

import dev.agentstore.InvalidInputException;
import dev.agentstore.internal.Checks;

/**
 * Why a run went to its agent: who routed it (a team or a router agent), how sure it was and why.
 *
 * @param routedBy the router (e.g. a team id or a router agent id); 1 to 200 characters
 * @param confidence how sure the router was, 0 to 1, or null
 * @param reason why, or null
 */
public record RoutingDecision(String routedBy, Double confidence, String reason) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when a component is out of range
     */
    public RoutingDecision {
        Ids.check(routedBy, "routedBy", Ids.MAX_NAME_LENGTH);
        if (confidence != null) {
            Checks.range(confidence, 0, 1, "routing confidence");
        }
        Checks.optionalText(reason, "routing reason", Ids.MAX_NOTE_LENGTH);
    }

    /**
     * A decision by this router with this confidence.
     *
     * @param routedBy who routed it
     * @param confidence the confidence, 0 to 1
     * @param reason the reason
     * @return a decision by this router with this confidence
     */
    public static RoutingDecision of(String routedBy, double confidence, String reason) {
        return new RoutingDecision(routedBy, confidence, reason);
    }
}
