package dev.agentstore.document;

import dev.agentstore.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Defensive copies of JSON metadata maps (null values allowed, null keys not). */
final class Maps {

    private Maps() {
    }

    static Map<String, Object> copy(Map<String, ?> map, String name) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : map.entrySet()) {
            if (e.getKey() == null) {
                throw new InvalidInputException(name + " must not have a null key");
            }
            copy.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(copy);
    }
}
