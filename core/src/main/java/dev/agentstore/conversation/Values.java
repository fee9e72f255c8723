package dev.agentstore.conversation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers of the value types. */
final class Values {

    /** Longest user id, agent id or model name. */
    static final int MAX_ID_LENGTH = 200;
    /** Longest title (session or source). */
    static final int MAX_TITLE_LENGTH = 1_000;
    /** Longest source URI. */
    static final int MAX_URI_LENGTH = 4_000;
    /** Longest feedback comment. */
    static final int MAX_COMMENT_LENGTH = 10_000;

    private Values() {
    }

    /** An unmodifiable copy keeping insertion order and null values; null gives an empty map. */
    static Map<String, Object> copy(Map<String, ?> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
