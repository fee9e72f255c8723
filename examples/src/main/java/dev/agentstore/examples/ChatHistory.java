package dev.agentstore.examples;

import dev.agentstore.AgentStore;
import dev.agentstore.conversation.AgentStats;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.Message;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.conversation.Rating;
import dev.agentstore.conversation.Session;
import dev.agentstore.conversation.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * ChatHistory: the chat history of a support agent. Shows a session of several turns whose answers
 * carry their sources, response time, token counts and model; thumbs up/down feedback on answers;
 * the last-N window a chat turn sends to the model; and the per-agent statistics a dashboard shows
 * (message count, feedback, mean and p95 response time, tokens).
 *
 * <p>Run: {@code mvn -q -pl examples -am -DskipTests package exec:exec -Dexample=ChatHistory}
 */
public final class ChatHistory {

    private static final String[][] TURNS = {
        {"Why was I charged twice this month?",
            "The renewal ran before and after your plan change; the second charge is refunded within five days."},
        {"Can I get the refund sooner?",
            "Yes: open Billing > Refunds and choose 'refund now'; it reaches your card in one to two days."},
        {"And will it happen again next month?",
            "No. Your plan now renews once, on the 3rd of each month."},
    };

    private ChatHistory() {
    }

    public static void main(String[] args) {
        Instant start = Instant.now();
        try (AgentStore store = ExampleDatabase.builder(384).build()) {
            Conversations chats = store.conversations("acme");
            Session session = chats.open(NewSession.of("alice", "support-bot").withTitle("Double charge")
                    .withMetadata(Map.of("channel", "web")));

            for (int i = 0; i < TURNS.length; i++) {
                chats.addMessage(session.id(), NewMessage.user(TURNS[i][0]));
                Message answer = chats.addMessage(session.id(), NewMessage.assistant(TURNS[i][1])
                        .withSources(List.of(new Source("https://help.example.com/billing/refunds", "Refunds", null, 0.91)))
                        .withResponseTime(Duration.ofMillis(800 + 400L * i)).withTokens(900, 60).withModel("gpt-4o"));
                if (i == 1) {
                    chats.addFeedback(answer.id(), Rating.DOWN, "too vague");
                } else {
                    chats.addFeedback(answer.id(), Rating.UP, null);
                }
            }

            List<Message> window = chats.listLastMessages(session.id(), 4);   // what the next turn sends to the model
            for (Message m : window) {
                System.out.printf("#%d %-9s %s%s%n", m.seq(), m.role(), m.content(),
                        m.feedback() == null ? "" : "  [" + m.feedback().rating() + "]");
            }
            Session now = chats.getSession(session.id());
            System.out.printf("session '%s' of %s with %s: %d messages%n", now.title(), now.userId(), now.agentId(),
                    now.messageCount());

            for (AgentStats s : chats.statsPerAgent(start, Instant.now().plusSeconds(1))) {
                System.out.printf("%s: %d messages, %d up, %d down, mean %d ms, p95 %d ms, tokens %d in / %d out%n",
                        s.agentId(), s.messages(), s.feedbackUp(), s.feedbackDown(), s.meanResponseTime().toMillis(),
                        s.p95ResponseTime().toMillis(), s.inputTokens(), s.outputTokens());
            }
        }
    }
}
