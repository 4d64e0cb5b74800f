package org.pekkogrid.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Locale;
import org.pekkogrid.protocol.JobDetail;
import org.pekkogrid.protocol.JobReport;

/**
 * One job in a few lines, for {@code grid status --job}: its state, progress, result and the key
 * figures of its report; not the report's per-chunk rows and samples (megabytes for a big job,
 * which {@code --full} prints).
 */
final class JobSummary {

    private JobSummary() {}

    static void print(PrintStream out, JobDetail j) {
        out.printf(Locale.ROOT, "%s  %s  %s%s  %s chunks%n", j.job(), j.workload(), j.state(),
            j.queuePosition() > 0 ? " #" + j.queuePosition() : "", j.chunksDone() + "/" + j.chunksTotal());
        if (j.client() != null || j.acceptedAtMillis() > 0) {
            out.printf(Locale.ROOT, "  client %s   accepted %s ago   %s %s%n", j.client() == null ? "-" : j.client(),
                j.acceptedAtMillis() > 0 ? JobsCommand.duration(System.currentTimeMillis() - j.acceptedAtMillis()) : "-",
                j.state().equals("RUNNING") ? "running for" : "ran", JobsCommand.duration(j.runMillis()));
        }
        if (j.outcome() != null) out.println("  " + (j.state().equals("FAILED") ? "error: " : "") + j.outcome());
        if (j.result() != null && !j.result().isNull()) out.println("  result: " + j.result());
        JobReport r = j.report();
        if (r != null) {
            out.printf(Locale.ROOT, "  makespan %.1f ms   %d of %d chunks   %.0f chunks/s   %.4g items/s%n",
                r.makespanMillis(), r.chunksDone(), r.chunks(), r.chunksPerSecond(), r.itemsPerSecond());
            out.println("  chunk latency ms  " + JobPrinter.percentiles(r.latencyMillis()));
            out.printf(Locale.ROOT, "  retries %d   failed chunks %d   failed items %d   nodes %d%n", r.retries(),
                r.failedChunks(), r.failedItems(), r.nodes().size());
        }
        out.println("  (the whole report as JSON: --full)");
    }

    static ObjectNode json(JobDetail j) {
        ObjectNode o = JobSession.JSON.createObjectNode();
        o.put("job", j.job());
        o.put("workload", j.workload());
        o.put("state", j.state());
        o.put("chunksDone", j.chunksDone());
        o.put("chunksTotal", j.chunksTotal());
        o.put("queuePosition", j.queuePosition());
        o.put("outcome", j.outcome());
        o.set("result", j.result());
        o.put("acceptedAtMillis", j.acceptedAtMillis());
        o.put("runMillis", j.runMillis());
        o.put("client", j.client());
        JobReport r = j.report();
        if (r == null) {
            o.putNull("report");
            return o;
        }
        ObjectNode report = o.putObject("report");
        report.put("chunks", r.chunks());
        report.put("chunksDone", r.chunksDone());
        report.put("makespanMillis", r.makespanMillis());
        report.put("chunksPerSecond", r.chunksPerSecond());
        report.put("itemsPerSecond", r.itemsPerSecond());
        report.set("latencyMillis", JobSession.JSON.valueToTree(r.latencyMillis()));
        report.set("runMillis", JobSession.JSON.valueToTree(r.runMillis()));
        report.put("retries", r.retries());
        report.put("failedChunks", r.failedChunks());
        report.put("failedItems", r.failedItems());
        report.put("nodes", r.nodes().size());
        return o;
    }
}
