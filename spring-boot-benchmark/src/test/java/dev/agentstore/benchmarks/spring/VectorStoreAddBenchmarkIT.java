package dev.agentstore.benchmarks.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A smoke run at a small size, so that the benchmark cannot rot; the README's figures come from the full run. */
class VectorStoreAddBenchmarkIT {

    @Test
    void both_stores_load_and_find_the_probe_document() {
        List<VectorStoreAddBenchmark.Result> results = VectorStoreAddBenchmark.run(300, 32);
        assertThat(results).extracting(VectorStoreAddBenchmark.Result::store)
                .containsExactly("AgentStoreVectorStore", "PgVectorStore");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.documents()).isEqualTo(300);
            assertThat(r.foundProbe()).isTrue();
            assertThat(r.searchableSeconds()).isGreaterThanOrEqualTo(r.addSeconds());
        });
    }
}
