package dev.agentstore;

/**
 * An embedding does not have the dimension of the store (or of a knowledge base). Both numbers are
 * in the message and available as {@link #expected()} and {@link #actual()}.
 */
public class DimensionMismatchException extends InvalidInputException {

    private static final long serialVersionUID = 1L;

    /** The dimension expected. */
    private final int expected;
    /** The dimension received. */
    private final int actual;

    /**
     * Creates the dimension mismatch exception.
     *
     * @param what which embedding, e.g. "query embedding" or "embedding of chunk 3"
     * @param expected the dimension the store was built for
     * @param actual the dimension received
     * @param fix what to change, e.g. the builder option
     */
    public DimensionMismatchException(String what, int expected, int actual, String fix) {
        this(what, "this store is built for", expected, actual, fix);
    }

    /**
     * Creates the dimension mismatch exception.
     *
     * @param what which embedding, e.g. "query embedding" or "embedding of chunk 3"
     * @param whose whose dimension {@code expected} is, e.g. "knowledge base 'faq' holds embeddings of"
     * @param expected the dimension expected
     * @param actual the dimension received
     * @param fix what to change
     */
    public DimensionMismatchException(String what, String whose, int expected, int actual, String fix) {
        super(what + " has " + actual + " dimensions, but " + whose + " " + expected
                + (fix == null || fix.isEmpty() ? "" : "; " + fix));
        this.expected = expected;
        this.actual = actual;
    }

    /**
     * The dimension expected (of the store or the knowledge base).
     *
     * @return the dimension expected (of the store or the knowledge base)
     */
    public int expected() {
        return expected;
    }

    /**
     * The dimension that was given.
     *
     * @return the dimension that was given
     */
    public int actual() {
        return actual;
    }
}
