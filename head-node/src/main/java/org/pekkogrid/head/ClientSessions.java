package org.pekkogrid.head;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The coordinator's clients: which jobs (running or queued) each client session owns, and when it last said
 * it was alive. Clients are not cluster members and heads do not watch them (a remote watch that
 * times out quarantines the client for good), so a session that falls silent for the timeout is
 * taken for gone.
 *
 * @param <S> how a session is known (the client's session actor)
 */
final class ClientSessions<S> {

    private static final class Session {
        final Set<String> jobs = new HashSet<>();
        long lastSeenNanos;
    }

    private final long timeoutNanos;
    private final Map<S, Session> sessions = new HashMap<>();

    ClientSessions(long timeoutNanos) {
        if (timeoutNanos <= 0) throw new IllegalArgumentException("grid.head.client-timeout must be positive");
        this.timeoutNanos = timeoutNanos;
    }

    void jobStarted(S session, String jobId, long nowNanos) {
        Session s = sessions.computeIfAbsent(session, k -> new Session());
        s.jobs.add(jobId);
        s.lastSeenNanos = nowNanos;
    }

    /** The job ended; a session with no job left is forgotten until it starts another. */
    void jobEnded(S session, String jobId) {
        Session s = sessions.get(session);
        if (s == null) return;
        s.jobs.remove(jobId);
        if (s.jobs.isEmpty()) sessions.remove(session);
    }

    void alive(S session, long nowNanos) {
        Session s = sessions.get(session);
        if (s != null) s.lastSeenNanos = nowNanos;
    }

    /** The session closed: its jobs, which now have no one to report to. */
    Set<String> closed(S session) {
        Session s = sessions.remove(session);
        return s == null ? Set.of() : s.jobs;
    }

    /** Sessions silent past the timeout, with their jobs; they are forgotten. */
    Map<S, Set<String>> expired(long nowNanos) {
        Map<S, Set<String>> gone = new LinkedHashMap<>();
        for (Iterator<Map.Entry<S, Session>> it = sessions.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<S, Session> e = it.next();
            if (nowNanos - e.getValue().lastSeenNanos > timeoutNanos) {
                gone.put(e.getKey(), e.getValue().jobs);
                it.remove();
            }
        }
        return gone;
    }

    int size() {
        return sessions.size();
    }
}
