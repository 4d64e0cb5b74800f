package org.pekkogrid.head;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.pekkogrid.protocol.Requirements;
import org.pekkogrid.protocol.RunnerCommand;
import org.pekkogrid.protocol.SlotCommand;

/**
 * The coordinator's book of credit: which slots have asked for how many batches, and which
 * job gets them next. Jobs take turns (round robin), each only on slots whose node satisfies
 * its requirements. A slot's credit is either parked here or lent to one job's runner at a
 * time, so no slot is ever sent more than it asked for.
 */
final class Scheduler {

    static final class SlotState {
        final Slot slot;
        int parked;
        /** The job whose runner holds this slot's credit now, or null. */
        String lentTo;
        int lent;
        /** Jobs that declined this slot since it last asked; not offered again until something changes. */
        final Set<String> declined = new HashSet<>();

        SlotState(Slot slot) {
            this.slot = slot;
        }
    }

    static final class JobState {
        final String jobId;
        final String workload;
        final ActorRef<RunnerCommand> runner;
        final Requirements requires;
        final long chunks;
        final ActorRef<org.pekkogrid.protocol.JobEvent> client;
        /** The client's session when it is outside the cluster; null otherwise. */
        final ActorRef<Void> session;
        long chunksDone;
        /** For status: when a head first accepted it (wall clock), when it started here, who submitted it. */
        long acceptedAtMillis;
        final long startedNanos = System.nanoTime();
        String clientName;
        boolean hasWork = true;
        boolean contended;
        boolean contentionAnnounced;
        final Set<Address> blockedNodes = new HashSet<>();
        long noSlotSinceNanos = -1;
        /** Its eligible slots and nodes as of {@link #eligibleAt}, a version of the slots and their reachability. */
        int eligibleSlots;
        int eligibleNodes;
        long eligibleAt = -1;

        JobState(String jobId, String workload, ActorRef<RunnerCommand> runner, Requirements requires, long chunks,
                 ActorRef<org.pekkogrid.protocol.JobEvent> client, ActorRef<Void> session) {
            this.jobId = jobId;
            this.client = client;
            this.session = session;
            this.workload = workload;
            this.runner = runner;
            this.requires = requires;
            this.chunks = chunks;
        }
    }

    /** Credit lent to a job: the grant to send. */
    record Lend(JobState job, SlotState slot, int batches) {}

    private final Map<ActorRef<SlotCommand>, SlotState> slots = new LinkedHashMap<>();
    private final Map<String, JobState> jobs = new LinkedHashMap<>();
    private final Set<Address> unreachable = new HashSet<>();
    private int turn;
    /**
     * Changes whenever a slot registers or goes, or a node's reachability changes: a job's eligible
     * slots and nodes are counted again only then. Every grant carries them, and counting them per
     * grant cost the coordinator O(slots) per batch (O(slots²) when it offered every slot's credit).
     */
    private long slotsVersion;

    // ---- slots

    SlotState register(Slot slot) {
        SlotState s = slots.get(slot.ref());
        if (s == null) {
            s = new SlotState(slot);
            slots.put(slot.ref(), s);
            slotsVersion++;
        }
        return s;
    }

    SlotState slot(ActorRef<SlotCommand> ref) {
        return slots.get(ref);
    }

    SlotState remove(ActorRef<SlotCommand> ref) {
        SlotState s = slots.remove(ref);
        if (s != null) slotsVersion++;
        return s;
    }

    List<SlotState> removeNode(Address node) {
        List<SlotState> removed = new ArrayList<>();
        slots.values().removeIf(s -> {
            if (s.slot.node().equals(node)) {
                removed.add(s);
                return true;
            }
            return false;
        });
        unreachable.remove(node);
        slotsVersion++;
        return removed;
    }

    List<SlotState> slots() {
        return new ArrayList<>(slots.values());
    }

    Set<String> registeredSlotIds() {
        Set<String> ids = new HashSet<>();
        for (SlotState s : slots.values()) ids.add(s.slot.slotId());
        return ids;
    }

    void unreachable(Address node) {
        if (unreachable.add(node)) slotsVersion++;
    }

    void reachable(Address node) {
        if (unreachable.remove(node)) slotsVersion++;
    }

    boolean isReachable(Address node) {
        return !unreachable.contains(node);
    }

    // ---- jobs

    void addJob(JobState job) {
        jobs.put(job.jobId, job);
    }

    JobState job(String jobId) {
        return jobs.get(jobId);
    }

    JobState removeJob(String jobId) {
        JobState job = jobs.remove(jobId);
        for (SlotState s : slots.values()) s.declined.remove(jobId);
        return job;
    }

    List<JobState> jobs() {
        return new ArrayList<>(jobs.values());
    }

    int jobCount() {
        return jobs.size();
    }

    void workAvailable(String jobId) {
        JobState job = jobs.get(jobId);
        if (job == null) return;
        job.hasWork = true;
        job.blockedNodes.clear();
        for (SlotState s : slots.values()) s.declined.remove(jobId);
    }

    boolean canRun(JobState job, SlotState s) {
        return isReachable(s.slot.node()) && s.slot.capacity().concurrencyFor(job.requires) > 0;
    }

    int eligibleSlots(JobState job) {
        countEligible(job);
        return job.eligibleSlots;
    }

    int eligibleNodes(JobState job) {
        countEligible(job);
        return job.eligibleNodes;
    }

    private void countEligible(JobState job) {
        if (job.eligibleAt == slotsVersion) return;
        int n = 0;
        Set<Address> nodes = new HashSet<>();
        for (SlotState s : slots.values()) {
            if (!canRun(job, s)) continue;
            n++;
            nodes.add(s.slot.node());
        }
        job.eligibleSlots = n;
        job.eligibleNodes = nodes.size();
        job.eligibleAt = slotsVersion;
    }

    // ---- credit

    /** Lends the slot's parked credit to the next job whose turn it is, or returns null to keep it parked. */
    Lend lend(SlotState s) {
        if (s.lentTo != null || s.parked == 0 || !isReachable(s.slot.node()) || jobs.isEmpty()) return null;
        List<JobState> order = new ArrayList<>(jobs.values());
        for (int i = 0; i < order.size(); i++) {
            int at = (turn + i) % order.size();
            JobState job = order.get(at);
            if (!job.hasWork || job.blockedNodes.contains(s.slot.node()) || s.declined.contains(job.jobId)
                    || !canRun(job, s)) {
                continue;
            }
            turn = at + 1;
            int batches = s.parked;
            s.parked = 0;
            s.lentTo = job.jobId;
            s.lent = batches;
            return new Lend(job, s, batches);
        }
        return null;
    }

    /** A runner hands credit back (from a grant, or {@code fresh} from the slot's results): it is parked again. */
    void returned(SlotState s, String jobId, int unused, JobRunner.Decline decline, boolean fresh) {
        if (!fresh && jobId.equals(s.lentTo)) {
            s.lentTo = null;
            s.lent = 0;
        }
        s.parked += unused;
        if (unused == 0) return;
        s.declined.add(jobId);
        JobState job = jobs.get(jobId);
        if (job == null) return;
        switch (decline) {
            case NO_WORK -> job.hasWork = false;
            case NODE_BLOCKED -> job.blockedNodes.add(s.slot.node());
            default -> { }
        }
    }

    /** A runner that stopped never answers the grants it held: their credit comes back. */
    List<SlotState> reclaim(String jobId) {
        List<SlotState> reclaimed = new ArrayList<>();
        for (SlotState s : slots.values()) {
            if (jobId.equals(s.lentTo)) {
                s.parked += s.lent;
                s.lentTo = null;
                s.lent = 0;
                reclaimed.add(s);
            }
        }
        return reclaimed;
    }
}
