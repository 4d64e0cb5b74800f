package org.pekkogrid.head;

import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import kamon.metric.Histogram;
import kamon.metric.MeasurementUnit;
import kamon.metric.Metric;
import kamon.tag.TagSet;

/**
 * The head's metrics as Kamon instruments, tagged with the node ({@code host:port}: one JVM may
 * run several nodes, and Kamon is one per JVM) and, for chunks, the workload. Prometheus names:
 * {@code grid_head_jobs_total{state}}, {@code grid_head_jobs_running}, {@code grid_head_jobs_queued},
 * {@code grid_head_chunks_{completed,retried,timed_out,requeued,duplicates,failed}_total},
 * {@code grid_head_chunk_latency_seconds} and {@code grid_head_queue_chunks{state}}; for autoscaling
 * {@code grid_desired_slots} and {@code grid_slots_total} (both gauges).
 * Create it after Kamon started: stopping Kamon drops every instrument.
 *
 * <p>Desired slots: over the jobs running on this head, the chunks waiting to be dispatched plus
 * those dispatched and not back, each times the cores its chunk needs (the job's {@code cpus}, 1
 * unless asked), rounded up per job. Queued jobs (waiting for {@code grid.head.max-jobs}) are not
 * counted: they wait for a running job to end, not for slots. Only the head that holds the
 * coordinator has running jobs, so sum it over the heads; every head counts the slots the same, so
 * take their max.
 */
public final class KamonHeadMetrics implements HeadMetrics {

    private static final String NODE = "node";

    /** Kamon's name of the desired-slots gauge; Prometheus reads {@code grid_desired_slots}. */
    public static final String DESIRED_SLOTS = "grid.desired.slots";

    /** Kamon's name of the slots gauge; Prometheus reads {@code grid_slots_total}. */
    public static final String SLOTS_TOTAL = "grid.slots.total";

    private final TagSet node;
    private final Counter accepted;
    private final Counter rejected;
    private final Counter completed;
    private final Counter failed;
    private final Counter cancelled;
    private final Gauge running;
    private final Gauge queued;
    private final Gauge waiting;
    private final Gauge inFlight;
    private final Gauge desiredSlots;
    private final Gauge slots;

    public KamonHeadMetrics(String nodeAddress) {
        this.node = TagSet.of(NODE, nodeAddress);
        this.accepted = jobs("accepted");
        this.rejected = jobs("rejected");
        this.completed = jobs("completed");
        this.failed = jobs("failed");
        this.cancelled = jobs("cancelled");
        this.running = Kamon.gauge("grid.head.jobs.running", "Jobs running on this head").withTags(node);
        this.queued = Kamon.gauge("grid.head.jobs.queued", "Jobs waiting in this head's queue to start")
            .withTags(node);
        Metric.Gauge queue = Kamon.gauge("grid.head.queue.chunks",
            "Chunks of running jobs: waiting to be dispatched, or dispatched and not back");
        this.waiting = queue.withTags(node.withTag("state", "waiting"));
        this.inFlight = queue.withTags(node.withTag("state", "in-flight"));
        this.desiredSlots = Kamon.gauge(DESIRED_SLOTS,
            "Worker slots the running jobs' chunks want: waiting or in flight, times the cores each needs").withTags(node);
        this.slots = Kamon.gauge(SLOTS_TOTAL,
            "Worker slots in the cluster: a slot per core of every worker member Up and reachable").withTags(node);
    }

    private Counter jobs(String state) {
        return Kamon.counter("grid.head.jobs", "Jobs by what happened to them").withTags(node.withTag("state", state));
    }

    @Override
    public void jobAccepted() {
        accepted.increment();
    }

    @Override
    public void jobRejected() {
        rejected.increment();
    }

    @Override
    public void jobEnded(String state) {
        (switch (state) {
            case "COMPLETED" -> completed;
            case "CANCELLED" -> cancelled;
            default -> failed;
        }).increment();
    }

    @Override
    public void jobsRunning(int jobs) {
        running.update(jobs);
    }

    @Override
    public void jobsQueued(int jobs) {
        queued.update(jobs);
    }

    @Override
    public void slotsTotal(int total) {
        slots.update(total);
    }

    @Override
    public JobMeter job(String workload) {
        return job(workload, 1);
    }

    @Override
    public JobMeter job(String workload, double cpusPerChunk) {
        return new Meter(node.withTag("workload", workload), cpusPerChunk);
    }

    /** Kamon counters only add, so the meter keeps what it published and adds the difference. */
    private final class Meter implements JobMeter {
        private final Histogram latency;
        private final Counter completed;
        private final Counter retried;
        private final Counter timedOut;
        private final Counter requeued;
        private final Counter duplicates;
        private final Counter failedAttempts;
        private final double cpusPerChunk;
        private long desiredShown;
        private JobCounts published = new JobCounts(0, 0, 0, 0, 0, 0);
        private long waitingShown;
        private long inFlightShown;
        private boolean closed;

        Meter(TagSet tags, double cpusPerChunk) {
            this.cpusPerChunk = cpusPerChunk;
            this.latency = Kamon.histogram("grid.head.chunk.latency",
                "Chunk response time: dispatch by the head to its result at the head",
                MeasurementUnit.time().nanoseconds()).withTags(tags);
            this.completed = counter("grid.head.chunks.completed", "Chunks counted, each once", tags);
            this.retried = counter("grid.head.chunks.retried", "Chunk attempts dispatched again, for any reason", tags);
            this.timedOut = counter("grid.head.chunks.timed-out", "Chunk attempts re-dispatched after the chunk timeout",
                tags);
            this.requeued = counter("grid.head.chunks.requeued", "Chunks re-queued because their node or slot was lost",
                tags);
            this.duplicates = counter("grid.head.chunks.duplicates",
                "Results dropped because their chunk was already counted", tags);
            this.failedAttempts = counter("grid.head.chunks.failed", "Chunk attempts that threw", tags);
        }

        @Override
        public void latency(long nanos, int chunks) {
            if (chunks > 0) latency.record(Math.max(0, nanos), chunks);
        }

        @Override
        public void update(JobCounts now, long waitingNow, long inFlightNow) {
            if (closed) return;
            add(completed, now.completed() - published.completed());
            add(retried, now.retried() - published.retried());
            add(timedOut, now.timedOut() - published.timedOut());
            add(requeued, now.requeued() - published.requeued());
            add(duplicates, now.duplicates() - published.duplicates());
            add(failedAttempts, now.failed() - published.failed());
            published = now;
            waiting.increment(waitingNow - waitingShown);
            inFlight.increment(inFlightNow - inFlightShown);
            waitingShown = waitingNow;
            inFlightShown = inFlightNow;
            // The small tolerance keeps 3 chunks of 0.1 cpus at 1 slot, not 2 (0.30000000000000004).
            long desiredNow = (long) Math.ceil((waitingNow + inFlightNow) * cpusPerChunk - 1e-9);
            desiredSlots.increment(desiredNow - desiredShown);
            desiredShown = desiredNow;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            waiting.decrement(waitingShown);
            inFlight.decrement(inFlightShown);
            desiredSlots.decrement(desiredShown);
        }
    }

    private static void add(Counter counter, long delta) {
        if (delta > 0) counter.increment(delta);
    }

    private static Counter counter(String name, String description, TagSet tags) {
        return Kamon.counter(name, description).withTags(tags);
    }
}
