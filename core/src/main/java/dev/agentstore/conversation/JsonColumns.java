package dev.agentstore.conversation;

import dev.agentstore.document.ChunkId;
import dev.agentstore.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.JSONB;

/** JSON of sources and metadata, with the empty forms PostgreSQL returns short-cut. */
final class JsonColumns {

    private JsonColumns() {
    }

    static JSONB write(List<Source> sources) {
        if (sources.isEmpty()) {
            return JSONB.valueOf("[]");
        }
        List<Map<String, Object>> list = new ArrayList<>(sources.size());
        for (Source s : sources) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("uri", s.uri());
            if (s.title() != null) {
                m.put("title", s.title());
            }
            if (s.chunkId() != null) {
                m.put("chunkId", s.chunkId().toString());
            }
            if (s.score() != null) {
                m.put("score", s.score());
            }
            list.add(m);
        }
        return Json.write(list, "sources");
    }

    @SuppressWarnings("rawtypes")
    static List<Source> read(JSONB json) {
        if (json == null || json.data().equals("[]")) {
            return List.of();
        }
        List<Map> list = Json.toList(json, Map.class);
        List<Source> sources = new ArrayList<>(list.size());
        for (Map m : list) {
            Object chunk = m.get("chunkId");
            Object score = m.get("score");
            sources.add(new Source((String) m.get("uri"), (String) m.get("title"),
                    chunk == null ? null : ChunkId.parse(chunk.toString()),
                    score == null ? null : ((Number) score).doubleValue()));
        }
        return sources;
    }

    static Map<String, Object> map(JSONB json) {
        return json == null || json.data().equals("{}") ? Map.of() : Json.toMap(json);
    }
}
