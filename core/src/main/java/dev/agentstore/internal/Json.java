package dev.agentstore.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentstore.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.JSONB;

/** JSON conversion between host values (maps, lists, records) and {@code jsonb}. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private Json() {
    }

    /** The shared, thread-safe mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * A JSON object from a map; null or empty gives {@code {}}.
     *
     * @throws InvalidInputException when a value cannot be written as JSON
     */
    public static JSONB object(Map<String, ?> map, String name) {
        if (map == null || map.isEmpty()) {
            return JSONB.valueOf("{}");
        }
        for (Object key : map.keySet()) {
            if (key == null) {
                throw new InvalidInputException(name + " must not have a null key");
            }
        }
        return write(map, name);
    }

    /**
     * Any value as JSON.
     *
     * @throws InvalidInputException when the value cannot be written as JSON
     */
    public static JSONB write(Object value, String name) {
        try {
            return JSONB.valueOf(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(name + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(name + " cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** A JSON object as an unmodifiable map (insertion order kept); null gives an empty map. */
    public static Map<String, Object> toMap(JSONB json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Collections.unmodifiableMap(MAPPER.readValue(json.data(), MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the database returned invalid JSON", e);
        }
    }

    /** A JSON array as a list of T. */
    public static <T> List<T> toList(JSONB json, Class<T> type) {
        if (json == null) {
            return List.of();
        }
        try {
            return List.copyOf(MAPPER.readValue(json.data(),
                    MAPPER.getTypeFactory().constructCollectionType(List.class, type)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the database returned JSON that is not a list of " + type.getSimpleName(), e);
        }
    }
}
