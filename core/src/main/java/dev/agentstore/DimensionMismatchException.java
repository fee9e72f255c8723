package dev.agentstore;

/**
 * An embedding does not have the dimension of the store (or of a knowledge base). Both numbers are
 * in the message and available as {@link #expected()} and {@link #actual()}.
 */
public class DimensionMismatchException extends InvalidInputException {

    private static final long serialVersionUID = 1L;

    private final int expected;
    private final int actual;

    /**
     * @param what which embedding, e.g. "query embedding" or "embedding of chunk 3"
     * @param expected the dimension the store was built for
     * @param actual the dimension received
     * @param fix what to change, e.g. the builder option
     */
    public DimensionMismatchException(String what, int expected, int actual, String fix) {
        super(what + " has " + actual + " dimensions, but this store is built for " + expected
                + (fix == null || fix.isEmpty() ? "" : "; " + fix));
        this.expected = expected;
        this.actual = actual;
    }

    /** The dimension the store expects. */
    public int expected() {
        return expected;
    }

    /** The dimension that was given. */
    public int actual() {
        return actual;
    }
}
