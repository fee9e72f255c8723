package dev.agentstore.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchemaSnapshotTest {

    @Test
    void equal_snapshots_have_no_differences() {
        assertThat(SchemaSnapshot.diff("a\nb\nc\n", "a\nb\nc\n")).isEmpty();
    }

    @Test
    void a_changed_line_is_reported_as_removed_and_added_with_line_numbers() {
        assertThat(SchemaSnapshot.diff("a\nb\nc\n", "a\nB\nc\nd\n"))
                .containsExactly("-2: b", "+2: B", "+4: d");
    }

    @Test
    void schema_name_and_configured_dimension_are_written_as_the_migration_placeholders() {
        String live = "CREATE INDEX x ON tenant_a.chunk USING hnsw (embedding);\n"
                + "  embedding vector(768) NOT NULL,\n  other vector(3),\n"
                + "  REFERENCES tenant_a.knowledge_base(tenant_id, id)";

        String text = SchemaSnapshot.normalise(live, "tenant_a", 768);

        assertThat(text).isEqualTo("CREATE INDEX x ON ${schema}.chunk USING hnsw (embedding);\n"
                + "  embedding vector(${embedding_dimension}) NOT NULL,\n  other vector(3),\n"
                + "  REFERENCES ${schema}.knowledge_base(tenant_id, id)\n");
    }

    @Test
    void the_committed_snapshot_ships_in_the_jar() {
        assertThat(SchemaSnapshot.committed()).startsWith("-- agentstore schema snapshot").contains("CREATE TABLE ");
    }
}
