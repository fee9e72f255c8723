package dev.agentstore.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class HotStatementsTest {

    private final HotStatements hot = HotStatements.render(
            DSL.using(SQLDialect.POSTGRES, new Settings().withRenderFormatted(false)));

    @Test
    void the_append_statement_binds_every_value_by_name_and_keeps_no_named_placeholder() {
        assertThat(hot.append.parameters()).containsExactly("now", "now", "tenant", "session", "tenant", "session",
                "role", "content", "sources", "response_time_ms", "input_tokens", "output_tokens", "model", "metadata", "now",
                "tool_calls", "tool_call_id", "tool_name", "agent_run");
        assertThat(hot.append.sql()).doesNotContainPattern("[^:]:[a-z]")
                .startsWith("with \"taken\" as (update \"agentstore\".\"conversation_session\"")
                .contains("returning \"agentstore\".\"conversation_message\".\"id\"");
    }

    @Test
    void the_history_statements_bind_tenant_session_bound_and_count() {
        assertThat(hot.history.parameters()).containsExactly("tenant", "session", "count");
        assertThat(hot.historyBefore.parameters()).containsExactly("tenant", "session", "before", "count");
        assertThat(hot.history.sql()).contains("order by \"agentstore\".\"conversation_message\".\"seq\" desc")
                .doesNotContainPattern("[^:]:[a-z]");
    }
}
