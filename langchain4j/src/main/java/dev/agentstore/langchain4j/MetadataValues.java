package dev.agentstore.langchain4j;

import dev.langchain4j.data.document.Metadata;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/** LangChain4j metadata to agentstore's JSON metadata and back. */
final class MetadataValues {

    private MetadataValues() {
    }

    /** Segment metadata as document metadata: UUIDs as their text, everything else as it is. */
    static Map<String, Object> toStored(Metadata metadata) {
        Map<String, Object> map = new LinkedHashMap<>();
        metadata.toMap().forEach((k, v) -> map.put(k, Filters.value(v)));
        return map;
    }

    /**
     * Document metadata as segment metadata. LangChain4j holds String, UUID, Integer, Long, Float and
     * Double: JSON numbers come back as Integer, Long or Double, JSON null is left out, and booleans,
     * lists and objects (written by other means than LangChain4j) become their text.
     */
    static Metadata fromStored(Map<String, Object> stored) {
        Map<String, Object> map = new LinkedHashMap<>();
        stored.forEach((k, v) -> {
            Object value = switch (v) {
                case null -> null;
                case String s -> s;
                case Integer i -> i;
                case Long l -> l;
                case Double d -> d;
                case Float f -> f;
                case BigInteger i -> i.bitLength() < 64 ? (Object) i.longValue() : i.toString();
                case BigDecimal d -> d.doubleValue();
                case Number n -> n.doubleValue();
                default -> v.toString();
            };
            if (value != null) {
                map.put(k, value);
            }
        });
        return Metadata.from(map);
    }
}
