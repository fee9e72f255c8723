package dev.agentstore.examples;

import dev.agentstore.AgentStore;
import dev.agentstore.memory.Memory;
import dev.agentstore.memory.MemoryEntry;
import dev.agentstore.memory.MemoryFilter;
import dev.agentstore.memory.MemoryKey;
import dev.agentstore.memory.MemoryScope;
import dev.agentstore.memory.NewMemory;
import dev.agentstore.memory.PutOptions;
import dev.agentstore.memory.RecallQuery;
import dev.agentstore.memory.RecallScoring;
import dev.agentstore.memory.RecalledMemory;
import dev.agentstore.memory.Remembered;
import dev.agentstore.memory.VersionConflictException;
import dev.agentstore.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * AgentMemoryExample: an agent's key/value state with a version conflict between two writers, and
 * semantic memories recalled by similarity, importance and recency over a simulated week.
 *
 * <p>Run: {@code mvn -q -pl examples -am -DskipTests package exec:exec -Dexample=AgentMemoryExample}
 */
public final class AgentMemoryExample {

    private static final int DIMENSION = 384;

    private AgentMemoryExample() {
    }

    public static void main(String[] args) {
        // a clock the example moves forward to simulate days passing; production code keeps the system clock
        MutableClock clock = new MutableClock(Instant.parse("2026-05-04T09:00:00Z"));
        try (AgentStore store = ExampleDatabase.builder(DIMENSION).clock(clock).build()) {
            Memory memory = store.memory("acme");
            keyValueState(memory);
            semanticMemories(memory, clock);
        }
    }

    private static void keyValueState(Memory memory) {
        System.out.println("== key/value state ==");
        // --- README: key/value ---
        MemoryKey trip = MemoryKey.of("travel-agent", MemoryScope.user("alice"), "trip");
        MemoryEntry v1 = memory.putValue(trip, Map.of("city", "Lisbon", "nights", 3));

        // two workers read version 1; the first conditional put wins ...
        MemoryEntry v2 = memory.putValue(trip, Map.of("city", "Lisbon", "nights", 4), PutOptions.ifVersion(v1.version()));
        try {
            // ... and the second is refused instead of silently overwriting it
            memory.putValue(trip, Map.of("city", "Porto", "nights", 3), PutOptions.ifVersion(v1.version()));
        } catch (VersionConflictException e) {
            System.out.println("conflict: expected version " + e.expectedVersion() + ", found " + e.actualVersion());
        }
        System.out.println("trip v" + v2.version() + " = " + memory.get(trip).value());

        // scratch state that expires on its own
        MemoryKey draft = MemoryKey.of("travel-agent", MemoryScope.agent(), "draft-reply");
        memory.put(draft, "{\"text\": \"Booking your hotel...\"}", PutOptions.unconditional().withTimeToLive(Duration.ofHours(1)));
        // --- README: end ---
        System.out.println("draft expires at " + memory.get(draft).expiresAt());
    }

    private static void semanticMemories(Memory memory, MutableClock clock) {
        System.out.println();
        System.out.println("== semantic memories ==");
        String agent = "travel-agent";
        // --- README: semantic ---
        memory.remember(NewMemory.of(agent, "episode", "Alice liked a seafood dinner in Lisbon", embed("alice dinner lisbon seafood"))
                .withUser("alice").withImportance(0.2));
        memory.remember(NewMemory.of(agent, "fact", "Alice is allergic to peanuts", embed("alice allergic peanuts food"))
                .withUser("alice").withImportance(0.95));
        clock.advance(Duration.ofDays(6));
        memory.remember(NewMemory.of(agent, "episode", "Alice asked for Lisbon dinner ideas with a view",
                embed("alice dinner lisbon view restaurant")).withUser("alice").withImportance(0.3));
        clock.advance(Duration.ofDays(1));

        // score = 1.0·similarity + 0.5·importance + 0.5·0.5^(days since last used / 3)
        RecallScoring scoring = new RecallScoring(1.0, 0.5, 0.5, Duration.ofDays(3));
        RecallQuery query = RecallQuery.of(MemoryFilter.agent(agent).withUser("alice"), embed("dinner lisbon food"), 3);
        List<RecalledMemory> hits = memory.recall(query.withScoring(scoring));
        // --- README: end ---
        System.out.println("ranked by similarity, importance and recency:");
        for (RecalledMemory h : hits) {
            System.out.printf(Locale.ROOT, "  %.3f  (similarity %.3f, importance %.2f, recency %.3f)  %s%n", h.score(), h.similarity(),
                    h.memory().importance(), h.recency(), h.memory().content());
        }

        System.out.println("ranked by similarity alone:");
        for (RecalledMemory h : memory.recall(query.withScoring(RecallScoring.similarityOnly()))) {
            System.out.printf(Locale.ROOT, "  %.3f  %s (recalled %d times)%n", h.similarity(), h.memory().content(),
                    h.memory().accessCount());
        }

        Remembered again = memory.remember(NewMemory.of(agent, "fact", "Alice is  allergic to peanuts", embed("alice allergic peanuts food")));
        System.out.println("remembered again: reinforced=" + again.reinforced() + ", count=" + again.reinforcementCount()
                + ", importance=" + again.importance());
    }

    /**
     * A deterministic toy embedding (feature hashing of words) so the example needs no model; use your
     * embedding model here.
     */
    static float[] embed(String text) {
        float[] v = new float[DIMENSION];
        for (String word : text.toLowerCase(Locale.ROOT).split("\\W+")) {
            if (!word.isEmpty()) {
                int h = 0;
                for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
                    h = 31 * h + b;
                }
                v[Math.floorMod(h, DIMENSION)] += 1;
            }
        }
        return v;
    }
}
