package dev.agentstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthCheckIT {

    @Test
    void health_check_migrates_the_embedded_default_and_prints_the_health_report() throws Exception {
        String out = ExampleOutput.of(() -> HealthCheck.main(new String[0]));

        assertThat(out).containsPattern("pgvector\\s+\\d+\\.\\d+\\.\\d+");
        assertThat(out).containsPattern("schema\\s+agentstore at version \\d+");
        assertThat(out).contains("embeddings      384 dimensions");
    }
}
