package dev.agentstore.internal;

/**
 * Keeps jOOQ quiet inside a host application: no 19-line logo, no "tip of the day" and no warning that
 * the open-source dialect is "older than supported" for PostgreSQL 15 (everything agentstore uses works
 * there). jOOQ reads these switches only from system properties, so this sets each one <em>only when
 * the host has not set it</em>; a host that wants jOOQ's defaults back sets them itself, e.g.
 * {@code -Dorg.jooq.no-logo=false}.
 */
public final class JooqDefaults {

    /** jOOQ's switch for its logo, read once when jOOQ first renders SQL. */
    public static final String NO_LOGO = "org.jooq.no-logo";
    /** jOOQ's switch for its tip of the day, read once when jOOQ first renders SQL. */
    public static final String NO_TIPS = "org.jooq.no-tips";
    /** The threshold of jOOQ's dialect version warning, read on every use. */
    public static final String VERSION_WARNING_THRESHOLD = "org.jooq.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport";

    private JooqDefaults() {
    }

    /** Sets the three switches the host left unset; call before agentstore first uses jOOQ. */
    public static void quietUnlessConfigured() {
        setIfAbsent(NO_LOGO, "true");
        setIfAbsent(NO_TIPS, "true");
        setIfAbsent(VERSION_WARNING_THRESHOLD, "ERROR");
    }

    private static void setIfAbsent(String key, String value) {
        try {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        } catch (SecurityException e) {
            // a locked-down JVM keeps jOOQ's defaults; logging noise is not worth failing for
        }
    }
}
