package dev.agentstore.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.internal.NamedStatement;

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
        int beyond = HotStatements.CONSTANT_LIMITS + 1;
        assertThat(hot.history(false, beyond).parameters()).containsExactly("tenant", "session", "count");
        assertThat(hot.history(true, beyond).parameters()).containsExactly("tenant", "session", "before", "count");
        assertThat(hot.history(false, beyond).sql()).contains("order by \"agentstore\".\"conversation_message\".\"seq\" desc")
                .doesNotContainPattern("[^:]:[a-z]");
    }

    @Test
    void counts_up_to_the_constant_limits_get_a_statement_of_their_own_with_the_count_as_a_constant() {
        assertThat(hot.history(false, 20).parameters()).containsExactly("tenant", "session");
        assertThat(hot.history(false, 20).sql()).contains("fetch next 20 rows only");
        assertThat(hot.history(true, 5).parameters()).containsExactly("tenant", "session", "before");
        assertThat(hot.history(true, 5).sql()).contains("fetch next 5 rows only");
        assertThat(hot.history(false, 20)).as("rendered once").isSameAs(hot.history(false, 20));
        assertThat(hot.history(false, HotStatements.CONSTANT_LIMITS).sql())
                .contains("fetch next " + HotStatements.CONSTANT_LIMITS + " rows only");
    }

    @Test
    void the_append_of_several_messages_names_each_messages_values_and_is_kept_up_to_the_limit() {
        NamedStatement two = hot.append(2);
        assertThat(two.parameters()).contains("tenant", "session", "now", "role_0", "content_0", "role_1", "content_1",
                "tool_name_1", "agent_run_1").doesNotContain("role", "role_2");
        assertThat(two.sql()).contains("union all").doesNotContainPattern("[^:]:[a-z]");
        assertThat(hot.append(2)).isSameAs(two);
        assertThat(hot.append(HotStatements.KEPT_APPENDS + 1).parameters()).contains("role_" + HotStatements.KEPT_APPENDS);
        assertThatThrownBy(() -> hot.append(1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n = 1");
    }
}
