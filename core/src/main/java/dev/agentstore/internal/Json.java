package dev.agentstore.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentstore.InvalidInputException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.JSONB;

/**
 * JSON conversion between host values (maps, lists, records) and {@code jsonb}. Every JSON value a
 * host gives is checked before SQL: no key or string may hold NUL or an unpaired UTF-16 surrogate
 * (see {@link Checks#wellFormed}; {@code jsonb} refuses {@code \u0000}, and the driver would turn a lone
 * surrogate into {@code '?'}), and, where a limit is given, its JSON text is at most that many characters.
 */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };
    private static final ObjectWriter CANONICAL = MAPPER.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final ObjectReader STRICT = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** No limit on the JSON text's length. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    private Json() {
    }

    /** The shared, thread-safe mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * A JSON object from a map; null or empty gives {@code {}}. No length limit (for filters).
     *
     * @throws InvalidInputException when a value cannot be written as JSON or holds ill-formed text
     */
    public static JSONB object(Map<String, ?> map, String name) {
        return object(map, name, UNLIMITED, null);
    }

    /**
     * A JSON object from a map, at most maxLength characters of JSON text; null or empty gives {@code {}}.
     *
     * @param limitOption the builder option that raises maxLength, named in the message
     * @throws InvalidInputException when a value cannot be written as JSON, holds ill-formed text, or is too long
     */
    public static JSONB object(Map<String, ?> map, String name, int maxLength, String limitOption) {
        if (map == null || map.isEmpty()) {
            return JSONB.valueOf("{}");
        }
        for (Object key : map.keySet()) {
            if (key == null) {
                throw new InvalidInputException(name + " must not have a null key");
            }
        }
        return write(map, name, maxLength, limitOption);
    }

    /**
     * Any value as JSON. No length limit.
     *
     * @throws InvalidInputException when the value cannot be written as JSON or holds ill-formed text
     */
    public static JSONB write(Object value, String name) {
        return write(value, name, UNLIMITED, null);
    }

    /**
     * Any value as JSON, at most maxLength characters of JSON text.
     *
     * @throws InvalidInputException when the value cannot be written as JSON, holds ill-formed text, or is too long
     */
    public static JSONB write(Object value, String name, int maxLength, String limitOption) {
        return JSONB.valueOf(text(value, false, name, maxLength, limitOption));
    }

    /**
     * The JSON text of a map with its keys sorted (at every depth), for content hashes; {@code {}} for
     * an empty map.
     *
     * @throws InvalidInputException when a value cannot be written as JSON, holds ill-formed text, or is too long
     */
    public static String canonical(Map<String, ?> map, String name, int maxLength, String limitOption) {
        if (map == null || map.isEmpty()) {
            return "{}";
        }
        return text(map, true, name, maxLength, limitOption);
    }

    /**
     * Checks JSON text given by the host (e.g. a memory value): well-formed text in every key and string
     * (escapes such as {@code \u0000} included), syntax, and length.
     *
     * @throws InvalidInputException when it is null, not JSON, holds ill-formed text, or is too long
     */
    public static JSONB parse(String json, String name, int maxLength, String limitOption) {
        Checks.notNull(json, name);
        length(json.length(), name, maxLength, limitOption);
        JsonNode tree;
        try {
            tree = STRICT.readTree(json);
        } catch (JsonProcessingException e) {
            // the parser's own message quotes the text; say where only
            throw new InvalidInputException(name + " is not valid JSON"
                    + (e.getLocation() == null ? "" : " (syntax error at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")") + "; nothing was written", e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new InvalidInputException(name + " is not valid JSON: it is empty; nothing was written");
        }
        checkTree(tree, name);
        return JSONB.valueOf(json);
    }

    private static String text(Object value, boolean sorted, String name, int maxLength, String limitOption) {
        String json;
        try {
            JsonNode tree = MAPPER.valueToTree(value);
            checkTree(tree, name);
            // the tree keeps the value's key order; sorting needs the value itself (the feature sorts maps, not trees)
            json = sorted ? CANONICAL.writeValueAsString(value) : MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(name + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(name + " cannot be written as JSON: " + e.getMessage(), e);
        }
        length(json.length(), name, maxLength, limitOption);
        return json;
    }

    private static void length(int length, String name, int maxLength, String limitOption) {
        if (length > maxLength) {
            throw new InvalidInputException(name + " has " + length + " characters of JSON, more than the limit of "
                    + maxLength + (limitOption == null ? "" : " (raise it with " + limitOption + ")") + "; nothing was written");
        }
    }

    /** Fails on the first key or string value (depth first) holding NUL or an unpaired surrogate, naming its path. */
    static void checkTree(JsonNode node, String name) {
        check(node, new StringBuilder(), name);
    }

    private static void check(JsonNode node, StringBuilder path, String name) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            String text = node.textValue();
            int bad = Checks.firstIllFormed(text);
            if (bad >= 0) {
                throw Checks.illFormed(text, bad, at(name, path));
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                int mark = path.length();
                int bad = Checks.firstIllFormed(field.getKey());
                if (bad >= 0) {
                    throw Checks.illFormed(field.getKey(), bad, "a key of " + at(name, path));
                }
                appendKey(path, field.getKey());
                check(field.getValue(), path, name);
                path.setLength(mark);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                int mark = path.length();
                path.append('[').append(i).append(']');
                check(node.get(i), path, name);
                path.setLength(mark);
            }
        }
    }

    private static String at(String name, StringBuilder path) {
        if (path.length() == 0) {
            return name;
        }
        return name + " at " + (path.charAt(0) == '.' ? path.substring(1) : path.toString());
    }

    private static void appendKey(StringBuilder path, String key) {
        if (!key.isEmpty() && key.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
            path.append('.').append(key);
        } else {
            path.append("[\"").append(key.replace("\"", "\\\"")).append("\"]");
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
