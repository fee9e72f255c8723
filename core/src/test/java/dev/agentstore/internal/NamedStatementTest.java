package dev.agentstore.internal;

import static dev.agentstore.schema.Tables.MEMORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;

class NamedStatementTest {

    private final DSLContext dsl = DSL.using(SQLDialect.POSTGRES);

    @Test
    void several_queries_render_as_one_text_with_every_value_named_in_order() {
        NamedStatement s = NamedStatement.render(dsl,
                DSL.select(DSL.function("set_config", String.class, DSL.inline("hnsw.ef_search"),
                        DSL.param("ef", SQLDataType.VARCHAR), DSL.inline(true))),
                DSL.select(MEMORY.ID, MEMORY.CONTENT).from(MEMORY)
                        .where(MEMORY.TENANT_ID.eq(NamedStatement.Params.param("tenant", MEMORY.TENANT_ID)))
                        .and(MEMORY.AGENT_ID.eq(NamedStatement.Params.param("agent", MEMORY.AGENT_ID)))
                        .limit(DSL.param("k", SQLDataType.INTEGER)));

        assertThat(s.parameters()).containsExactly("ef", "tenant", "agent", "k");
        assertThat(s.sql()).contains(";\n").doesNotContain(":tenant").contains("?");
        assertThat(s.columns().index(MEMORY.CONTENT)).isEqualTo(2);
        assertThat(s.columns(1).index(MEMORY.ID)).isEqualTo(1);
    }

    @Test
    void an_unnamed_bind_value_is_rejected_because_it_would_be_frozen_into_the_text() {
        assertThatThrownBy(() -> NamedStatement.render(dsl, DSL.selectFrom(MEMORY).where(MEMORY.AGENT_ID.eq("planner"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unnamed bind value");
    }

    @Test
    void columns_find_a_field_by_qualified_name_and_refuse_an_ambiguous_unqualified_one() {
        Columns c = Columns.of(List.of(MEMORY.ID, MEMORY.as("other").ID, MEMORY.CONTENT));

        assertThat(c.index(MEMORY.ID)).isEqualTo(1);
        assertThat(c.index(MEMORY.as("other").ID)).isEqualTo(2);
        assertThat(c.index(DSL.field(DSL.name("content"), String.class))).isEqualTo(3);
        assertThatThrownBy(() -> c.index(DSL.field(DSL.name("id"), String.class)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than one column named id");
        assertThatThrownBy(() -> c.index(MEMORY.KIND)).hasMessageContaining("no column kind");
    }
}
