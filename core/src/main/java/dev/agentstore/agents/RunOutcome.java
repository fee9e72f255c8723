package dev.agentstore.agents;

/** How a run ended. */
public enum RunOutcome {
    /** It produced an answer. */
    SUCCESS,
    /** It failed; the run has an error message. */
    ERROR
}
