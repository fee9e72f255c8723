package dev.agentstore.document;

/**
 * How a knowledge base compares embeddings: a property of the knowledge base, fixed at creation,
 * each served by its own HNSW index (m = 16, ef_construction = 64).
 */
public enum DistanceMetric {
    /** Cosine distance ({@code <=>}); score = 1 − distance, the cosine similarity, in [−1, 1]. */
    COSINE("cosine", "<=>"),
    /** Euclidean distance ({@code <->}); score = 1 / (1 + distance), in (0, 1]. */
    L2("l2", "<->"),
    /** Negative inner product ({@code <#>}); score = −distance, the inner product. */
    INNER_PRODUCT("inner_product", "<#>");

    private final String sqlName;
    private final String operator;

    DistanceMetric(String sqlName, String operator) {
        this.sqlName = sqlName;
        this.operator = operator;
    }

    /**
     * The value stored in {@code knowledge_base.distance_metric} and {@code chunk.distance_metric}.
     *
     * @return the value stored in {@code knowledge_base.distance_metric} and {@code chunk.distance_metric}
     */
    public String sqlName() {
        return sqlName;
    }

    /**
     * pgvector's distance operator for this metric.
     *
     * @return pgvector's distance operator for this metric
     */
    public String operator() {
        return operator;
    }

    /**
     * The metric stored under this name.
     *
     * @param name the name
     * @return the metric stored under this name
     * @throws IllegalArgumentException for an unknown name
     */
    public static DistanceMetric fromSqlName(String name) {
        for (DistanceMetric m : values()) {
            if (m.sqlName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown distance metric '" + name + "'");
    }
}
