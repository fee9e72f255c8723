package dev.agentstore.document;

/**
 * The PostgreSQL text-search configuration a knowledge base uses for full-text search over chunk
 * text. {@link #SIMPLE} only lower-cases; the language configurations also stem and drop stop words.
 */
public enum TextSearchConfig {
    /** Lower-cases the words; no stemming, no stop words (any language). */
    SIMPLE,
    /** English: stems and drops English stop words. */
    ENGLISH,
    /** German: stems and drops German stop words. */
    GERMAN,
    /** French: stems and drops French stop words. */
    FRENCH,
    /** Spanish: stems and drops Spanish stop words. */
    SPANISH,
    /** Italian: stems and drops Italian stop words. */
    ITALIAN,
    /** Portuguese: stems and drops Portuguese stop words. */
    PORTUGUESE,
    /** Dutch: stems and drops Dutch stop words. */
    DUTCH;

    /**
     * The configuration's name in PostgreSQL (and in {@code knowledge_base.text_search_config}).
     *
     * @return the configuration's name in PostgreSQL (and in {@code knowledge_base.text_search_config})
     */
    public String sqlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The configuration with this PostgreSQL name.
     *
     * @param name the name
     * @return the configuration with this PostgreSQL name
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
