package org.pekkogrid.deploy;

import java.io.PrintStream;
import java.util.Locale;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobReport;

/** A job's outcome and report, for people. */
final class JobPrinter {

    private JobPrinter() {}

    static void print(PrintStream out, JobResult r, JobReport report, JobSession.Baseline baseline,
                      JobSession.Repeat repeat) {
        out.printf(Locale.ROOT, "%s  %s  %s%n", r.workload(), r.status(), r.jobId() == null ? "" : r.jobId());
        if (r.completed()) out.println("  " + r.summary());
        else if (r.status() == JobResult.Status.CANCELLED) out.println("  " + r.error());
        else out.println("  error: " + r.error());
        if (report != null) {
            out.printf(Locale.ROOT, "  makespan %.1f ms   %d of %d chunks   %.0f chunks/s   %.4g items/s%n",
                report.makespanMillis(), report.chunksDone(), report.chunks(), report.chunksPerSecond(),
                report.itemsPerSecond());
            out.println("  chunk latency ms (dispatch to result)  " + percentiles(report.latencyMillis()));
            out.println("  chunk run time ms (on its worker)      " + percentiles(report.runMillis()));
            out.printf(Locale.ROOT, "  retries %d (failed attempts %d, timed out %d, re-queued %d)   duplicates dropped %d"
                    + "   failed chunks %d   failed items %d%n",
                report.retries(), report.failedAttempts(), report.timedOut(), report.requeued(), report.duplicates(),
                report.failedChunks(), report.failedItems());
            if (report.workerDeaths() > 0 || report.speculativeLaunches() > 0) {
                out.printf(Locale.ROOT, "  worker nodes lost while running its chunks %d   speculative copies %d (won %d)%n",
                    report.workerDeaths(), report.speculativeLaunches(), report.speculativeWins());
            }
            for (var item : report.failedItemSamples()) {
                out.printf(Locale.ROOT, "    failed item %s (chunk %d): %s%n", item.item(), item.chunk(), item.reason());
            }
            if (!report.nodes().isEmpty()) {
                out.printf(Locale.ROOT, "  %-34s %5s %9s %12s %13s %10s%n", "node", "slots", "chunks", "busy ms",
                    "mean resp ms", "efficiency");
                for (JobReport.NodeReport n : report.nodes()) {
                    out.printf(Locale.ROOT, "  %-34s %5d %9d %12.1f %13.3f %9.1f%%%n", n.address(), n.slots(), n.chunks(),
                        n.busyMillis(), n.meanResponseMillis(), 100 * n.efficiency());
                }
                if (report.nodes().size() > 1) {
                    out.printf(Locale.ROOT, "  variance of the nodes' mean response times: %.4f ms^2%n",
                        report.nodeResponseVariance());
                }
            }
        }
        if (baseline != null && report != null) {
            out.printf(Locale.ROOT, "  baseline (one thread, same kernel, this JVM): %.1f ms   speedup %.2f   "
                    + "efficiency %.2f per core (%d cores)%n",
                baseline.millis(), report.speedup(), report.efficiency(), report.cores());
            out.println("  baseline answer: " + baseline.summary());
            out.printf(Locale.ROOT, "  ceiling (the same %d chunks on a ForkJoinPool of %d threads, this JVM, no grid): %.1f ms"
                    + "   speedup %.2f   grid at %.2f of the ceiling%n",
                report.chunks(), baseline.ceilingThreads(), baseline.ceilingMillis(), report.ceilingSpeedup(),
                report.ofCeiling());
        }
        if (repeat != null) {
            out.printf(Locale.ROOT, "  over %d runs (after %d warm-up runs; the report above is the median run), failed %d%n",
                repeat.runs(), repeat.warmUpRuns(), repeat.failed());
            out.println("    round trip ms (client)   " + percentiles(repeat.roundTripMillis()));
            out.println("    makespan ms (grid)       " + percentiles(repeat.makespanMillis()));
        }
    }

    static String percentiles(JobReport.Percentiles p) {
        return String.format(Locale.ROOT, "p50 %.3f  p95 %.3f  p99 %.3f  max %.3f", p.p50(), p.p95(), p.p99(), p.max());
    }
}
