package dev.agentstore.agents;

import dev.agentstore.InvalidInputException;
import java.time.Instant;

/**
 * Where a listing of runs (newest start first) continues: after the run with this start and id. A
 * keyset position, so pages stay cheap however deep they go.
 *
 * @param startedAt the start of the last run seen
 * @param after the id of the last run seen
 */
public record RunCursor(Instant startedAt, RunId after) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when a component is null
     */
    public RunCursor {
        if (startedAt == null || after == null) {
            throw new InvalidInputException("a run cursor needs startedAt and after, but was (" + startedAt + ", " + after + ")");
        }
    }
}
