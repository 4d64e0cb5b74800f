package org.pekkogrid.head;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.Address;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobReport.NodeReport;
import org.pekkogrid.protocol.JobReport.Percentiles;
import org.pekkogrid.protocol.NodeCapacity;
import org.pekkogrid.protocol.RunnerCommand.ItemFailure;

/**
 * The timings and counts of one job, folded as results arrive: histograms and per-node sums,
 * never a row per chunk, so a job of millions of chunks costs the head a few kilobytes.
 */
final class JobMetrics {

    private static final int FAILED_ITEM_SAMPLES = 20;

    private static final class NodeStats {
        final Set<String> slots = new HashSet<>();
        int cores;
        long chunks;
        long busyNanos;
        double responseNanosSum;
        /** Chunks with a response time: a late result of a re-queued batch has none. */
        long responded;
    }

    private final long acceptedNanos;
    private final Histogram latencyNanos = new Histogram(3);
    private final Histogram runNanos = new Histogram(3);
    private final Map<Address, NodeStats> nodes = new LinkedHashMap<>();
    private final List<ItemFailure> failedItemSamples = new ArrayList<>();
    long items;
    long retries;
    long failedAttempts;
    long timedOut;
    long requeued;
    long duplicates;
    long failedChunks;
    long failedItems;

    JobMetrics(long acceptedNanos) {
        this.acceptedNanos = acceptedNanos;
    }

    /** A chunk counted for the first time. */
    void chunkDone(Address node, String slotId, NodeCapacity capacity, long runNanosOfChunk, long responseNanos) {
        NodeStats n = nodes.computeIfAbsent(node, a -> new NodeStats());
        n.slots.add(slotId);
        n.cores = capacity == null ? n.cores : capacity.cores();
        n.chunks++;
        n.busyNanos += runNanosOfChunk;
        if (responseNanos >= 0) {
            n.responseNanosSum += responseNanos;
            n.responded++;
        }
        runNanos.recordValue(Math.max(0, runNanosOfChunk));
    }

    /** The dispatch-to-result time shared by {@code count} chunks of one batch. */
    void responses(long responseNanos, int count) {
        if (count > 0) latencyNanos.recordValueWithCount(Math.max(0, responseNanos), count);
    }

    void itemFailed(ItemFailure failure) {
        failedItems++;
        if (failedItemSamples.size() < FAILED_ITEM_SAMPLES) failedItemSamples.add(failure);
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
        double sumMeans = 0;
        double sumSquares = 0;
        int withChunks = 0;
        for (Map.Entry<Address, NodeStats> e : nodes.entrySet()) {
            NodeStats n = e.getValue();
            double meanResponse = n.responded == 0 ? 0 : n.responseNanosSum / n.responded / 1e6;
            double busyMillis = n.busyNanos / 1e6;
            double efficiency = makespanMillis > 0 && !n.slots.isEmpty() ? busyMillis / (n.slots.size() * makespanMillis) : 0;
            nodeReports.add(new NodeReport(org.pekkogrid.protocol.NodeAddress.of(e.getKey()), n.slots.size(), n.cores, n.chunks, busyMillis,
                meanResponse, efficiency));
            slots += n.slots.size();
            cores += n.cores;
            if (n.responded > 0) {
                sumMeans += meanResponse;
                sumSquares += meanResponse * meanResponse;
                withChunks++;
            }
        }
        nodeReports.sort(Comparator.comparing(NodeReport::address));
        double mean = withChunks == 0 ? 0 : sumMeans / withChunks;
        double variance = withChunks == 0 ? 0 : Math.max(0, sumSquares / withChunks - mean * mean);
        return new JobReport(jobId, workload, chunks, chunksDone, items, slots, cores, makespanMillis,
            seconds > 0 ? chunksDone / seconds : 0, seconds > 0 ? items / seconds : 0,
            percentiles(latencyNanos), percentiles(runNanos), retries, failedAttempts, timedOut, requeued,
            duplicates, failedChunks, failedItems, List.copyOf(failedItemSamples), nodeReports, variance,
            null, null, null);
    }

    static Percentiles percentiles(Histogram h) {
        if (h.getTotalCount() == 0) return Percentiles.EMPTY;
        return new Percentiles(h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(95) / 1e6,
            h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6, h.getMean() / 1e6, h.getTotalCount());
    }
}
