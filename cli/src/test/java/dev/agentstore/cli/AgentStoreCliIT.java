package dev.agentstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.AgentStore;
import dev.agentstore.testkit.TestDatabase;
import dev.agentstore.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ops command against a real PostgreSQL: every command, its exit code and what it prints. */
class AgentStoreCliIT {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        return AgentStoreCli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, String> env(TestDatabase db, String schema, int dimension) {
        Map<String, String> env = new HashMap<>();
        env.put(AgentStore.ENV_JDBC_URL, db.jdbcUrl());
        env.put(AgentStore.ENV_JDBC_USER, db.user());
        env.put(AgentStore.ENV_JDBC_PASSWORD, db.password());
        env.put(AgentStore.ENV_SCHEMA, schema);
        env.put(AgentStore.ENV_EMBEDDING_DIMENSION, Integer.toString(dimension));
        return env;
    }

    @Test
    void an_empty_database_is_reported_pending_then_migrated_then_up_to_date_healthy_and_verified() {
        TestDatabase db = TestPostgres.shared().createEmptyDatabase();
        Map<String, String> env = env(db, "ops_cli", 8);

        assertThat(run(env, "status")).isEqualTo(AgentStoreCli.CHECK_FAILED);
        assertThat(out()).contains("Pending").contains("NOT up to date: run 'agentstore migrate'");

        assertThat(run(env, "migrate")).as(err()).isEqualTo(AgentStoreCli.OK);
        assertThat(out()).contains("schema version      none -> ");

        assertThat(run(env, "status")).as(out()).isEqualTo(AgentStoreCli.OK);
        assertThat(out()).contains("Success").contains("up to date");

        assertThat(run(env, "health")).isEqualTo(AgentStoreCli.OK);
        assertThat(out()).contains("pgvector").contains("schema          ops_cli at version");

        assertThat(run(env, "verify")).as(out()).isEqualTo(AgentStoreCli.OK);
        assertThat(out()).contains("matches the snapshot of this release");

        assertThat(run(env, "schema")).isEqualTo(AgentStoreCli.OK);
        assertThat(out()).startsWith("-- agentstore schema snapshot").contains("CREATE TABLE conversation_message (")
                .contains("${schema}.").doesNotContain("ops_cli.");
    }

    @Test
    void verify_names_the_lines_of_a_schema_changed_by_hand() throws Exception {
        TestDatabase db = TestPostgres.shared().createDatabase("ops_drift", 8);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE INDEX hand_made_idx ON ops_drift.conversation_session (title)");
        }

        assertThat(run(env(db, "ops_drift", 8), "verify")).isEqualTo(AgentStoreCli.CHECK_FAILED);

        assertThat(out()).contains("differs from the snapshot of this release")
                .contains("+").contains("hand_made_idx");
    }

    @Test
    void help_and_usage_errors_have_their_own_exit_codes() {
        Map<String, String> none = Map.of();

        assertThat(run(none, "--help")).isEqualTo(AgentStoreCli.OK);
        assertThat(out()).contains("migrate").contains("status").contains("health").contains("schema").contains("verify");
        assertThat(run(none, "verify", "--help")).isEqualTo(AgentStoreCli.OK);
        assertThat(out()).contains("usage: agentstore verify");
        assertThat(run(none)).isEqualTo(AgentStoreCli.USAGE);
        assertThat(run(none, "frobnicate")).isEqualTo(AgentStoreCli.USAGE);
        assertThat(err()).contains("unknown command 'frobnicate'");
        assertThat(run(none, "status", "extra")).isEqualTo(AgentStoreCli.USAGE);
        assertThat(err()).contains("unexpected argument 'extra'");
    }

    @Test
    void a_missing_configuration_is_an_error_that_names_the_variable() {
        assertThat(run(Map.of(), "health")).isEqualTo(AgentStoreCli.ERROR);

        assertThat(err()).contains(AgentStore.ENV_JDBC_URL);
    }
}
