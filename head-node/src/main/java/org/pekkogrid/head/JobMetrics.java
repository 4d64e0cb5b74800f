package org.pekkogrid.head;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.apache.pekko.actor.Address;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobReport.ChunkRow;
import org.pekkogrid.protocol.JobReport.NodeReport;
import org.pekkogrid.protocol.JobReport.NodeSample;
import org.pekkogrid.protocol.JobReport.Percentiles;
import org.pekkogrid.protocol.JobReport.QueuePoint;
import org.pekkogrid.protocol.NodeAddress;
import org.pekkogrid.protocol.NodeCapacity;
import org.pekkogrid.protocol.RunnerCommand.ItemFailure;

/**
 * The timings and counts of one job, folded as results arrive: histograms and per-node sums,
 * a bounded time series, and per-chunk rows only up to a cap, so a job of millions of chunks
 * costs the head a bounded amount of memory.
 */
final class JobMetrics {

    private static final int FAILED_ITEM_SAMPLES = 20;
    /** Time series longer than this are thinned to every other point. */
    private static final int MAX_POINTS = 4096;

    private static final class NodeStats {
        final Set<String> slots = new HashSet<>();
        int cores;
        long chunks;
        long busyNanos;
        double responseNanosSum;
        long firstSeenNanos = -1;
        long lostNanos = -1;
        /** Chunks with a response time: a late result of a re-queued batch has none. */
        long responded;
    }

    private final long acceptedNanos;
    private final Instant startedAt;
    private final List<JobReport.Resume> resumes = new ArrayList<>();
    private final int chunkRowCap;
    private final Histogram latencyNanos = nanosHistogram();
    private final Histogram runNanos = nanosHistogram();
    private final Map<Address, NodeStats> nodes = new LinkedHashMap<>();
    private final List<ItemFailure> failedItemSamples = new ArrayList<>();
    private final List<QueuePoint> queue = new ArrayList<>();
    private final List<NodeSample> samples = new ArrayList<>();
    private final List<ChunkRow> rows;
    private long rowsDropped;
    long items;
    long retries;
    long failedAttempts;
    long attemptsEnded;
    long timedOut;
    long requeued;
    long duplicates;
    long failedChunks;
    long failedItems;
    long workerDeaths;
    long speculativeLaunches;
    long speculativeWins;

    JobMetrics(long acceptedNanos, int chunkRowCap) {
        this(acceptedNanos, Instant.now(), chunkRowCap);
    }

    /** @param startedAt when the job was accepted, by a coordinator before this one if it was resumed */
    JobMetrics(long acceptedNanos, Instant startedAt, int chunkRowCap) {
        this.acceptedNanos = acceptedNanos;
        this.startedAt = startedAt;
        this.chunkRowCap = chunkRowCap;
        this.rows = new ArrayList<>(Math.min(chunkRowCap, 1024));
    }

    void resumed(JobReport.Resume resume) {
        resumes.add(resume);
    }

    double sinceStartMillis(long nanos) {
        return (nanos - acceptedNanos) / 1e6;
    }

    void nodeSeen(Address node, long nowNanos) {
        NodeStats n = nodes.computeIfAbsent(node, a -> new NodeStats());
        if (n.firstSeenNanos < 0) n.firstSeenNanos = nowNanos;
        n.lostNanos = -1;  // a node cut off and back ran all along: its time alive does not end at the cut
    }

    void nodeLost(Address node, long nowNanos) {
        NodeStats n = nodes.get(node);
        if (n != null && n.lostNanos < 0) n.lostNanos = nowNanos;
    }

    /** A chunk counted for the first time. */
    void chunkDone(Address node, String slotId, NodeCapacity capacity, long runNanosOfChunk, long responseNanos) {
        NodeStats n = nodes.computeIfAbsent(node, a -> new NodeStats());
        n.slots.add(slotId);
        n.cores = capacity == null ? n.cores : capacity.cores();
        n.lostNanos = -1;
        n.chunks++;
        n.busyNanos += runNanosOfChunk;
        if (responseNanos >= 0) {
            n.responseNanosSum += responseNanos;
            n.responded++;
        }
        runNanos.recordValue(Math.max(0, runNanosOfChunk));
        attemptsEnded++;
    }

    void attemptFailed() {
        failedAttempts++;
        attemptsEnded++;
    }

    /** The dispatch-to-result time shared by {@code count} chunks of one batch. */
    void responses(long responseNanos, int count) {
        if (count > 0) latencyNanos.recordValueWithCount(Math.max(0, responseNanos), count);
    }

    void itemFailed(ItemFailure failure) {
        failedItems++;
        if (failedItemSamples.size() < FAILED_ITEM_SAMPLES) failedItemSamples.add(failure);
    }

    /** Whether another row would still be kept in the report. */
    boolean wantsRows() {
        return rows.size() < chunkRowCap;
    }

    void row(ChunkRow row) {
        if (rows.size() < chunkRowCap) rows.add(row);
        else rowsDropped++;
    }

    /** Rows of a batch not even built: the cap was reached before it. */
    void rowsNotKept(int count) {
        rowsDropped += count;
    }

    void queuePoint(long nowNanos, long waiting, long inFlight, long done) {
        queue.add(new QueuePoint(sinceStartMillis(nowNanos), waiting, inFlight, done));
        thin(queue);
    }

    void sample(NodeSample sample) {
        samples.add(sample);
        thin(samples);
    }

    private static <T> void thin(List<T> points) {
        if (points.size() <= MAX_POINTS) return;
        List<T> kept = new ArrayList<>(points.size() / 2 + 1);
        for (int i = 0; i < points.size(); i += 2) kept.add(points.get(i));
        if (points.size() % 2 == 0) kept.add(points.get(points.size() - 1));  // the newest stays: it may be the end
        points.clear();
        points.addAll(kept);
    }

    long elapsedMillis(long nowNanos) {
        return (nowNanos - acceptedNanos) / 1_000_000;
    }

    JobReport report(String jobId, String workload, long chunks, long chunksDone, long nowNanos) {
        double makespanMillis = (nowNanos - acceptedNanos) / 1e6;
        double seconds = makespanMillis / 1000;
        List<NodeReport> nodeReports = new ArrayList<>();
        int slots = 0;
        int cores = 0;
        List<Double> means = new ArrayList<>();
        for (Map.Entry<Address, NodeStats> e : nodes.entrySet()) {
            NodeStats n = e.getValue();
            double meanResponse = n.responded == 0 ? 0 : n.responseNanosSum / n.responded / 1e6;
            double busyMillis = n.busyNanos / 1e6;
            long from = n.firstSeenNanos < 0 ? acceptedNanos : n.firstSeenNanos;
            long to = n.lostNanos < 0 ? nowNanos : n.lostNanos;
            double aliveMillis = Math.max(0, (to - from) / 1e6);
            // Slots move between nodes when one is lost (each is a sharded entity): a node offers one per
            // core, however many slot names ran on it over the job.
            int nodeSlots = n.cores > 0 ? Math.min(n.cores, n.slots.size()) : n.slots.size();
            nodeReports.add(new NodeReport(NodeAddress.of(e.getKey()), nodeSlots, n.cores, n.chunks, busyMillis,
                meanResponse, aliveMillis, efficiency(busyMillis, nodeSlots, aliveMillis)));
            slots += nodeSlots;
            cores += n.cores;
            if (n.responded > 0) means.add(meanResponse);
        }
        nodeReports.sort(Comparator.comparing(NodeReport::address));
        return new JobReport(jobId, workload, startedAt.toString(), chunks, chunksDone, items, slots, cores,
            makespanMillis, seconds > 0 ? chunksDone / seconds : 0, seconds > 0 ? items / seconds : 0,
            percentiles(latencyNanos), percentiles(runNanos), retries, failedAttempts, timedOut, requeued,
            duplicates, failedChunks, failedItems, attemptsEnded == 0 ? 0 : (double) failedAttempts / attemptsEnded,
            List.copyOf(failedItemSamples), nodeReports, variance(means), List.copyOf(queue), List.copyOf(samples),
            List.copyOf(rows), rowsDropped, null, null, null, List.copyOf(resumes), workerDeaths, speculativeLaunches,
            speculativeWins, null, null, null);
    }

    /** Busy time over the time its slots were available: 1.0 means never idle. */
    static double efficiency(double busyMillis, int slots, double aliveMillis) {
        return slots == 0 || aliveMillis <= 0 ? 0 : busyMillis / (slots * aliveMillis);
    }

    /** Population variance. */
    static double variance(List<Double> values) {
        if (values.isEmpty()) return 0;
        double mean = 0;
        for (double v : values) mean += v;
        mean /= values.size();
        double sum = 0;
        for (double v : values) sum += (v - mean) * (v - mean);
        return sum / values.size();
    }

    /**
     * Sized for a minute from the start, growing beyond it: one that starts small grows by
     * catching an exception and copying its counts each time a longer value comes, a dozen times
     * in a job's first batch, on the head's messaging thread.
     */
    private static Histogram nanosHistogram() {
        Histogram h = new Histogram(1, 60_000_000_000L, 3);
        h.setAutoResize(true);
        return h;
    }

    /**
     * p50, p95, p99 and the mean in one walk over the recorded values, with HdrHistogram's own
     * rule (the first value whose cumulative count reaches the rank): asking the histogram for each
     * would walk its whole count array four times, a cost every small job pays.
     */
    static Percentiles percentiles(Histogram h) {
        long total = h.getTotalCount();
        if (total == 0) return Percentiles.EMPTY;
        long[] ranks = {rank(50, total), rank(95, total), rank(99, total)};
        long[] values = new long[ranks.length];
        int next = 0;
        long seen = 0;
        double sum = 0;
        for (HistogramIterationValue v : h.recordedValues()) {
            long count = v.getCountAtValueIteratedTo();
            seen += count;
            sum += (double) h.medianEquivalentValue(v.getValueIteratedTo()) * count;
            while (next < ranks.length && seen >= ranks[next]) {
                values[next++] = h.highestEquivalentValue(v.getValueIteratedTo());
            }
        }
        return new Percentiles(values[0] / 1e6, values[1] / 1e6, values[2] / 1e6, h.getMaxValue() / 1e6,
            sum / total / 1e6, total);
    }

    /** The count at which a percentile is reached, as HdrHistogram 2.2 counts it (at least 1). */
    private static long rank(double percentile, long total) {
        double requested = Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0), 100);
        return Math.max(1, (long) Math.ceil(requested * total / 100));
    }
}
