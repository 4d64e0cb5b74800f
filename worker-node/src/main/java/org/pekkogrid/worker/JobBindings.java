package org.pekkogrid.worker;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.pekkogrid.protocol.JobTicket;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.FileRoots;

/**
 * The jobs this node has bound (workload + parameters + chunk plan), shared by its slots so a
 * job is bound once per node, however many batches of it arrive. Safe from compute threads.
 */
final class JobBindings {

    private final int capacity;
    private final FileRoots roots;
    private final ConcurrentHashMap<String, BoundJob<?, ?, ?, ?>> byJob = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();

    /** With no file roots: for tests. */
    JobBindings(int capacity) {
        this(capacity, FileRoots.UNRESTRICTED);
    }

    /** @param roots where jobs' path parameters may lead on this node (grid.files.roots) */
    JobBindings(int capacity, FileRoots roots) {
        this.capacity = capacity;
        this.roots = roots;
    }

    /** The bound job; binding happens at most once per job while it is cached. */
    BoundJob<?, ?, ?, ?> bind(JobTicket ticket) {
        BoundJob<?, ?, ?, ?> job = byJob.computeIfAbsent(ticket.jobId(), id -> {
            order.add(id);
            return BoundJob.bindOnWorker(ticket.workload(), ticket.params(), ticket.chunks(), roots);
        });
        while (byJob.size() > capacity) {
            String oldest = order.poll();
            if (oldest == null) break;
            byJob.remove(oldest);
        }
        return job;
    }

    void forget(String jobId) {
        byJob.remove(jobId);
        order.remove(jobId);
    }
}
