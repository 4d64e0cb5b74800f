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
 * {@code grid_head_chunk_latency_seconds} and {@code grid_head_queue_chunks{state}}.
 * Create it after Kamon started: stopping Kamon drops every instrument.
 */
public final class KamonHeadMetrics implements HeadMetrics {

    private static final String NODE = "node";

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
    public JobMeter job(String workload) {
        return new Meter(node.withTag("workload", workload));
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
        private JobCounts published = new JobCounts(0, 0, 0, 0, 0, 0);
        private long waitingShown;
        private long inFlightShown;
        private boolean closed;

        Meter(TagSet tags) {
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
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            waiting.decrement(waitingShown);
            inFlight.decrement(inFlightShown);
        }
    }

    private static void add(Counter counter, long delta) {
        if (delta > 0) counter.increment(delta);
    }

    private static Counter counter(String name, String description, TagSet tags) {
        return Kamon.counter(name, description).withTags(tags);
    }
}
