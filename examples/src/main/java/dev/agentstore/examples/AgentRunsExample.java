package dev.agentstore.examples;

import dev.agentstore.AgentStore;
import dev.agentstore.agents.AgentDefinition;
import dev.agentstore.agents.AgentId;
import dev.agentstore.agents.AgentVersion;
import dev.agentstore.agents.AgentVersionId;
import dev.agentstore.agents.Agents;
import dev.agentstore.agents.NewAgent;
import dev.agentstore.agents.NewRun;
import dev.agentstore.agents.PublishResult;
import dev.agentstore.agents.RetrievedChunk;
import dev.agentstore.agents.RunId;
import dev.agentstore.agents.RunStats;
import dev.agentstore.agents.Runs;
import dev.agentstore.agents.ToolCall;
import dev.agentstore.agents.ToolOutcome;
import dev.agentstore.agents.ToolSpec;
import dev.agentstore.agents.ToolStats;
import dev.agentstore.agents.VersionComparison;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.Message;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.Rating;
import dev.agentstore.conversation.Session;
import dev.agentstore.document.ChunkId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * AgentRunsExample: a support agent with two versions in the registry, a few scripted chat turns
 * recorded as runs (retrieved chunks, tool calls, tokens, cost), user feedback arriving afterwards,
 * and the two versions compared side by side, with their tool error rates.
 *
 * <p>Run: {@code mvn -q -pl examples -am -DskipTests package exec:exec -Dexample=AgentRunsExample}
 */
public final class AgentRunsExample {

    private static final Instant MORNING = Instant.parse("2026-12-01T09:00:00Z");
    private static final ChunkId REFUNDS = ChunkId.of(UUID.fromString("5f0c2a7e-0000-4000-8000-000000000001"));
    private static final ChunkId SHIPPING = ChunkId.of(UUID.fromString("5f0c2a7e-0000-4000-8000-000000000002"));

    /** One scripted turn: version, question, answer, duration, whether the refund tool fails, the user's rating. */
    private record Turn(int version, String question, String answer, long millis, boolean refundFails, Rating rating) {
    }

    private static final List<Turn> TURNS = List.of(
            new Turn(1, "Where is order A-1001?", "It left our warehouse yesterday.", 2400, false, Rating.UP),
            new Turn(1, "Refund order A-1002, please.", "Sorry, something went wrong.", 5100, true, Rating.DOWN),
            new Turn(1, "Can I return boots I wore once?", "Yes, within 60 days.", 1900, false, null),
            new Turn(2, "Where is order A-2001?", "It arrives tomorrow before noon.", 1300, false, Rating.UP),
            new Turn(2, "Refund order A-2002, please.", "Done: 49.90 EUR are on their way back.", 1700, false, Rating.UP),
            new Turn(2, "Do you ship to Canada?", "Yes, in 5 to 8 working days.", 1100, false, null));

    private AgentRunsExample() {
    }

    public static void main(String[] args) {
        try (AgentStore store = ExampleDatabase.builder(384).build()) {
            Agents agents = store.agents("northwind");
            AgentId bot = AgentId.of("support-bot");
            agents.register(NewAgent.of("support-bot").withDescription("Answers order and refund questions"));
            AgentDefinition v1 = AgentDefinition.of("openai", "gpt-4o-mini")
                    .withSystemPrompt("You answer questions about Northwind Trails orders.")
                    .withTools(List.of(ToolSpec.of("lookup_order", "Finds an order by its number"),
                            ToolSpec.of("refund", "Refunds an order")));
            AgentVersion first = agents.publish(bot, v1).version();
            agents.activate(bot, first.version());
            PublishResult second = agents.publish(bot, v1.withModel("openai", "gpt-4o")
                    .withSystemPrompt("You answer questions about Northwind Trails orders. Confirm refunds with the amount.")
                    .withChangeNote("bigger model, refunds confirmed with the amount"));
            PublishResult again = agents.publish(bot, v1);   // unchanged: no new version
            System.out.printf("published v%d and v%d; publishing v1's definition again created a version: %s (v%d)%n",
                    first.version(), second.version().version(), again.created(), again.version().version());

            Conversations chats = store.conversations("northwind");
            Runs runs = agents.runs();
            for (int i = 0; i < TURNS.size(); i++) {
                Turn t = TURNS.get(i);
                Session session = chats.open("customer-" + i, bot.value());
                Message question = chats.addMessage(session.id(), NewMessage.user(t.question()));
                Message answer = chats.addMessage(session.id(), NewMessage.assistant(t.answer()));
                ToolCall refund = t.refundFails()
                        ? ToolCall.failed("refund", Map.of("order", "A-1002"), Duration.ofMillis(3000), ToolOutcome.TIMEOUT,
                                "payment provider did not answer")
                        : ToolCall.succeeded("refund", Map.of("order", "A-" + i), 120, Duration.ofMillis(400));
                AgentVersionId version = agents.getVersion(bot, t.version()).id();
                Instant started = MORNING.plusSeconds(60L * i);
                Duration took = Duration.ofMillis(t.millis());
                NewRun run = t.refundFails() ? NewRun.failed(version, started, took, "refund tool timed out")
                        : NewRun.succeeded(version, started, took);
                RunId id = runs.record(run.inSession(session.id()).answering(question.id()).producing(answer.id())
                        .withInput(t.question()).withOutput(t.answer())
                        .withTokens(900, 40).withCost(new BigDecimal(t.version() == 1 ? "0.0004" : "0.0060"))
                        .withRetrievedChunks(List.of(RetrievedChunk.of(REFUNDS, 0.82), RetrievedChunk.of(SHIPPING, 0.61)))
                        .withToolCalls(List.of(ToolCall.succeeded("lookup_order", Map.of("order", "A-" + i), 350,
                                Duration.ofMillis(80)), refund)));
                if (t.rating() != null) {
                    runs.addFeedback(id, t.rating(), null);   // arrives later, e.g. a thumbs up in the chat window
                }
            }
            agents.activate(bot, 2);

            VersionComparison c = agents.stats().compareVersions(bot, 1, 2, MORNING, MORNING.plus(Duration.ofDays(1)));
            System.out.printf("%-7s %5s %8s %7s %7s %9s %8s%n", "version", "runs", "success", "p50 ms", "p95 ms", "cost", "up/down");
            for (RunStats s : List.of(c.a(), c.b())) {
                System.out.printf("v%-6d %5d %7.0f%% %7d %7d %9s %5d/%d%n", s.agentVersion().version(), s.runs(),
                        100 * s.successRate(), s.p50Latency().toMillis(), s.p95Latency().toMillis(), s.cost().toPlainString(),
                        s.feedbackUp(), s.feedbackDown());
            }
            System.out.printf("v2 against v1: success %+.0f points, p95 latency x%.2f%n", 100 * c.successRateChange(),
                    c.p95LatencyRatio());
            for (ToolStats s : agents.stats().toolStats(bot, MORNING, MORNING.plus(Duration.ofDays(1)))) {
                System.out.printf("v%d %-12s %d calls, error rate %.0f%%%n", s.agentVersion().version(), s.tool(), s.calls(),
                        100 * s.errorRate());
            }
            System.out.println("active: v" + agents.getActiveVersion(bot).version() + " ("
                    + agents.getActiveVersion(bot).definition().modelName() + ")");
        }
    }
}
