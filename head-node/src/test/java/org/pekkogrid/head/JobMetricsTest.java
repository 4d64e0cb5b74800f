package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.junit.jupiter.api.Test;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobReport.NodeReport;
import org.pekkogrid.protocol.JobReport.Percentiles;
import org.pekkogrid.protocol.NodeCapacity;
import org.pekkogrid.protocol.RunnerCommand.ItemFailure;

/** Figures of a job report against numbers worked out by hand. */
class JobMetricsTest {

    private static final long MS = 1_000_000;
    private static final long ACCEPTED = 5_000 * MS;
    private static final Address A = new Address("pekko", "grid", "10.0.0.1", 2552);
    private static final Address B = new Address("pekko", "grid", "10.0.0.2", 2552);
    private static final NodeCapacity TWO_CORES = new NodeCapacity(2, 1L << 30, Set.of());
    private static final NodeCapacity ONE_CORE = new NodeCapacity(1, 1L << 30, Set.of());

    /** Histograms keep 3 significant digits. */
    private static void assertMillis(double expected, double actual, String what) {
        assertEquals(expected, actual, expected * 1e-3, what);
    }

    /**
     * Node A: two slots, four chunks of 10 ms, each answered 20 ms after dispatch.
     * Node B: one slot, two chunks of 30 ms, each answered 50 ms after dispatch.
     * The job ran 100 ms.
     */
    private static JobReport twoNodes() {
        JobMetrics m = new JobMetrics(ACCEPTED, 10_000);
        for (int i = 0; i < 4; i++) m.chunkDone(A, "slot-" + (i % 2), TWO_CORES, 10 * MS, 20 * MS);
        m.responses(20 * MS, 4);
        for (int i = 0; i < 2; i++) m.chunkDone(B, "slot-2", ONE_CORE, 30 * MS, 50 * MS);
        m.responses(50 * MS, 2);
        m.items = 600;
        m.retries = 2;
        m.failedAttempts = 1;
        return m.report("job-1", "leibniz-pi", 6, 6, ACCEPTED + 100 * MS);
    }

    @Test
    void onePassPercentilesEqualHdrHistogramsOwn() {
        java.util.Random random = new java.util.Random(7);
        for (int values : new int[] {1, 2, 3, 19, 20, 21, 100, 1_000, 100_000}) {
            org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
            for (int i = 0; i < values; i++) {
                // Log-uniform from 1 us to 10 s, with repeats, as chunk latencies spread.
                h.recordValueWithCount((long) Math.pow(10, 3 + 7 * random.nextDouble()), 1 + random.nextInt(3));
            }
            Percentiles p = JobMetrics.percentiles(h);
            String of = values + " values";
            assertEquals(h.getValueAtPercentile(50) / 1e6, p.p50(), of);
            assertEquals(h.getValueAtPercentile(95) / 1e6, p.p95(), of);
            assertEquals(h.getValueAtPercentile(99) / 1e6, p.p99(), of);
            assertEquals(h.getMaxValue() / 1e6, p.max(), of);
            assertEquals(h.getMean() / 1e6, p.mean(), h.getMean() / 1e6 * 1e-12, of);
            assertEquals(h.getTotalCount(), p.count(), of);
        }
    }

    @Test
    void throughputIsChunksAndItemsOverTheMakespan() {
        JobReport r = twoNodes();
        assertEquals(100.0, r.makespanMillis(), 1e-9);
        assertEquals(60.0, r.chunksPerSecond(), 1e-9);
        assertEquals(6000.0, r.itemsPerSecond(), 1e-9);
        assertEquals(3, r.slots());
        assertEquals(3, r.cores());
        assertEquals(2, r.retries());
        assertEquals(1, r.failedAttempts());
        assertNull(r.baselineMillis());
    }

    @Test
    void eachNodeReportsItsChunksBusyTimeResponseAndEfficiency() {
        List<NodeReport> nodes = twoNodes().nodes();
        assertEquals(2, nodes.size());
        NodeReport a = nodes.get(0);
        assertEquals("10.0.0.1:2552", a.address());
        assertEquals(2, a.slots());
        assertEquals(2, a.cores());
        assertEquals(4, a.chunks());
        assertEquals(40.0, a.busyMillis(), 1e-9);
        assertEquals(20.0, a.meanResponseMillis(), 1e-9);
        assertEquals(0.2, a.efficiency(), 1e-12);  // 40 ms busy / (2 slots x 100 ms)
        NodeReport b = nodes.get(1);
        assertEquals("10.0.0.2:2552", b.address());
        assertEquals(60.0, b.busyMillis(), 1e-9);
        assertEquals(50.0, b.meanResponseMillis(), 1e-9);
        assertEquals(0.6, b.efficiency(), 1e-12);  // 60 ms busy / (1 slot x 100 ms)
    }

    @Test
    void theVarianceIsThatOfTheNodesMeanResponseTimes() {
        // Means 20 and 50 ms: their mean is 35, so the variance is (15^2 + 15^2) / 2.
        assertEquals(225.0, twoNodes().nodeResponseVariance(), 1e-9);
    }

    @Test
    void latencyAndRunTimePercentiles() {
        JobReport r = twoNodes();
        Percentiles latency = r.latencyMillis();
        assertEquals(6, latency.count());
        assertMillis(20, latency.p50(), "latency p50");
        assertMillis(50, latency.p95(), "latency p95");
        assertMillis(50, latency.p99(), "latency p99");
        assertMillis(50, latency.max(), "latency max");
        assertMillis(30, latency.mean(), "latency mean");  // (4 x 20 + 2 x 50) / 6
        Percentiles run = r.runMillis();
        assertEquals(6, run.count());
        assertMillis(10, run.p50(), "run p50");
        assertMillis(30, run.p95(), "run p95");
        assertMillis(50.0 / 3, run.mean(), "run mean");  // (4 x 10 + 2 x 30) / 6
    }

    @Test
    void percentilesOfOneToAHundredMilliseconds() {
        JobMetrics m = new JobMetrics(0, 10_000);
        for (int i = 1; i <= 100; i++) m.responses(i * MS, 1);
        Percentiles p = m.report("j", "noop", 100, 100, 1000 * MS).latencyMillis();
        assertMillis(50, p.p50(), "p50");
        assertMillis(95, p.p95(), "p95");
        assertMillis(99, p.p99(), "p99");
        assertMillis(100, p.max(), "max");
        assertMillis(50.5, p.mean(), "mean");
        assertEquals(100, p.count());
    }

    @Test
    void aResultOfAReQueuedBatchCountsItsChunkButNotAResponseTime() {
        JobMetrics m = new JobMetrics(0, 10_000);
        m.chunkDone(A, "slot-0", ONE_CORE, 5 * MS, 10 * MS);
        m.chunkDone(A, "slot-0", ONE_CORE, 5 * MS, -1);  // its dispatch time no longer means anything
        m.chunkDone(B, "slot-1", ONE_CORE, 5 * MS, -1);
        JobReport r = m.report("j", "noop", 3, 3, 100 * MS);
        assertEquals(2, r.nodes().get(0).chunks());
        assertEquals(10.0, r.nodes().get(0).meanResponseMillis(), 1e-9);
        assertEquals(0.0, r.nodes().get(1).meanResponseMillis(), 1e-9);
        assertEquals(0.0, r.nodeResponseVariance(), 1e-9, "a node without a response time has no mean to vary");
    }

    @Test
    void aJobWithNoResultsYetReportsZerosNotNaN() {
        JobReport r = new JobMetrics(0, 10_000).report("j", "noop", 10, 0, 0);
        assertEquals(Percentiles.EMPTY, r.latencyMillis());
        assertEquals(Percentiles.EMPTY, r.runMillis());
        assertEquals(0.0, r.chunksPerSecond());
        assertEquals(0.0, r.nodeResponseVariance());
        assertEquals(List.of(), r.nodes());
    }

    @Test
    void failedItemsAreCountedAndAFewKeptAsSamples() {
        JobMetrics m = new JobMetrics(0, 10_000);
        for (int i = 0; i < 25; i++) m.itemFailed(new ItemFailure(i, "img-" + i + ".jpg", "corrupt"));
        JobReport r = m.report("j", "grayscale", 25, 25, MS);
        assertEquals(25, r.failedItems());
        assertEquals(20, r.failedItemSamples().size());
        assertEquals(new ItemFailure(0, "img-0.jpg", "corrupt"), r.failedItemSamples().get(0));
    }

    @Test
    void aBaselineGivesSpeedupAndEfficiencyPerCore() {
        JobReport r = twoNodes().withBaseline(270, 150.0);
        assertEquals(270.0, r.baselineMillis());
        assertEquals(2.7, r.speedup(), 1e-12);
        assertEquals(0.9, r.efficiency(), 1e-12);  // 2.7 / 3 cores
        assertEquals(150.0, r.ceilingMillis());
        assertEquals(1.8, r.ceilingSpeedup(), 1e-12);  // 270 / 150: what the cores give with no grid
        assertEquals(1.5, r.ofCeiling(), 1e-12);  // 150 / the makespan of 100
    }

    @Test
    void aBaselineWithoutACeilingLeavesTheCeilingFiguresOut() {
        JobReport r = twoNodes().withBaseline(270, null);
        assertNull(r.ceilingMillis());
        assertNull(r.ceilingSpeedup());
        assertNull(r.ofCeiling());
    }

    /**
     * What a job of a million chunks costs the head to measure: histograms, time buckets and the
     * first 10,000 rows, whatever the chunk count (a row is about a hundred bytes: a million of
     * them would blow any small budget). The budget is 16 MiB, measured as heap in use after full
     * collections.
     */
    @Test
    void aMillionChunkJobsMetricsStayWithinSixteenMebibytesOfHeap() {
        long before = heapUsedAfterGc();
        JobMetrics m = new JobMetrics(ACCEPTED, 10_000);
        long now = ACCEPTED;
        for (int i = 0; i < 1_000_000; i++) {
            now += 1_000;
            Address node = i % 2 == 0 ? A : B;
            m.chunkDone(node, "slot-" + (i % 4), TWO_CORES, 800 + i % 500, 90_000 + i % 7_000);
            if (m.wantsRows()) {
                m.row(new JobReport.ChunkRow(i, 0, node.toString(), "slot-" + (i % 4), i * 1e-3, i * 1e-3,
                    i * 1e-3, i * 1e-3 + 0.001, "ok"));
            } else {
                m.rowsNotKept(1);
            }
            if (i % 1_000 == 999) {
                m.responses(90_000, 1_000);
                m.queuePoint(now, 1_000_000 - i, 2_048, i + 1);
            }
        }
        long used = heapUsedAfterGc() - before;
        JobReport r = m.report("j", "noop", 1_000_000, 1_000_000, now);
        assertEquals(1_000_000, r.chunksDone());
        assertEquals(10_000, r.chunkRows().size());
        assertEquals(990_000, r.chunkRowsDropped());
        assertTrue(used < 16L << 20, "the metrics of a million chunks hold " + (used >> 20) + " MiB of heap");
        java.lang.ref.Reference.reachabilityFence(m);
    }

    private static long heapUsedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();  // ParallelGC in the tests: each is a full, compacting collection
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
