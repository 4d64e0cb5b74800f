package org.pekkogrid.protocol;

import java.util.List;
import java.util.Set;

/**
 * The head's view of the grid: its members and its jobs.
 *
 * @param jobs       the finished jobs the head remembers, those running, then the first queued ones
 * @param queuedJobs jobs waiting in the head's queue, all of them (jobs lists only the first few)
 */
public record ClusterStatus(List<Member> members, List<Job> jobs, int queuedJobs) implements GridMessage {

    /** A status with no job queued. */
    public ClusterStatus(List<Member> members, List<Job> jobs) {
        this(members, jobs, 0);
    }

    /**
     * @param slots       worker slots registered from this node
     * @param metricsPort port of the node's Prometheus {@code /metrics}; 0 when it has none
     * @param httpPort    port of the head's JSON HTTP API; 0 when it serves none
     * @param stuckThreads the node's compute threads stuck in chunks that ignored their interrupt;
     *                     it exits when they outnumber its cores
     * @param logFile     the file the node logs to besides stderr ({@code --log-dir}), on its own
     *                    host; null when it logs to stderr only (or is of a version that does not say)
     */
    public record Member(String address, Set<String> roles, String status, boolean reachable, int cores,
                         Set<String> tags, int slots, int metricsPort, int httpPort, int stuckThreads,
                         String logFile) {

        /** A member that advertises no metrics or HTTP endpoint, has no stuck thread and logs to stderr only. */
        public Member(String address, Set<String> roles, String status, boolean reachable, int cores,
                      Set<String> tags, int slots) {
            this(address, roles, status, reachable, cores, tags, slots, 0, 0, 0, null);
        }
    }

    /**
     * @param state            QUEUED, RUNNING, COMPLETED, FAILED or CANCELLED
     * @param queuePosition    a QUEUED job's place in the queue, 1 for the job that starts next; 0 otherwise
     * @param acceptedAtMillis when a head first accepted it, wall clock (epoch ms); 0 when unknown
     * @param runMillis        how long it has run, or ran; 0 when it never started
     * @param client           who submitted it (see {@link JobDetail#client}); null when unknown
     */
    public record Job(String job, String workload, String state, long chunksDone, long chunksTotal,
                      int queuePosition, long acceptedAtMillis, long runMillis, String client) {

        public Job(String job, String workload, String state, long chunksDone, long chunksTotal, int queuePosition) {
            this(job, workload, state, chunksDone, chunksTotal, queuePosition, 0, 0, null);
        }

        /** A job that is not queued. */
        public Job(String job, String workload, String state, long chunksDone, long chunksTotal) {
            this(job, workload, state, chunksDone, chunksTotal, 0);
        }
    }
}
