package dev.agentstore.memory;

import dev.agentstore.testkit.MutableClock;
import static dev.agentstore.schema.Tables.CONVERSATION_SESSION;
import static dev.agentstore.schema.Tables.MEMORY_ENTRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstore.AgentStore;
import dev.agentstore.ConflictException;
import dev.agentstore.InvalidInputException;
import dev.agentstore.NotFoundException;
import dev.agentstore.TenantId;
import dev.agentstore.testkit.AgentStoreTest;
import dev.agentstore.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AgentStoreTest(dimension = 3)
class KeyValueMemoryIT {

    private static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private AgentStore store;
    private Memory memory;

    @BeforeEach
    void open(TestDatabase db) {
        store = AgentStore.builder().dataSource(db.dataSource()).clock(clock).build();
        store.dsl().truncate(MEMORY_ENTRY).execute();
        store.dsl().deleteFrom(CONVERSATION_SESSION).execute();
        memory = store.memory("acme");
    }

    @AfterEach
    void close() {
        store.close();
    }

    private UUID newSession(String tenant) {
        return store.dsl().insertInto(CONVERSATION_SESSION)
                .set(CONVERSATION_SESSION.TENANT_ID, tenant)
                .set(CONVERSATION_SESSION.AGENT_ID, "planner")
                .returningResult(CONVERSATION_SESSION.ID).fetchSingle().value1();
    }

    private int entryRows() {
        return store.dsl().fetchCount(MEMORY_ENTRY);
    }

    @Test
    void a_put_creates_version_1_and_every_further_put_raises_the_version_by_one() {
        MemoryKey key = MemoryKey.of("planner", MemoryScope.agent(), "plan");

        MemoryEntry first = memory.put(key, "{\"step\": 1, \"done\": false}");
        clock.advance(Duration.ofSeconds(5));
        MemoryEntry second = memory.put(key, "{\"step\": 2}");

        assertThat(first.version()).isEqualTo(1);
        assertThat(first.value()).isEqualTo("{\"done\": false, \"step\": 1}");
        assertThat(first.createdAt()).isEqualTo(T0);
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.createdAt()).isEqualTo(T0);
        assertThat(second.updatedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(memory.get(key)).isEqualTo(second);
        assertThat(entryRows()).isEqualTo(1);
    }

    @Test
    void the_agent_each_user_and_each_session_have_their_own_entries_under_the_same_key() {
        UUID session = newSession("acme");
        MemoryKey agentKey = MemoryKey.of("planner", MemoryScope.agent(), "mood");
        MemoryKey aliceKey = MemoryKey.of("planner", MemoryScope.user("alice"), "mood");
        MemoryKey bobKey = MemoryKey.of("planner", MemoryScope.user("bob"), "mood");
        MemoryKey sessionKey = MemoryKey.of("planner", MemoryScope.session(session), "mood");
        MemoryKey otherAgentKey = MemoryKey.of("critic", MemoryScope.agent(), "mood");

        memory.put(agentKey, "\"calm\"");
        memory.put(aliceKey, "\"happy\"");
        memory.put(bobKey, "\"tired\"");
        memory.put(sessionKey, "\"focused\"");
        memory.put(otherAgentKey, "\"grumpy\"");
        memory.put(MemoryKey.of("planner", MemoryScope.user("alice"), "language"), "\"de\"");

        assertThat(memory.get(agentKey).value()).isEqualTo("\"calm\"");
        assertThat(memory.get(aliceKey).value()).isEqualTo("\"happy\"");
        assertThat(memory.get(bobKey).value()).isEqualTo("\"tired\"");
        assertThat(memory.get(sessionKey).value()).isEqualTo("\"focused\"");
        assertThat(memory.get(otherAgentKey).value()).isEqualTo("\"grumpy\"");
        assertThat(memory.list("planner", MemoryScope.user("alice"))).extracting(e -> e.key().key())
                .containsExactly("language", "mood");
        assertThat(memory.list("planner", MemoryScope.agent())).extracting(MemoryEntry::value).containsExactly("\"calm\"");
        assertThat(memory.list("planner", MemoryScope.session(session))).hasSize(1);
        assertThat(memory.get(sessionKey).key().scope().sessionId()).contains(session);
    }

    @Test
    void java_values_are_stored_as_json_and_read_back_as_java_values() {
        MemoryKey key = MemoryKey.of("planner", MemoryScope.user("alice"), "preferences");

        memory.putValue(key, Map.of("units", "metric", "tags", List.of("a", "b")));

        MemoryEntry entry = memory.get(key);
        assertThat(entry.value()).isEqualTo("{\"tags\": [\"a\", \"b\"], \"units\": \"metric\"}");
        assertThat(entry.valueAs(Map.class)).containsEntry("units", "metric").containsEntry("tags", List.of("a", "b"));
    }

    @Test
    void invalid_json_is_refused_naming_the_key_and_nothing_is_written() {
        MemoryKey key = MemoryKey.of("planner", MemoryScope.agent(), "plan");
        memory.put(key, "{\"step\": 1}");

        assertThatThrownBy(() -> memory.put(key, "{step: 2"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("value of memory entry 'plan' (agent 'planner', agent) is not valid JSON")
                .hasMessageContaining("nothing was written")
                .hasMessageNotContaining("step: 2");
        assertThatThrownBy(() -> memory.put(key, "{oops", PutOptions.ifVersion(7)))
                .as("a conditional put reports invalid JSON, not a conflict")
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not valid JSON");
        assertThatThrownBy(() -> memory.put(MemoryKey.of("planner", MemoryScope.agent(), "other"), "not json"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> memory.put(key, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must not be null");

        assertThat(memory.get(key).value()).isEqualTo("{\"step\": 1}");
        assertThat(memory.get(key).version()).isEqualTo(1);
        assertThat(entryRows()).isEqualTo(1);
    }

    @Test
    void blank_keys_agents_and_unknown_scopes_are_refused_with_what_is_allowed() {
        assertThatThrownBy(() -> MemoryKey.of("planner", MemoryScope.agent(), "  "))
                .isInstanceOf(InvalidInputException.class).hasMessage("key must not be blank");
        assertThatThrownBy(() -> MemoryKey.of(" ", MemoryScope.agent(), "k"))
                .isInstanceOf(InvalidInputException.class).hasMessage("agentId must not be blank");
        assertThatThrownBy(() -> MemoryScope.of("team", "red"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("scope must be one of agent, user, session, but was 'team'");
        assertThatThrownBy(() -> MemoryScope.of("session", "not-a-uuid"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must be a UUID");
        assertThatThrownBy(() -> MemoryScope.user(""))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("user id of a user scope must not be blank");
        assertThatThrownBy(() -> MemoryKey.of("planner", null, "k"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("scope must not be null");
        assertThat(MemoryScope.of("USER", "alice")).isEqualTo(MemoryScope.user("alice"));
        assertThat(entryRows()).isZero();
    }

    @Test
    void a_conditional_put_at_a_stale_version_fails_with_expected_and_actual_and_writes_nothing() {
        MemoryKey key = MemoryKey.of("planner", MemoryScope.agent(), "plan");
        MemoryEntry v1 = memory.put(key, "{\"step\": 1}");
        MemoryEntry v2 = memory.put(key, "{\"step\": 2}", PutOptions.ifVersion(v1.version()));

        assertThatThrownBy(() -> memory.put(key, "{\"step\": 99}", PutOptions.ifVersion(v1.version())))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isEqualTo(2);
                    assertThat(e.key()).isEqualTo(key);
                })
                .isInstanceOf(ConflictException.class)
                .hasMessage("memory entry 'plan' (agent 'planner', agent) was changed by another writer: expected version 1,"
                        + " but found version 2; nothing was written, read the entry again and retry with its current version");
        assertThat(memory.get(key)).isEqualTo(v2);
    }

    @Test
    void if_absent_creates_once_and_a_conditional_put_of_a_missing_entry_says_there_is_none() {
        MemoryKey key = MemoryKey.of("planner", MemoryScope.user("alice"), "onboarded");

        MemoryEntry created = memory.put(key, "true", PutOptions.ifAbsent());

        assertThat(created.version()).isEqualTo(1);
        assertThatThrownBy(() -> memory.put(key, "false", PutOptions.ifAbsent()))
                .isInstanceOf(VersionConflictException.class)
                .hasMessageContaining("expected no entry, but found version 1");
        assertThatThrownBy(() -> memory.put(MemoryKey.of("planner", MemoryScope.agent(), "missing"), "1", PutOptions.ifVersion(3)))
                .isInstanceOf(VersionConflictException.class)
                .hasMessageContaining("expected version 3, but found no entry");
        assertThat(memory.get(key).value()).isEqualTo("true");
        assertThat(entryRows()).isEqualTo(1);
    }

    @Test
    void of_two_concurrent_writers_at_the_same_version_one_wins_and_the_other_gets_a_version_conflict(TestDatabase db)
            throws Exception {
        try (AgentStore pooled = AgentStore.builder().jdbcUrl(db.jdbcUrl()).user(db.user()).password(db.password())
                .poolSize(4).clock(clock).build()) {
            Memory shared = pooled.memory("acme");
            MemoryKey key = MemoryKey.of("planner", MemoryScope.agent(), "counter");
            long version = shared.putValue(key, Map.of("count", 0)).version();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<MemoryEntry>> results = new ArrayList<>();
                for (String writer : List.of("a", "b")) {
                    results.add(threads.submit(() -> {
                        start.await();
                        return shared.putValue(key, Map.of("count", 1, "by", writer), PutOptions.ifVersion(version));
                    }));
                }
                start.countDown();

                List<MemoryEntry> won = new ArrayList<>();
                List<Throwable> lost = new ArrayList<>();
                for (Future<MemoryEntry> f : results) {
                    try {
                        won.add(f.get(30, TimeUnit.SECONDS));
                    } catch (java.util.concurrent.ExecutionException e) {
                        lost.add(e.getCause());
                    }
                }

                assertThat(won).hasSize(1);
                assertThat(won.get(0).version()).isEqualTo(2);
                assertThat(lost).singleElement().isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isEqualTo(2);
                });
                MemoryEntry stored = shared.get(key);
                assertThat(stored.version()).isEqualTo(2);
                assertThat(stored.value()).isEqualTo(won.get(0).value());
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void expired_entries_are_never_returned_count_as_absent_and_are_purged() {
        MemoryKey shortLived = MemoryKey.of("planner", MemoryScope.user("alice"), "otp");
        MemoryKey lasting = MemoryKey.of("planner", MemoryScope.user("alice"), "name");
        MemoryEntry otp = memory.put(shortLived, "\"123456\"", PutOptions.unconditional().withTimeToLive(Duration.ofMinutes(5)));
        memory.put(lasting, "\"Alice\"");
        assertThat(otp.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));

        clock.advance(Duration.ofMinutes(4));
        assertThat(memory.find(shortLived)).isPresent();

        clock.advance(Duration.ofMinutes(1));
        assertThat(memory.find(shortLived)).isEmpty();
        assertThatThrownBy(() -> memory.get(shortLived)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("memory entry 'otp' (agent 'planner', user:alice) does not exist in tenant 'acme'");
        assertThat(memory.list("planner", MemoryScope.user("alice"))).extracting(e -> e.key().key()).containsExactly("name");
        assertThatThrownBy(() -> memory.put(shortLived, "\"1\"", PutOptions.ifVersion(1)))
                .isInstanceOf(VersionConflictException.class).hasMessageContaining("but found no entry");

        PurgeResult purged = memory.purgeExpired();

        assertThat(purged).isEqualTo(new PurgeResult(1, 0));
        assertThat(entryRows()).isEqualTo(1);
        assertThat(memory.purgeExpired().total()).isZero();
    }

    @Test
    void putting_over_an_expired_entry_brings_it_back_as_new_with_a_higher_version() {
        MemoryKey key = MemoryKey.of("planner", MemoryScope.agent(), "lock");
        memory.put(key, "\"held\"", PutOptions.ifAbsent().withExpiresAt(T0.plusSeconds(30)));
        clock.advance(Duration.ofMinutes(1));

        MemoryEntry again = memory.put(key, "\"held again\"", PutOptions.ifAbsent());

        assertThat(again.version()).isEqualTo(2);
        assertThat(again.createdAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        assertThat(again.expiresAt()).as("a put without expiry removes the earlier one").isNull();
        assertThatThrownBy(() -> memory.put(key, "1", PutOptions.unconditional().withExpiresAt(T0)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must be in the future");
    }

    @Test
    void deleting_a_session_deletes_its_session_memory_and_nothing_else() {
        UUID session = newSession("acme");
        UUID otherSession = newSession("acme");
        MemoryKey sessionKey = MemoryKey.of("planner", MemoryScope.session(session), "draft");
        memory.put(sessionKey, "{\"text\": \"hello\"}");
        memory.put(MemoryKey.of("planner", MemoryScope.session(otherSession), "draft"), "{}");
        memory.put(MemoryKey.of("planner", MemoryScope.agent(), "draft"), "{}");

        store.dsl().deleteFrom(CONVERSATION_SESSION)
                .where(CONVERSATION_SESSION.TENANT_ID.eq("acme"), CONVERSATION_SESSION.ID.eq(session)).execute();

        assertThat(memory.find(sessionKey)).isEmpty();
        assertThat(entryRows()).isEqualTo(2);
    }

    @Test
    void memory_of_a_session_that_does_not_exist_in_the_tenant_is_refused() {
        UUID otherTenantsSession = newSession("globex");

        assertThatThrownBy(() -> memory.put(MemoryKey.of("planner", MemoryScope.session(otherTenantsSession), "k"), "1"))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("session " + otherTenantsSession + " does not exist in tenant 'acme': memory of a session scope"
                        + " needs its conversation session; nothing was written");
        assertThat(entryRows()).isZero();
    }

    @Test
    void deleting_an_entry_reports_whether_a_live_one_existed() {
        MemoryKey key = MemoryKey.of("planner", MemoryScope.agent(), "plan");
        memory.put(key, "1");

        assertThat(memory.delete(key)).isTrue();
        assertThat(memory.delete(key)).isFalse();
        assertThat(memory.find(key)).isEmpty();
        assertThat(memory.put(key, "2").version()).as("deleting and putting again starts at 1").isEqualTo(1);
    }

    @Test
    void tenants_never_see_or_change_each_others_entries() {
        Memory acme = store.memory(TenantId.of("acme"));
        Memory globex = store.memory("globex");
        MemoryKey key = MemoryKey.of("planner", MemoryScope.agent(), "plan");
        acme.put(key, "\"acme plan\"");

        assertThat(globex.find(key)).isEmpty();
        assertThat(globex.list("planner", MemoryScope.agent())).isEmpty();
        assertThat(globex.delete(key)).isFalse();
        MemoryEntry theirs = globex.put(key, "\"globex plan\"");

        assertThat(theirs.version()).isEqualTo(1);
        assertThat(acme.get(key).value()).isEqualTo("\"acme plan\"");
        assertThat(acme.get(key).version()).isEqualTo(1);
        assertThat(globex.purgeExpired().total()).isZero();
    }
}
