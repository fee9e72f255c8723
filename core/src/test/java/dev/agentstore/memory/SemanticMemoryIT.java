package dev.agentstore.memory;

import dev.agentstore.testkit.MutableClock;
import static dev.agentstore.schema.Tables.MEMORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.agentstore.AgentStore;
import dev.agentstore.DimensionMismatchException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AgentStoreTest(dimension = 3)
class SemanticMemoryIT {

    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final float[] QUERY = {1, 0, 0};

    private final MutableClock clock = new MutableClock(T0);
    private AgentStore store;
    private Memory memory;

    @BeforeEach
    void open(TestDatabase db) {
        store = AgentStore.builder().dataSource(db.dataSource()).clock(clock).maxMemoryLength(100).build();
        store.dsl().truncate(MEMORY).execute();
        memory = store.memory("acme");
    }

    @AfterEach
    void close() {
        store.close();
    }

    private int memoryRows() {
        return store.dsl().fetchCount(MEMORY);
    }

    /** A unit vector at this angle (degrees) from the query in the x/y plane: cosine similarity cos(angle). */
    private static float[] at(double degrees) {
        double r = Math.toRadians(degrees);
        return new float[] {(float) Math.cos(r), (float) Math.sin(r), 0};
    }

    private static NewMemory fact(String content, float[] embedding) {
        return NewMemory.of("planner", "fact", content, embedding);
    }

    @Test
    void remembering_the_same_content_again_reinforces_it_instead_of_storing_a_duplicate() {
        Remembered first = memory.remember(fact("The user prefers metric units.", at(0))
                .withImportance(0.4).withMetadata(Map.of("source", "chat", "lang", "en")).withUser("alice"));
        clock.advance(Duration.ofHours(3));

        Remembered again = memory.remember(NewMemory.of("planner", "learning", "  The user\u00a0prefers metric\n units. ", at(10))
                .withImportance(0.7).withMetadata(Map.of("source", "profile")));
        Remembered lessImportant = memory.remember(fact("The user prefers metric units.", at(0)).withImportance(0.1));

        assertThat(first.reinforced()).isFalse();
        assertThat(first.reinforcementCount()).isEqualTo(1);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.reinforced()).isTrue();
        assertThat(again.reinforcementCount()).isEqualTo(2);
        assertThat(lessImportant.reinforcementCount()).isEqualTo(3);
        assertThat(lessImportant.importance()).as("importance is never lowered").isEqualTo(0.7);
        assertThat(memoryRows()).isEqualTo(1);
        SemanticMemory stored = memory.getMemory(first.id());
        assertThat(stored.content()).as("the first wording is kept").isEqualTo("The user prefers metric units.");
        assertThat(stored.kind()).isEqualTo("fact");
        assertThat(stored.userId()).isEqualTo("alice");
        assertThat(stored.importance()).isEqualTo(0.7);
        assertThat(stored.metadata()).isEqualTo(Map.of("source", "profile", "lang", "en"));
        assertThat(stored.reinforcementCount()).isEqualTo(3);
        assertThat(stored.createdAt()).isEqualTo(T0);
        assertThat(stored.lastSeenAt()).isEqualTo(T0.plus(Duration.ofHours(3)));
        assertThat(stored.accessCount()).isZero();
        assertThat(stored.lastAccessedAt()).isNull();
    }

    @Test
    void the_same_content_is_a_separate_memory_for_another_agent() {
        Remembered planner = memory.remember(fact("Deadline is Friday.", at(0)));
        Remembered critic = memory.remember(NewMemory.of("critic", "fact", "Deadline is Friday.", at(0)));

        assertThat(critic.id()).isNotEqualTo(planner.id());
        assertThat(critic.reinforced()).isFalse();
        assertThat(memoryRows()).isEqualTo(2);
    }

    @Test
    void bad_input_is_refused_with_a_clear_message_and_nothing_is_written() {
        assertThatThrownBy(() -> memory.remember(fact("x", at(0)).withImportance(1.5)))
                .isInstanceOf(InvalidInputException.class).hasMessage("importance must be between 0 and 1, but was 1.5");
        assertThatThrownBy(() -> fact("x", at(0)).withImportance(Double.NaN))
                .isInstanceOf(InvalidInputException.class).hasMessage("importance must be between 0 and 1, but was NaN");
        assertThatThrownBy(() -> memory.remember(fact("x", new float[] {1, 0})))
                .isInstanceOfSatisfying(DimensionMismatchException.class, e -> {
                    assertThat(e.expected()).isEqualTo(3);
                    assertThat(e.actual()).isEqualTo(2);
                })
                .hasMessageContaining("embedding of the memory has 2 dimensions, but this store is built for 3");
        assertThatThrownBy(() -> memory.remember(fact("x", new float[] {1, Float.NaN, 0})))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("holds NaN at index 1");
        assertThatThrownBy(() -> fact(" \n ", at(0)))
                .isInstanceOf(InvalidInputException.class).hasMessage("content must not be blank");
        assertThatThrownBy(() -> NewMemory.of("planner", " ", "x", at(0)))
                .isInstanceOf(InvalidInputException.class).hasMessage("kind must not be blank");
        assertThatThrownBy(() -> NewMemory.of("planner", "k".repeat(65), "x", at(0)))
                .isInstanceOf(InvalidInputException.class).hasMessage("kind has 65 characters, more than the limit of 64");
        assertThatThrownBy(() -> memory.remember(fact("y".repeat(101), at(0))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("content has 101 characters, more than the limit of 100 (raise it with AgentStore.Builder.maxMemoryLength)");
        assertThatThrownBy(() -> memory.remember(fact("x", at(0)).withExpiresAt(T0.minusSeconds(1))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("expiresAt of the memory must be in the future");
        assertThatThrownBy(() -> memory.recall(RecallQuery.of(MemoryFilter.agent("planner"), new float[] {1, 0, 0, 0}, 3)))
                .isInstanceOf(DimensionMismatchException.class).hasMessageContaining("query embedding has 4 dimensions");
        assertThatThrownBy(() -> RecallQuery.of(MemoryFilter.agent("planner"), QUERY, 0))
                .isInstanceOf(InvalidInputException.class).hasMessage("k must be between 1 and 1000, but was 0");
        assertThatThrownBy(() -> new RecallScoring(1, -0.5, 0, Duration.ofDays(1)))
                .isInstanceOf(InvalidInputException.class).hasMessage("importanceWeight must be between 0 and 1000, but was -0.5");
        assertThat(memoryRows()).isZero();
    }

    @Test
    void importance_changes_the_order_exactly_as_the_formula_says() {
        // equally similar and equally recent; only importance differs
        MemoryId minor = memory.remember(fact("minor detail", at(30)).withImportance(0.1)).id();
        MemoryId key = memory.remember(fact("key decision", at(-30)).withImportance(0.9)).id();
        // more similar but unimportant
        MemoryId close = memory.remember(fact("close but trivial", at(20)).withImportance(0.0)).id();

        RecallScoring scoring = new RecallScoring(1.0, 0.25, 0.0, Duration.ofDays(1));
        List<RecalledMemory> hits = memory.recall(RecallQuery.of(MemoryFilter.agent("planner"), QUERY, 3).withScoring(scoring));

        // key: cos30 + 0.25·0.9 = 1.0910; close: cos20 + 0 = 0.9397; minor: cos30 + 0.25·0.1 = 0.8910
        assertThat(hits).extracting(h -> h.memory().id()).containsExactly(key, close, minor);
        assertThat(hits.get(0).score()).isCloseTo(Math.cos(Math.toRadians(30)) + 0.225, within(1e-6));
        assertThat(hits.get(1).score()).isCloseTo(Math.cos(Math.toRadians(20)), within(1e-6));
        assertThat(hits.get(2).score()).isCloseTo(Math.cos(Math.toRadians(30)) + 0.025, within(1e-6));

        List<RecalledMemory> bySimilarity = memory.recall(
                RecallQuery.of(MemoryFilter.agent("planner"), QUERY, 3).withScoring(RecallScoring.similarityOnly()));
        assertThat(bySimilarity.get(0).memory().id()).isEqualTo(close);
    }

    @Test
    void recency_changes_the_order_exactly_as_the_formula_says() {
        RecallScoring scoring = new RecallScoring(1.0, 0.0, 0.5, Duration.ofDays(1));
        clock.set(T0.minus(Duration.ofDays(3)));
        MemoryId old = memory.remember(fact("three days old, most similar", at(0))).id();
        clock.set(T0.minus(Duration.ofDays(1)));
        MemoryId dayOld = memory.remember(fact("one day old", at(25))).id();
        clock.set(T0);
        MemoryId fresh = memory.remember(fact("fresh, least similar", at(40))).id();

        List<RecalledMemory> hits = memory.recall(RecallQuery.of(MemoryFilter.agent("planner"), QUERY, 3).withScoring(scoring));

        // fresh: cos40 + 0.5·1 = 1.2660; day old: cos25 + 0.5·0.5 = 1.1563; old: 1 + 0.5·0.125 = 1.0625
        assertThat(hits).extracting(h -> h.memory().id()).containsExactly(fresh, dayOld, old);
        assertThat(hits).extracting(RecalledMemory::recency).containsExactly(1.0, 0.5, 0.125);
        for (RecalledMemory h : hits) {
            Duration age = Duration.between(h.memory().lastSeenAt(), T0);
            assertThat(h.score()).as("SQL score equals RecallScoring.score for " + h.memory().id())
                    .isCloseTo(scoring.score(1 - h.similarity(), h.memory().importance(), age), within(1e-9));
        }
        assertThat(hits.get(0).similarity()).isCloseTo(Math.cos(Math.toRadians(40)), within(1e-6));

        // a week later, with a longer half-life, similarity dominates again
        clock.advance(Duration.ofDays(7));
        List<RecalledMemory> later = memory.recall(RecallQuery.of(MemoryFilter.agent("planner"), QUERY, 3)
                .withScoring(scoring.withHalfLife(Duration.ofDays(365))));
        assertThat(later.get(0).memory().id()).isEqualTo(old);
    }

    @Test
    void the_default_scoring_combines_all_three_terms() {
        clock.set(T0.minus(Duration.ofDays(14)));
        MemoryId stale = memory.remember(fact("stale but exact", at(0)).withImportance(0.2)).id();
        clock.set(T0);
        MemoryId current = memory.remember(fact("current and important", at(35)).withImportance(1.0)).id();

        List<RecalledMemory> hits = memory.recall(RecallQuery.of(MemoryFilter.agent("planner"), QUERY, 2));

        // current: cos35 + 0.25 + 0.25 = 1.3192; stale: 1 + 0.05 + 0.25·0.25 = 1.1125
        assertThat(hits).extracting(h -> h.memory().id()).containsExactly(current, stale);
        assertThat(hits.get(1).score()).isCloseTo(1 + 0.25 * 0.2 + 0.25 * 0.25, within(1e-6));
        assertThat(hits.get(0).score()).isCloseTo(Math.cos(Math.toRadians(35)) + 0.5, within(1e-6));
    }

    @Test
    void recall_records_access_and_an_accessed_memory_counts_as_recent() {
        RecallScoring recencyHeavy = new RecallScoring(1.0, 0.0, 1.0, Duration.ofDays(1));
        MemoryId a = memory.remember(fact("a", at(10))).id();
        MemoryId b = memory.remember(fact("b", at(20))).id();
        MemoryId untouched = memory.remember(fact("c", at(80))).id();
        clock.advance(Duration.ofDays(2));

        List<RecalledMemory> first = memory.recall(RecallQuery.of(MemoryFilter.agent("planner"), QUERY, 1).withScoring(recencyHeavy));

        assertThat(first).singleElement().satisfies(h -> {
            assertThat(h.memory().id()).isEqualTo(a);
            assertThat(h.memory().accessCount()).isEqualTo(1);
            assertThat(h.memory().lastAccessedAt()).isEqualTo(T0.plus(Duration.ofDays(2)));
            assertThat(h.recency()).as("the age before this recall").isEqualTo(0.25);
        });
        assertThat(memory.getMemory(b).accessCount()).isZero();
        assertThat(memory.getMemory(untouched).lastAccessedAt()).isNull();

        // remembering b again makes it fresh, so it now beats a (accessed two days ago)
        clock.advance(Duration.ofDays(2));
        memory.remember(fact("b", at(20)));
        List<RecalledMemory> second = memory.recall(RecallQuery.of(MemoryFilter.agent("planner"), QUERY, 2).withScoring(recencyHeavy));

        assertThat(second).extracting(h -> h.memory().id()).containsExactly(b, a);
        assertThat(second.get(1).recency()).as("a was last used by the first recall, two days ago").isEqualTo(0.25);
        assertThat(memory.getMemory(a).accessCount()).isEqualTo(2);
        assertThat(memory.getMemory(b).accessCount()).isEqualTo(1);
        assertThat(memory.getMemory(untouched).accessCount()).isZero();
    }

    @Test
    void recall_filters_by_kind_user_session_and_metadata() {
        UUID session = UUID.randomUUID();
        MemoryId aliceFact = memory.remember(fact("alice fact", at(5)).withUser("alice").withMetadata(Map.of("topic", "units"))).id();
        MemoryId aliceGoal = memory.remember(NewMemory.of("planner", "goal", "alice goal", at(6)).withUser("alice")
                .withSession(session)).id();
        MemoryId bobFact = memory.remember(fact("bob fact", at(1)).withUser("bob").withMetadata(Map.of("topic", "units", "x", 1))).id();
        memory.remember(NewMemory.of("critic", "fact", "critic fact", at(0)));

        MemoryFilter planner = MemoryFilter.agent("planner");
        assertThat(ids(planner)).containsExactly(bobFact, aliceFact, aliceGoal);
        assertThat(ids(planner.withKind("fact"))).containsExactly(bobFact, aliceFact);
        assertThat(ids(planner.withUser("alice"))).containsExactly(aliceFact, aliceGoal);
        assertThat(ids(planner.withSession(session))).containsExactly(aliceGoal);
        assertThat(ids(planner.withMetadata(Map.of("topic", "units")))).containsExactly(bobFact, aliceFact);
        assertThat(ids(planner.withMetadata(Map.of("topic", "units", "x", 1)))).containsExactly(bobFact);
        assertThat(ids(planner.withKind("fact").withUser("alice"))).containsExactly(aliceFact);
        assertThat(ids(MemoryFilter.agent("nobody"))).isEmpty();
    }

    private List<MemoryId> ids(MemoryFilter filter) {
        return memory.recall(RecallQuery.of(filter, QUERY, 10).withScoring(RecallScoring.similarityOnly()))
                .stream().map(h -> h.memory().id()).toList();
    }

    @Test
    void a_recall_deeper_than_forty_candidates_returns_all_k() {
        Random random = new Random(7);
        for (int i = 0; i < 120; i++) {
            memory.remember(fact("memory " + i, new float[] {random.nextFloat() + 0.01f, random.nextFloat(), random.nextFloat()}));
        }

        List<RecalledMemory> hits = memory.recall(RecallQuery.of(MemoryFilter.agent("planner"), QUERY, 60).withCandidates(100));

        assertThat(hits).hasSize(60);
        assertThat(hits).extracting(RecalledMemory::score).isSortedAccordingTo((x, y) -> Double.compare(y, x));
        assertThat(store.dsl().fetchCount(MEMORY, MEMORY.ACCESS_COUNT.eq(1))).isEqualTo(60);
    }

    @Test
    void recall_settings_are_transaction_local_and_never_left_on_a_pooled_connection(TestDatabase db) {
        try (AgentStore pooled = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password())
                .poolSize(1).clock(clock).build()) {
            Memory one = pooled.memory("acme");
            for (int i = 0; i < 50; i++) {
                one.remember(fact("memory " + i, new float[] {1, i, 0}));
            }

            assertThat(one.recall(RecallQuery.of(MemoryFilter.agent("planner"), QUERY, 45).withCandidates(100))).hasSize(45);

            // the pool's only connection, after the recall
            assertThat(pooled.dsl().fetchValue("select current_setting('hnsw.ef_search', true)")).isIn(null, "", "40");
            assertThat(pooled.dsl().fetchValue("select current_setting('hnsw.iterative_scan', true)")).isIn(null, "", "off");
            assertThat(pooled.dsl().fetchValue("select current_setting('plan_cache_mode')")).isEqualTo("auto");
        }
    }

    @Test
    void an_agent_with_few_memories_among_many_gets_its_exact_nearest_on_every_recall() {
        Random random = new Random(11);
        // 3,000 memories of 30 other agents, then 40 of a small agent, written in one statement each
        var others = store.dsl().insertInto(MEMORY, MEMORY.TENANT_ID, MEMORY.AGENT_ID, MEMORY.KIND, MEMORY.CONTENT,
                MEMORY.CONTENT_HASH, MEMORY.EMBEDDING);
        for (int i = 0; i < 3000; i++) {
            String content = "other " + i;
            others = others.values("acme", "agent-" + i % 30, "fact", content, dev.agentstore.ContentHash.of(content).bytes(),
                    new float[] {random.nextFloat() - 0.5f, random.nextFloat() - 0.5f, random.nextFloat() - 0.5f});
        }
        others.execute();
        Map<String, float[]> small = new java.util.HashMap<>();
        for (int i = 0; i < 40; i++) {
            float[] v = {random.nextFloat() - 0.5f, random.nextFloat() - 0.5f, random.nextFloat() - 0.5f};
            small.put(memory.remember(NewMemory.of("small", "fact", "small " + i, v)).id().toString(), v);
        }
        store.dsl().execute("analyze");

        // more recalls than pgjdbc's prepareThreshold (5): the server-side prepared statement is reused
        for (int q = 0; q < 12; q++) {
            float[] query = {random.nextFloat() - 0.5f, random.nextFloat() - 0.5f, random.nextFloat() - 0.5f};
            List<String> exact = small.entrySet().stream()
                    .sorted(java.util.Comparator.comparingDouble(e -> -cosine(e.getValue(), query)))
                    .limit(10).map(Map.Entry::getKey).toList();

            List<String> recalled = memory.recall(RecallQuery.of(MemoryFilter.agent("small"), query, 10)
                    .withScoring(RecallScoring.similarityOnly())).stream().map(h -> h.memory().id().toString()).toList();

            assertThat(recalled).as("recall %d", q).containsExactlyElementsOf(exact);
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void a_recall_records_the_access_and_returns_the_memory_as_updated() {
        MemoryId a = memory.remember(fact("a", at(0))).id();
        memory.remember(fact("b", at(60)));
        clock.advance(Duration.ofMinutes(5));

        List<RecalledMemory> hits = memory.recall(RecallQuery.of(MemoryFilter.agent("planner"), QUERY, 1));

        assertThat(hits).extracting(h -> h.memory().id()).containsExactly(a);
        assertThat(hits.get(0).memory().accessCount()).isEqualTo(1);
        assertThat(hits.get(0).memory().lastAccessedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(memory.getMemory(a).accessCount()).as("committed").isEqualTo(1);
    }

    @Test
    void expired_memories_are_not_recalled_are_replaced_when_remembered_again_and_are_purged() {
        MemoryId shortLived = memory.remember(fact("temporary", at(0)).withExpiresAt(T0.plus(Duration.ofHours(1)))).id();
        MemoryId lasting = memory.remember(fact("lasting", at(30))).id();
        Remembered extended = memory.remember(fact("temporary", at(0)).withExpiresAt(T0.plus(Duration.ofHours(2))));
        assertThat(extended.reinforced()).isTrue();
        assertThat(memory.getMemory(shortLived).expiresAt()).as("reinforcement extends life").isEqualTo(T0.plus(Duration.ofHours(2)));

        clock.advance(Duration.ofHours(2));

        assertThat(ids(MemoryFilter.agent("planner"))).containsExactly(lasting);
        assertThat(memory.findMemory(shortLived)).isEmpty();
        assertThatThrownBy(() -> memory.getMemory(shortLived)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("does not exist in tenant 'acme'");
        Remembered reborn = memory.remember(fact("temporary", at(0)));
        assertThat(reborn.reinforced()).isFalse();
        assertThat(reborn.id()).isNotEqualTo(shortLived);
        memory.remember(fact("another temporary", at(50)).withExpiresAt(T0.plus(Duration.ofHours(3))));
        clock.advance(Duration.ofHours(1));

        assertThat(memory.purgeExpired()).isEqualTo(new PurgeResult(0, 1));
        assertThat(memoryRows()).isEqualTo(2);
    }

    @Test
    void forget_deletes_by_id_or_by_filter() {
        MemoryId a = memory.remember(fact("a", at(0)).withUser("alice")).id();
        memory.remember(fact("b", at(0)).withUser("alice").withMetadata(Map.of("tmp", true)));
        memory.remember(fact("c", at(0)).withUser("bob").withMetadata(Map.of("tmp", true)));
        memory.remember(NewMemory.of("critic", "fact", "d", at(0)).withMetadata(Map.of("tmp", true)));

        assertThat(memory.forget(a)).isTrue();
        assertThat(memory.forget(a)).isFalse();
        assertThat(memory.forget(MemoryFilter.agent("planner").withMetadata(Map.of("tmp", true)).withUser("bob"))).isEqualTo(1);
        assertThat(memory.forget(MemoryFilter.agent("planner"))).isEqualTo(1);
        assertThat(memory.listMemories(MemoryFilter.agent("critic"), 10)).hasSize(1);
        assertThat(memoryRows()).isEqualTo(1);
    }

    @Test
    void consolidation_lists_unused_memories_least_important_then_least_accessed_then_oldest_first() {
        clock.set(T0.minus(Duration.ofDays(30)));
        MemoryId oldTrivial = memory.remember(fact("old trivial", at(0)).withImportance(0.1)).id();
        MemoryId oldImportant = memory.remember(fact("old important", at(0)).withImportance(0.9)).id();
        clock.set(T0.minus(Duration.ofDays(20)));
        MemoryId youngerTrivial = memory.remember(fact("younger trivial", at(0)).withImportance(0.1)).id();
        MemoryId accessedTrivial = memory.remember(fact("accessed trivial", at(1)).withImportance(0.1)).id();
        clock.set(T0.minus(Duration.ofDays(15)));
        store.dsl().update(MEMORY).set(MEMORY.ACCESS_COUNT, 5).where(MEMORY.ID.eq(accessedTrivial.value())).execute();
        clock.set(T0.minus(Duration.ofDays(1)));
        memory.remember(fact("recent trivial", at(0)).withImportance(0.0));
        clock.set(T0);

        List<SemanticMemory> candidates = memory.listForConsolidation("planner", Duration.ofDays(7), 10);

        assertThat(candidates).extracting(SemanticMemory::id).containsExactly(oldTrivial, youngerTrivial, accessedTrivial, oldImportant);
        assertThat(memory.listForConsolidation("planner", Duration.ofDays(7), 1)).extracting(SemanticMemory::id).containsExactly(oldTrivial);
        assertThat(memory.getMemory(oldTrivial).accessCount()).as("listing is not an access").isZero();
    }

    @Test
    void tenants_never_see_recall_or_forget_each_others_memories() {
        Memory globex = store.memory("globex");
        MemoryId ours = memory.remember(fact("acme secret", at(0))).id();

        Remembered theirs = globex.remember(fact("acme secret", at(0)));

        assertThat(theirs.reinforced()).as("same content in another tenant is another memory").isFalse();
        assertThat(globex.findMemory(ours)).isEmpty();
        assertThat(globex.forget(ours)).isFalse();
        assertThat(globex.forget(MemoryFilter.agent("planner"))).isEqualTo(1);
        assertThat(globex.recall(RecallQuery.of(MemoryFilter.agent("planner"), QUERY, 5))).isEmpty();
        assertThat(memory.recall(RecallQuery.of(MemoryFilter.agent("planner"), QUERY, 5)))
                .extracting(h -> h.memory().id()).containsExactly(ours);
        assertThat(memory.listMemories(MemoryFilter.agent("planner"), 10)).hasSize(1);
    }
}
