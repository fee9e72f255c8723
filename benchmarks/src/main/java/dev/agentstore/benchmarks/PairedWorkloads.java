package dev.agentstore.benchmarks;

import dev.agentstore.AgentStore;
import dev.agentstore.conversation.Conversations;
import dev.agentstore.conversation.NewMessage;
import dev.agentstore.conversation.NewSession;
import dev.agentstore.conversation.SessionId;
import dev.agentstore.document.KnowledgeBaseId;
import dev.agentstore.knowledge.SearchRequest;
import java.util.List;
import java.util.Random;

/**
 * The workloads the paired benchmarks (one store against another in the same run, e.g. with and without an
 * observer, bound by row-level security or bypassing it) time on each side, so that both sides and both benchmarks
 * run exactly the same calls.
 */
final class PairedWorkloads {

    private PairedWorkloads() {
    }

    /** {@code turns} chat turns (append a question and an answer, then read the last 20) in a new session. */
    static void chatTurns(AgentStore store, String tenant, int turns, Stats stats, boolean record) {
        Conversations chats = store.conversations(tenant);
        SessionId session = chats.open(NewSession.of("user", "agent")).id();
        for (int i = 0; i < turns; i++) {
            long t0 = System.nanoTime();
            chats.addMessages(session, List.of(NewMessage.user("question " + i), NewMessage.assistant("answer " + i)));
            chats.listLastMessages(session, 20);
            if (record) {
                stats.add(System.nanoTime() - t0);
            }
        }
    }

    /** {@code searches} vector searches (k = 10) of one knowledge base with random Gaussian queries. */
    static void vectorSearches(AgentStore store, String tenant, KnowledgeBaseId kb, int searches, Random random,
            int dimension, Stats stats, boolean record) {
        for (int i = 0; i < searches; i++) {
            float[] q = gaussian(random, dimension);
            long t0 = System.nanoTime();
            store.knowledge(tenant).search(SearchRequest.vector(q).knowledgeBases(kb).limit(10).build());
            if (record) {
                stats.add(System.nanoTime() - t0);
            }
        }
    }

    /** A vector of independent standard Gaussian components. */
    static float[] gaussian(Random random, int dimension) {
        float[] v = new float[dimension];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
