package org.pekkogrid.protocol;

import java.util.List;
import java.util.Set;

/** The head's view of the grid: its members and its jobs. */
public record ClusterStatus(List<Member> members, List<Job> jobs) implements GridMessage {

    /**
     * @param slots worker slots registered from this node
     */
    public record Member(String address, Set<String> roles, String status, boolean reachable, int cores,
                         Set<String> tags, int slots) {}

    /** @param state RUNNING, COMPLETED or FAILED */
    public record Job(String job, String workload, String state, long chunksDone, long chunksTotal) {}
}
