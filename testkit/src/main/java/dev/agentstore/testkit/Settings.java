package dev.agentstore.testkit;

import java.util.function.Function;

/** Reads a setting from a system property first, then from the environment. */
final class Settings {

    private final Function<String, String> properties;
    private final Function<String, String> environment;

    Settings(Function<String, String> properties, Function<String, String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    static Settings system() {
        return new Settings(System::getProperty, System::getenv);
    }

    /** The value of the system property, else of the environment variable, else null; blank counts as unset. */
    String get(String property, String env) {
        String v = properties.apply(property);
        if (v == null || v.isBlank()) {
            v = environment.apply(env);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }
}
