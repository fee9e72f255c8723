package dev.agentstore.spring.ai;

import dev.agentstore.conversation.Message;
import dev.agentstore.conversation.Session;
import dev.agentstore.memory.MemoryEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of a session's history that a chat memory window still covers: the sequence ranges of
 * the messages it kept, plus every message after {@code upTo}. Stored as a small JSON value in the
 * session's key/value memory, {@code {"upTo":41,"ranges":[[1,1],[30,41]]}}; no marker means the whole
 * history. Reading costs one query per range (the last range and the tail are read together).
 */
final class Window {

    private static final Pattern UP_TO = Pattern.compile("\"upTo\"\\s*:\\s*(\\d+)");
    private static final Pattern RANGE = Pattern.compile("\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");

    private Window() {
    }

    /** The window's entries, oldest first. */
    static List<AgentStoreChatMemoryRepository.Entry> read(AgentStoreChatMemoryRepository repo, Session session) {
        long last = session.messageCount();
        if (last == 0) {
            return List.of();
        }
        Optional<MemoryEntry> marker = repo.memory().find(repo.windowKey(session));
        List<long[]> ranges = new ArrayList<>();
        long upTo = 0;
        if (marker.isPresent()) {
            String json = marker.get().value();
            Matcher u = UP_TO.matcher(json);
            upTo = u.find() ? Long.parseLong(u.group(1)) : 0;
            int rangesAt = json.indexOf("\"ranges\"");
            Matcher r = RANGE.matcher(json);
            if (rangesAt >= 0 && r.find(rangesAt)) {
                do {
                    ranges.add(new long[] {Long.parseLong(r.group(1)), Long.parseLong(r.group(2))});
                } while (r.find());
            }
        }
        // the tail (after upTo), merged with the last range when they touch
        long tailFrom = upTo + 1;
        if (!ranges.isEmpty() && ranges.get(ranges.size() - 1)[1] >= upTo) {
            tailFrom = Math.min(tailFrom, ranges.remove(ranges.size() - 1)[0]);
        }
        List<Message> rows = new ArrayList<>();
        for (long[] range : ranges) {
            rows.addAll(between(repo, session, range[0], range[1]));
        }
        if (tailFrom <= last) {
            rows.addAll(between(repo, session, tailFrom, last));
        }
        return AgentStoreChatMemoryRepository.toEntries(rows);
    }

    /** Messages with sequence numbers in [from, to], oldest first. */
    private static List<Message> between(AgentStoreChatMemoryRepository repo, Session session, long from, long to) {
        List<Message> newestPagesFirst = new ArrayList<>();
        long before = to + 1;
        while (before > from) {
            int count = (int) Math.min(dev.agentstore.conversation.Conversations.MAX_PAGE_SIZE, before - from);
            List<Message> page = repo.conversations().listMessagesBefore(session.id(), before, count);
            if (page.isEmpty()) {
                break;
            }
            // retention may have deleted messages inside the range: never take any from before it
            newestPagesFirst.addAll(0, page.stream().filter(m -> m.seq() >= from).toList());
            before = page.get(0).seq();
        }
        return newestPagesFirst;
    }

    /** Records that the window covers {@code kept} and everything after {@code upTo}. */
    static void write(AgentStoreChatMemoryRepository repo, Session session, List<AgentStoreChatMemoryRepository.Entry> kept,
            long upTo) {
        StringBuilder json = new StringBuilder("{\"upTo\":").append(upTo).append(",\"ranges\":[");
        long from = -1;
        long to = -1;
        boolean first = true;
        for (AgentStoreChatMemoryRepository.Entry e : kept) {
            if (from >= 0 && e.firstSeq() == to + 1) {
                to = e.lastSeq();
                continue;
            }
            if (from >= 0) {
                json.append(first ? "" : ",").append('[').append(from).append(',').append(to).append(']');
                first = false;
            }
            from = e.firstSeq();
            to = e.lastSeq();
        }
        if (from >= 0) {
            json.append(first ? "" : ",").append('[').append(from).append(',').append(to).append(']');
        }
        json.append("]}");
        repo.memory().put(repo.windowKey(session), json.toString());
    }
}
