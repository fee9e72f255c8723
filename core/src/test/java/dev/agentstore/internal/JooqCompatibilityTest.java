package dev.agentstore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class JooqCompatibilityTest {

    @Test
    void an_older_minor_version_is_a_problem_naming_both_versions_the_jar_and_the_fix() {
        String problem = JooqCompatibility.problem("3.21.9", "3.19.35", "file:/m2/jooq-3.19.35.jar");
        assertThat(problem)
                .contains("jOOQ 3.21 or newer", "built against 3.21.9", "classpath has jOOQ 3.19.35",
                        "file:/m2/jooq-3.19.35.jar", "<jooq.version>3.21.9</jooq.version>", "ext['jooq.version'] = '3.21.9'",
                        "Spring Boot 3.x and 4.0.x");
    }

    @Test
    void the_same_minor_version_with_any_patch_and_newer_versions_are_fine() {
        assertThat(JooqCompatibility.problem("3.21.9", "3.21.9", null)).isNull();
        assertThat(JooqCompatibility.problem("3.21.9", "3.21.1", null)).isNull();
        assertThat(JooqCompatibility.problem("3.21.9", "3.22.0", null)).isNull();
        assertThat(JooqCompatibility.problem("3.21.9", "4.0.0", null)).isNull();
    }

    @Test
    void an_older_major_version_is_a_problem() {
        assertThat(JooqCompatibility.problem("3.21.9", "2.99.0", null)).contains("classpath has jOOQ 2.99.0");
    }

    @Test
    void an_unparseable_version_is_not_reported() {
        assertThat(JooqCompatibility.problem("3.21.9", "unknown", null)).isNull();
        assertThat(JooqCompatibility.problem("3.21.9", null, null)).isNull();
    }

    @Test
    void the_build_of_this_module_runs_on_the_jooq_it_was_compiled_against() {
        assertThat(JooqCompatibility.runtimeVersion()).isEqualTo(JooqCompatibility.COMPILED_AGAINST);
        assertThatCode(JooqCompatibility::check).doesNotThrowAnyException();
    }
}
