package dev.agentstore.internal;

import static dev.agentstore.schema.Tables.MEMORY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.AgentStore;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;

/**
 * Several statements sent in one round trip stay one implicit transaction however often they run on one
 * connection: pgjdbc server-prepares a statement from its fifth execution and, once it has described it, may
 * send a Sync between the statements of a multi-statement execute, which would end the transaction and drop
 * the {@code set_config(..., true)} of the first statement.
 */
@AgentStoreTest(dimension = 3)
class NamedStatementIT {

    @Test
    void a_transaction_local_setting_of_the_first_statement_holds_in_the_second_on_every_repetition(TestDatabase db)
            throws Exception {
        repeat(db, DSL.noCondition(), Map.of());
    }

    @Test
    void a_value_of_a_type_the_statement_cannot_tell_still_keeps_the_batch_in_one_transaction(TestDatabase db)
            throws Exception {
        Map<String, Object> untyped = new HashMap<>();
        untyped.put("x", null);
        repeat(db, DSL.condition("{0}::text is null", DSL.param("x", SQLDataType.OTHER)), untyped);
    }

    private static void repeat(TestDatabase db, org.jooq.Condition extra, Map<String, Object> extraValues) throws Exception {
        try (AgentStore store = AgentStore.builder().dataSource(db.dataSource()).build()) {
            // the second statement has every kind of value the library binds, including an untyped null and a
            // vector, and unbounded result columns (text), which is what makes pgjdbc split a described statement
            Field<String> setting = DSL.field("current_setting('hnsw.ef_search')", String.class);
            NamedStatement statement = NamedStatement.render(store.dsl(),
                    DSL.select(DSL.function("set_config", String.class, DSL.inline("hnsw.ef_search"),
                            DSL.param("ef", SQLDataType.VARCHAR), DSL.inline(true))),
                    DSL.select(setting.as("ef"), MEMORY.CONTENT, MEMORY.METADATA)
                            .from(MEMORY)
                            .where(MEMORY.TENANT_ID.eq(NamedStatement.Params.param("tenant", MEMORY.TENANT_ID)))
                            .and(MEMORY.ID.eq(DSL.any(DSL.param("ids", SQLDataType.UUID.array()))))
                            .and(MEMORY.USER_ID.isNull().or(MEMORY.USER_ID.eq(NamedStatement.Params.param("user", MEMORY.USER_ID))))
                            .and(MEMORY.METADATA.isNull().or(DSL.condition("{0} @> {1}", MEMORY.METADATA,
                                    NamedStatement.Params.param("md", MEMORY.METADATA))))
                            .and(extra)
                            .and(DSL.condition("{0} <=> {1} < 2", MEMORY.EMBEDDING, NamedStatement.Params.param("q", MEMORY.EMBEDDING)))
                            .unionAll(DSL.select(setting, DSL.inline("x"), DSL.inline(null, MEMORY.METADATA.getDataType()))));
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(true);
                for (int i = 0; i < 12; i++) {
                    Map<String, Object> values = new HashMap<>();
                    values.put("ef", Integer.toString(200 + i));
                    values.put("tenant", "acme");
                    values.put("ids", new UUID[] {UUID.randomUUID()});
                    values.put("user", null);
                    values.put("md", null); // jsonb: bound as an untyped null
                    values.put("q", new float[] {1, 0, 0});
                    values.putAll(extraValues);
                    try (PreparedStatement ps = statement.prepare(c, values);
                         ResultSet rs = NamedStatement.lastResult(ps)) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).as("call " + (i + 1)).isEqualTo(Integer.toString(200 + i));
                    }
                    try (PreparedStatement after = c.prepareStatement("select current_setting('hnsw.ef_search')");
                         ResultSet rs = after.executeQuery()) {
                        rs.next();
                        assertThat(rs.getString(1)).as("after call " + (i + 1)).isEqualTo("40");
                    }
                }
            }
        }
    }
}
