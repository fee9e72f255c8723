package dev.agentstore.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstore.AgentStore;
import dev.agentstore.conversation.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Starts the whole application on a random port and talks to it over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KnowledgeChatApplicationIT {

    @LocalServerPort
    int port;

    @Autowired
    AgentStore store;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answers_from_the_knowledge_base_and_remembers_the_conversation() throws Exception {
        HttpResponse<String> first = post("/chat/alice", "How should I dry my tent after a rainy trip?");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"conversationId\":\"alice\"", "From the knowledge base:", "corpus:/")
                .containsIgnoringCase("tent");

        HttpResponse<String> second = post("/chat/alice", "What do sleeping bag temperature ratings mean?");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).containsIgnoringCase("sleeping bag")
                .contains("Earlier you asked: \\\"How should I dry my tent after a rainy trip?\\\"");

        HttpResponse<String> other = post("/chat/bob", "What do sleeping bag temperature ratings mean?");
        assertThat(other.body()).doesNotContain("Earlier you asked");

        var session = store.conversations("northwind").history().findByHostKey("alice").orElseThrow();
        assertThat(store.conversations("northwind").listLastMessages(session.id(), 10))
                .extracting(m -> m.role()).containsExactly(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT);
    }

    @Test
    void actuator_health_includes_agentstore() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"agentstore\"", "\"pgvector\"", "\"status\":\"UP\"");
    }
}
