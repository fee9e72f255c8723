package dev.agentstore.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class KnowledgeLayoutTest {

    @Test
    void a_described_layout_reads_back_with_its_ranges_and_which_of_them_have_a_graph() {
        UUID kb = UUID.randomUUID();

        KnowledgeLayout l = KnowledgeLayout.parse(kb + ":cosine:english:17:768:vector:4200:0-0,1-2~,3-3");

        assertThat(l.knowledgeBaseId()).isEqualTo(kb);
        assertThat(l.storageId()).isEqualTo(17);
        assertThat(l.indexType()).isEqualTo("vector(768)");
        assertThat(l.estimatedChunks()).isEqualTo(4200);
        assertThat(l.ranges()).containsExactly(new KnowledgeLayout.IndexRange(0, 0, true),
                new KnowledgeLayout.IndexRange(1, 2, false), new KnowledgeLayout.IndexRange(3, 3));
        // the statement cache key tells a range with a graph from one without
        assertThat(l.shape()).isEqualTo("17:vector(768):cosine:[0-0, 1-2~, 3-3]");
    }

    @Test
    void a_knowledge_base_without_ranges_or_statistics_reads_back_too() {
        UUID kb = UUID.randomUUID();

        KnowledgeLayout l = KnowledgeLayout.parse(kb + ":l2:simple:3:3:halfvec:-1:");

        assertThat(l.ranges()).isEmpty();
        assertThat(l.estimatedChunks()).isEqualTo(-1);
        assertThat(l.operator()).isEqualTo("<->");
        assertThat(l.indexType()).isEqualTo("halfvec(3)");
    }
}
