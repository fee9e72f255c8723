package dev.agentstore.knowledge;

import dev.agentstore.internal.KnowledgeLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The layouts of the knowledge bases a search covers, as the settings statement returns them (one text, one line
 * per knowledge base, {@link KnowledgeLayout#describe}) and parsed once: a search whose settings statement
 * returns the same text as the layouts it was built for compares one string, nothing is parsed again.
 * Immutable.
 *
 * @param text the text as read (empty when the tenant has none of the knowledge bases)
 * @param layouts the layouts, by storage id
 * @param ids their knowledge-base ids
 * @param metrics their distance metrics (SQL names), sorted
 * @param textConfigs their text search configurations (SQL names), sorted
 * @param shapes {@link KnowledgeLayout#shape()} of each layout, in the same order (part of a statement's cache key)
 */
record SearchLayouts(String text, List<KnowledgeLayout> layouts, Set<UUID> ids, Set<String> metrics, Set<String> textConfigs,
        List<String> shapes) {

    /** Reads the text of the settings statement's layouts column (null: none). */
    static SearchLayouts parse(String text) {
        String t = text == null ? "" : text;
        List<KnowledgeLayout> layouts = new ArrayList<>();
        Set<UUID> ids = new HashSet<>();
        Set<String> metrics = new TreeSet<>();
        Set<String> configs = new TreeSet<>();
        if (!t.isEmpty()) {
            for (String line : t.split("\n")) {
                KnowledgeLayout l = KnowledgeLayout.parse(line);
                layouts.add(l);
                ids.add(l.knowledgeBaseId());
                metrics.add(l.metric());
                configs.add(l.textSearchConfig());
            }
        }
        layouts.sort(Comparator.comparingInt(KnowledgeLayout::storageId));
        return new SearchLayouts(t, List.copyOf(layouts), Set.copyOf(ids), Collections.unmodifiableSet(metrics),
                Collections.unmodifiableSet(configs), layouts.stream().map(KnowledgeLayout::shape).toList());
    }

    /** Whether there are none. */
    boolean isEmpty() {
        return layouts.isEmpty();
    }
}
