package org.pekkogrid.head;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The head's limits on jobs, and each client's count against them: how many jobs run at once
 * ({@code grid.head.max-jobs}), how many more may wait ({@code max-queued-jobs}), how many one
 * client may have running or waiting ({@code max-jobs-per-client}) and running
 * ({@code max-running-jobs-per-client}). A job counts against its client from the moment it is
 * accepted (while the journal stores it too) until it ends.
 *
 * @param <C> how a client is known
 */
final class JobLimits<C> {

    private static final class Count {
        int open;
        int running;
    }

    private final int maxRunning;
    private final int maxQueued;
    private final int maxPerClient;
    private final int maxRunningPerClient;
    private final Map<C, Count> clients = new HashMap<>();

    JobLimits(int maxRunning, int maxQueued, int maxPerClient, int maxRunningPerClient) {
        if (maxRunning < 1) throw new IllegalArgumentException("grid.head.max-jobs must be at least 1, got " + maxRunning);
        if (maxQueued < 0) {
            throw new IllegalArgumentException("grid.head.max-queued-jobs must be at least 0, got " + maxQueued);
        }
        if (maxPerClient < 0) {
            throw new IllegalArgumentException("grid.head.max-jobs-per-client must be at least 0 (0: no limit), got "
                + maxPerClient);
        }
        if (maxRunningPerClient < 0) {
            throw new IllegalArgumentException("grid.head.max-running-jobs-per-client must be at least 0 (0: no "
                + "limit), got " + maxRunningPerClient);
        }
        this.maxRunning = maxRunning;
        this.maxQueued = maxQueued;
        this.maxPerClient = maxPerClient;
        this.maxRunningPerClient = maxRunningPerClient;
    }

    static <C> JobLimits<C> from(HeadSettings settings) {
        return new JobLimits<>(settings.maxJobs(), settings.maxQueuedJobs(), settings.maxJobsPerClient(),
            settings.maxRunningJobsPerClient());
    }

    /**
     * Why the head may not take another job of this client now; empty when it may.
     *
     * @param running jobs running now
     * @param waiting jobs accepted and not running: queued, or being stored in the journal
     */
    Optional<String> refusal(C client, int running, int waiting) {
        if (running + waiting >= maxRunning + maxQueued) {
            return Optional.of(maxQueued == 0
                ? "the head is running " + running + " jobs, its limit (grid.head.max-jobs = " + maxRunning
                    + "), and queues none (grid.head.max-queued-jobs = 0); try again when one ends"
                : "the head's queue is full: " + waiting + " jobs wait to start, its limit (grid.head.max-queued-jobs = "
                    + maxQueued + "), behind " + running + " running (grid.head.max-jobs = " + maxRunning
                    + "); try again when some end");
        }
        int open = openOf(client);
        if (maxPerClient > 0 && open >= maxPerClient) {
            return Optional.of("this client has " + open + " jobs running or waiting, its limit "
                + "(grid.head.max-jobs-per-client = " + maxPerClient + "); submit more when some end");
        }
        return Optional.empty();
    }

    /** Whether a job of this client may start now, with {@code running} jobs running. */
    boolean mayStart(C client, int running) {
        if (running >= maxRunning) return false;
        if (maxRunningPerClient == 0) return true;
        Count c = clients.get(client);
        return c == null || c.running < maxRunningPerClient;
    }

    /** A job of this client was accepted (or resumed): it counts until it ends. */
    void accepted(C client) {
        clients.computeIfAbsent(client, k -> new Count()).open++;
    }

    void started(C client) {
        Count c = clients.get(client);
        if (c != null) c.running++;
    }

    /** @param wasRunning whether the job had started: false for one cancelled in the queue, or never stored */
    void ended(C client, boolean wasRunning) {
        Count c = clients.get(client);
        if (c == null) return;
        c.open--;
        if (wasRunning) c.running--;
        if (c.open <= 0) clients.remove(client);
    }

    int openOf(C client) {
        Count c = clients.get(client);
        return c == null ? 0 : c.open;
    }

    int runningOf(C client) {
        Count c = clients.get(client);
        return c == null ? 0 : c.running;
    }
}
