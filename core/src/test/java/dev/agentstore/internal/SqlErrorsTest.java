package dev.agentstore.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.AgentStoreException;
import dev.agentstore.ConflictException;
import dev.agentstore.DatabaseUnavailableException;
import dev.agentstore.InvalidInputException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** SQLSTATE translation without a database: the exceptions jOOQ, pgjdbc and HikariCP throw, by hand. */
class SqlErrorsTest {

    private static RuntimeException jooq(SQLException e) {
        return new DataAccessException("SQL [...]; " + e.getMessage(), e);
    }

    @Test
    void nul_in_text_and_in_json_become_invalid_input() {
        AgentStoreException text = SqlErrors.translate(jooq(new SQLException(
                "ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021")), "append a message");
        assertThat(text).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("cannot append a message: the database refused a text that holds a NUL character")
                .hasMessageContaining("nothing was written");
        AgentStoreException json = SqlErrors.translate(jooq(new SQLException(
                "ERROR: unsupported Unicode escape sequence", "22P05")), "put memory");
        assertThat(json).isInstanceOf(InvalidInputException.class).hasCauseInstanceOf(DataAccessException.class);
    }

    @Test
    void a_timeout_of_agentstores_own_pool_names_the_settings_and_their_variables() {
        SQLTransientConnectionException hikari = new SQLTransientConnectionException(
                "agentstore - Connection is not available, request timed out after 2000ms (total=2, active=2, idle=0, waiting=1)");
        AgentStoreException e = SqlErrors.translate(jooq(hikari), "open a session");
        assertThat(e).isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("cannot open a session: no database connection became free in time "
                        + "(Connection is not available, request timed out after 2000ms (total=2, active=2, idle=0, waiting=1))")
                .hasMessageContaining("poolSize (AGENTSTORE_POOL_SIZE)")
                .hasMessageContaining("connectionTimeout (AGENTSTORE_CONNECTION_TIMEOUT_MS)");
    }

    @Test
    void a_timeout_of_a_host_pool_points_at_the_hosts_configuration() {
        SQLTransientConnectionException hikari = new SQLTransientConnectionException(
                "app-pool - Connection is not available, request timed out after 500ms (total=1, active=1, idle=0, waiting=0)");
        assertThat(SqlErrors.translate(hikari, "search"))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("the host's data source (pool app-pool)")
                .hasMessageNotContaining("AGENTSTORE_POOL_SIZE");
    }

    @Test
    void a_lost_connection_or_a_shutdown_is_unavailable_and_says_what_happened_to_the_transaction() {
        for (String state : new String[] {"08006", "08003", "57P01", "57P02", "57P03"}) {
            AgentStoreException e = SqlErrors.translate(jooq(new SQLException("gone", state)), "remember a memory");
            assertThat(e).as(state).isInstanceOf(DatabaseUnavailableException.class)
                    .hasMessageContaining("SQLSTATE " + state)
                    .hasMessageContaining("rolled back unless the commit itself was under way");
        }
        assertThat(SqlErrors.translate(new PSQLException("I/O error", PSQLState.CONNECTION_FAILURE), "x"))
                .isInstanceOf(DatabaseUnavailableException.class);
    }

    @Test
    void the_existing_mappings_still_hold() {
        assertThat(SqlErrors.translate(jooq(new SQLException("dup", "23505")), "x")).isInstanceOf(ConflictException.class);
        assertThat(SqlErrors.translate(jooq(new SQLException("deadlock", "40P01")), "x")).isInstanceOf(ConflictException.class);
        assertThat(SqlErrors.translate(jooq(new SQLException("check", "23514")), "x")).isInstanceOf(InvalidInputException.class);
        AgentStoreException other = SqlErrors.translate(jooq(new SQLException("boom", "XX000")), "x");
        assertThat(other.getClass()).isEqualTo(AgentStoreException.class);
        InvalidInputException given = new InvalidInputException("kept");
        assertThat(SqlErrors.translate(given, "x")).isSameAs(given);
    }
}
