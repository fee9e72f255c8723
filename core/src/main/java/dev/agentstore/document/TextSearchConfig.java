package dev.agentstore.document;

/**
 * The PostgreSQL text-search configuration a knowledge base uses for full-text search over chunk
 * text. {@link #SIMPLE} only lower-cases; the language configurations also stem and drop stop words.
 */
public enum TextSearchConfig {
    SIMPLE, ENGLISH, GERMAN, FRENCH, SPANISH, ITALIAN, PORTUGUESE, DUTCH;

    /** The configuration's name in PostgreSQL (and in {@code knowledge_base.text_search_config}). */
    public String sqlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The configuration with this PostgreSQL name.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static TextSearchConfig fromSqlName(String name) {
        for (TextSearchConfig c : values()) {
            if (c.sqlName().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown text search configuration '" + name + "'");
    }
}
