package org.pekkogrid.worker;

import java.util.ArrayList;
import java.util.List;
import scala.collection.Iterator;
import scala.collection.immutable.HashSet;
import scala.collection.immutable.HashSet$;
import scala.collection.immutable.Queue;
import scala.collection.immutable.Queue$;

/**
 * The request ids a counter remembers, oldest first, at most a window of them. Immutable: an
 * {@link #add} returns a new set sharing most of its structure with this one (Scala's persistent
 * hash trie and queue, which Pekko brings along), so an increment costs O(log n) however large
 * the window, and a state the journal never confirmed can be dropped without undoing anything.
 */
final class RecentRequestIds {

    private static final RecentRequestIds EMPTY = new RecentRequestIds(HashSet$.MODULE$.empty(), Queue$.MODULE$.empty());

    private final HashSet<String> ids;
    private final Queue<String> oldestFirst;

    private RecentRequestIds(HashSet<String> ids, Queue<String> oldestFirst) {
        this.ids = ids;
        this.oldestFirst = oldestFirst;
    }

    static RecentRequestIds empty() {
        return EMPTY;
    }

    /** The newest {@code window} of these ids (oldest first). */
    static RecentRequestIds of(List<String> oldestFirst, int window) {
        RecentRequestIds recent = EMPTY;
        for (String id : oldestFirst.subList(Math.max(0, oldestFirst.size() - window), oldestFirst.size())) {
            recent = recent.add(id, window);
        }
        return recent;
    }

    boolean contains(String requestId) {
        return ids.contains(requestId);
    }

    int size() {
        return ids.size();
    }

    /** These ids and {@code requestId} (unless remembered already), less the oldest beyond {@code window}. */
    RecentRequestIds add(String requestId, int window) {
        if (ids.contains(requestId)) return this;
        HashSet<String> newIds = ids.incl(requestId);
        Queue<String> newOrder = oldestFirst.enqueue(requestId);
        while (newIds.size() > window) {
            newIds = newIds.excl(newOrder.head());
            newOrder = newOrder.tail();
        }
        return new RecentRequestIds(newIds, newOrder);
    }

    List<String> oldestFirst() {
        List<String> list = new ArrayList<>(oldestFirst.size());
        for (Iterator<String> i = oldestFirst.iterator(); i.hasNext(); ) list.add(i.next());
        return list;
    }
}
