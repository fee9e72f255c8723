package dev.agentstore.conversation;

/** A thumbs up or down on an assistant message, stored as +1 or -1. */
public enum Rating {
    /** Helpful: +1. */
    UP(1),
    /** Not helpful: -1. */
    DOWN(-1);

    private final int score;

    Rating(int score) {
        this.score = score;
    }

    /**
     * +1 or -1.
     *
     * @return +1 or -1
     */
    public int score() {
        return score;
    }

    static Rating fromScore(int score) {
        return switch (score) {
            case 1 -> UP;
            case -1 -> DOWN;
            default -> throw new IllegalStateException("unknown feedback score in the database: " + score);
        };
    }
}
