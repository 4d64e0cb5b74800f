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
    /** Fetches and opens the jars jobs ship; null on a node that takes none (tests). */
    private final JarFetcher jars;
    private final ConcurrentHashMap<String, BoundJob<?, ?, ?, ?>> byJob = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();

    /** With no file roots: for tests. */
    JobBindings(int capacity) {
        this(capacity, FileRoots.UNRESTRICTED);
    }

    /** @param roots where jobs' path parameters may lead on this node (grid.files.roots) */
    JobBindings(int capacity, FileRoots roots) {
        this(capacity, roots, null);
    }

    /** @param jars where jobs' workload jars come from on this node */
    JobBindings(int capacity, FileRoots roots, JarFetcher jars) {
        this.capacity = capacity;
        this.roots = roots;
        this.jars = jars;
    }

    /** The bound job; binding happens at most once per job while it is cached. */
    BoundJob<?, ?, ?, ?> bind(JobTicket ticket) {
        BoundJob<?, ?, ?, ?> bound = byJob.get(ticket.jobId());
        if (bound != null) return bound;
        if (ticket.jar() != null) {
            if (jars == null) throw new IllegalStateException("this worker takes no workload jars");
            jars.ensure(ticket);  // outside the map's lock: it may take a while
        }
        BoundJob<?, ?, ?, ?> job = byJob.computeIfAbsent(ticket.jobId(), id -> {
            order.add(id);
            if (ticket.jar() == null) {
                return BoundJob.bindOnWorker(ticket.workload(), ticket.params(), ticket.chunks(), roots);
            }
            try {
                return BoundJob.bindOnWorker(jars.jars().use(ticket.jar(), ticket.workload(), id), ticket.params(),
                    ticket.chunks(), roots);
            } catch (RuntimeException | LinkageError e) {
                order.remove(id);
                jars.jars().release(id);
                throw e;
            }
        });
        while (byJob.size() > capacity) {
            String oldest = order.poll();
            if (oldest == null) break;
            forget(oldest);
        }
        return job;
    }

    /** The job ended here: its binding goes, and its jar's class loader with the last job that used it. */
    void forget(String jobId) {
        byJob.remove(jobId);
        order.remove(jobId);
        if (jars != null) jars.jars().release(jobId);
    }
}
