package dev.agentstore.internal;

import dev.agentstore.AgentStoreException;
import java.security.CodeSource;

/**
 * Checks at start-up that the jOOQ on the classpath is at least the minor version agentstore was
 * compiled against. An older jOOQ (for example 3.19, which Spring Boot 3.x and 4.0.x manage) loads
 * fine and fails only at the first search with a {@link NoSuchMethodError}; this check turns that
 * into one clear exception when the store is built.
 */
public final class JooqCompatibility {

    /**
     * The jOOQ version agentstore was compiled against. {@code org.jooq.Constants.VERSION} is a
     * compile-time constant, so javac copied its value into this class; the running jOOQ's value is
     * read reflectively in {@link #runtimeVersion()}.
     */
    public static final String COMPILED_AGAINST = org.jooq.Constants.VERSION;

    private JooqCompatibility() {
    }

    /**
     * Throws when the jOOQ on the classpath is older than {@link #COMPILED_AGAINST} (by major and
     * minor version; any patch release of the same minor version is accepted).
     *
     * @throws AgentStoreException naming both versions, the jar, and the fix
     */
    public static void check() {
        String problem = problem(COMPILED_AGAINST, runtimeVersion(), jooqJar());
        if (problem != null) {
            throw new AgentStoreException(problem);
        }
    }

    /** The version of the jOOQ classes actually loaded. */
    public static String runtimeVersion() {
        try {
            return String.valueOf(Class.forName("org.jooq.Constants").getField("VERSION").get(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            return "unknown";
        }
    }

    private static String jooqJar() {
        try {
            CodeSource source = org.jooq.DSLContext.class.getProtectionDomain().getCodeSource();
            return source == null || source.getLocation() == null ? null : source.getLocation().toString();
        } catch (SecurityException e) {
            return null;
        }
    }

    /**
     * The problem with running on {@code found} when built against {@code required}, or null when
     * there is none. A version that cannot be parsed is not reported (nothing to say for sure).
     */
    static String problem(String required, String found, String jar) {
        int[] r = majorMinor(required);
        int[] f = majorMinor(found);
        if (r == null || f == null) {
            return null;
        }
        boolean older = f[0] < r[0] || (f[0] == r[0] && f[1] < r[1]);
        if (!older) {
            return null;
        }
        return "agentstore needs jOOQ " + r[0] + "." + r[1] + " or newer (it was built against " + required
                + "), but the classpath has jOOQ " + found + (jar == null ? "" : " (" + jar + ")")
                + "; an older jOOQ fails later with NoSuchMethodError. Usually a dependency management imported"
                + " by the build chose it: Spring Boot 3.x and 4.0.x manage jOOQ 3.19. Fix: set the property"
                + " jooq.version to " + required + " (Maven: <properties><jooq.version>" + required
                + "</jooq.version></properties>; Gradle: ext['jooq.version'] = '" + required + "'), or declare"
                + " org.jooq:jooq:" + required + " in your dependencyManagement. Spring Boot 4.1 manages a"
                + " jOOQ that fits.";
    }

    private static int[] majorMinor(String version) {
        if (version == null) {
            return null;
        }
        String[] parts = version.split("[.-]");
        if (parts.length < 2) {
            return null;
        }
        try {
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
