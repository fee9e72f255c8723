package dev.agentstore.memory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.agentstore.AgentStoreException;
import dev.agentstore.internal.Json;
import java.time.Instant;
import java.util.Objects;

/**
 * One key/value memory entry as stored.
 *
 * @param key agent, scope and key
 * @param value the value as JSON text, in PostgreSQL's {@code jsonb} form (object keys sorted and
 *              de-duplicated, insignificant white space removed), never null
 * @param version 1 when created, one more on every put; use it with {@link PutOptions#ifVersion(long)}
 * @param createdAt when the entry was created
 * @param updatedAt when its value was last put
 * @param expiresAt when it expires, or null for never
 */
public record MemoryEntry(MemoryKey key, String value, long version, Instant createdAt, Instant updatedAt, Instant expiresAt) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException when key, value or a required time is null
     */
    public MemoryEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * The value read as a Java type through agentstore's JSON mapper (Jackson).
     *
     * @param <T> the type of the value
     * @param type the type
     * @return the value read as a Java type through agentstore's JSON mapper (Jackson)
     * @throws AgentStoreException when the JSON does not fit the type
     */
    public <T> T valueAs(Class<T> type) {
        try {
            return Json.mapper().readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new AgentStoreException("the value of memory entry " + key + " cannot be read as "
                    + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The value read as a generic Java type, e.g. {@code new TypeReference<Map<String, List<String>>>() {}}.
     *
     * @param <T> the type of the value
     * @param type the type
     * @return the value read as a generic Java type, e.g
     * @throws AgentStoreException when the JSON does not fit the type
     */
    public <T> T valueAs(TypeReference<T> type) {
        try {
            return Json.mapper().readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new AgentStoreException("the value of memory entry " + key + " cannot be read as "
                    + type.getType().getTypeName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Key, version and times; the value is left out (it may be private). */
    @Override
    public String toString() {
        return "MemoryEntry[key=" + key + ", version=" + version + ", value=<" + value.length() + " characters>, createdAt="
                + createdAt + ", updatedAt=" + updatedAt + ", expiresAt=" + expiresAt + "]";
    }
}
