package dev.agentstore.agents;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Defensive copies for the value types. */
final class Maps {

    private Maps() {
    }

    /** An unmodifiable copy keeping insertion order and null values; null gives an empty map. */
    static Map<String, Object> copy(Map<String, ?> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** An unmodifiable copy; null gives an empty list; null elements are refused by List.copyOf. */
    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
