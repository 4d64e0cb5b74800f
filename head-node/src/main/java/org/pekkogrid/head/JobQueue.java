package org.pekkogrid.head;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The jobs accepted beyond the running limit, waiting to start: first in, first out. A job's
 * position is 1 when it starts next. The queue remembers the position each job was last told,
 * so that the coordinator tells only the jobs that moved, and only now and then: a long queue
 * moving fast costs a message per waiting job per interval, not one per waiting job per start.
 * How many may wait is {@link JobLimits}' concern: a job resumed from the journal always gets in.
 *
 * @param <J> what the coordinator keeps of a waiting job
 */
final class JobQueue<J> {

    /** A waiting job and its place in line now. */
    record Place<J>(String jobId, J job, int position) {}

    private static final class Entry<J> {
        final J job;
        int toldPosition;

        Entry(J job, int toldPosition) {
            this.job = job;
            this.toldPosition = toldPosition;
        }
    }

    private final Map<String, Entry<J>> waiting = new LinkedHashMap<>();
    /** Whether a job left since positions were last collected: only then can any have moved. */
    private boolean someLeft;

    /** Puts the job last in line; returns its position, which counts as told. */
    int add(String jobId, J job) {
        if (waiting.containsKey(jobId)) throw new IllegalArgumentException("job " + jobId + " is queued already");
        int position = waiting.size() + 1;
        waiting.put(jobId, new Entry<>(job, position));
        return position;
    }

    boolean contains(String jobId) {
        return waiting.containsKey(jobId);
    }

    J get(String jobId) {
        Entry<J> e = waiting.get(jobId);
        return e == null ? null : e.job;
    }

    int size() {
        return waiting.size();
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** The job's position, 1 for the job that starts next; 0 when it does not wait here. */
    int position(String jobId) {
        if (!waiting.containsKey(jobId)) return 0;
        int position = 1;
        for (String id : waiting.keySet()) {
            if (id.equals(jobId)) break;
            position++;
        }
        return position;
    }

    /**
     * Takes out the first job in line that may start now, or returns null when none may. Jobs
     * passed over (their client runs all it may) keep their places.
     */
    J next(Predicate<J> mayStart) {
        for (Iterator<Entry<J>> it = waiting.values().iterator(); it.hasNext(); ) {
            Entry<J> e = it.next();
            if (mayStart.test(e.job)) {
                it.remove();
                someLeft = true;
                return e.job;
            }
        }
        return null;
    }

    /** Takes the job out of the line (it was cancelled); null when it does not wait here. */
    J remove(String jobId) {
        Entry<J> e = waiting.remove(jobId);
        if (e == null) return null;
        someLeft = true;
        return e.job;
    }

    /** Takes out every waiting job that matches, in their order. */
    List<J> removeIf(Predicate<J> matches) {
        List<J> removed = new ArrayList<>();
        for (Iterator<Entry<J>> it = waiting.values().iterator(); it.hasNext(); ) {
            Entry<J> e = it.next();
            if (matches.test(e.job)) {
                it.remove();
                removed.add(e.job);
            }
        }
        if (!removed.isEmpty()) someLeft = true;
        return removed;
    }

    /** Every queued job, first in line first. */
    List<J> all() {
        List<J> all = new ArrayList<>(waiting.size());
        for (Entry<J> e : waiting.values()) all.add(e.job);
        return all;
    }

    /** The first {@code limit} jobs in line, with their positions. */
    List<Place<J>> first(int limit) {
        List<Place<J>> first = new ArrayList<>(Math.min(limit, waiting.size()));
        int position = 0;
        for (Map.Entry<String, Entry<J>> e : waiting.entrySet()) {
            if (position == limit) break;
            first.add(new Place<>(e.getKey(), e.getValue().job, ++position));
        }
        return first;
    }

    /** The jobs whose position changed since they were last told, with their positions now; these count as told. */
    List<Place<J>> moved() {
        if (!someLeft) return List.of();
        someLeft = false;
        List<Place<J>> moved = new ArrayList<>();
        int position = 0;
        for (Map.Entry<String, Entry<J>> e : waiting.entrySet()) {
            Entry<J> entry = e.getValue();
            if (entry.toldPosition != ++position) {
                entry.toldPosition = position;
                moved.add(new Place<>(e.getKey(), entry.job, position));
            }
        }
        return moved;
    }
}
