package dev.agentstore.document;

/**
 * How a knowledge base's vector index stores its embeddings. The table always keeps the full
 * {@code float4} precision; only the HNSW index (and therefore approximate search) differs.
 */
public enum VectorType {
    /** 4-byte floats in the index; up to 2,000 dimensions. */
    VECTOR("vector", 2000),
    /** 2-byte floats in the index (half the size, slightly lower precision); up to 4,000 dimensions. */
    HALFVEC("halfvec", 4000);

    private final String sqlName;
    private final int maxDimension;

    VectorType(String sqlName, int maxDimension) {
        this.sqlName = sqlName;
        this.maxDimension = maxDimension;
    }

    /**
     * The pgvector type name.
     *
     * @return the pgvector type name
     */
    public String sqlName() {
        return sqlName;
    }

    /**
     * The largest dimension pgvector can index with this type.
     *
     * @return the largest dimension pgvector can index with this type
     */
    public int maxDimension() {
        return maxDimension;
    }

    /**
     * The type of a pgvector type name.
     *
     * @param name the name
     * @return the type of a pgvector type name
     * @throws IllegalArgumentException for an unknown name
     */
    public static VectorType fromSqlName(String name) {
        for (VectorType t : values()) {
            if (t.sqlName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown vector type '" + name + "'");
    }
}
