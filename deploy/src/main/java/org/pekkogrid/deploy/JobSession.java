package org.pekkogrid.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.worker.WarmUp;
import org.pekkogrid.workloads.BoundJob;

/** Runs one job (or the same job --repeat times) through a client and reports it. */
final class JobSession {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The sequential baseline, run in this JVM on the same kernel. */
    record Baseline(double millis, JsonNode answer, String summary) {}

    /** Round trips of repeated runs, in ms. */
    record Repeat(int runs, int warmUpRuns, int failed, JobReport.Percentiles roundTripMillis) {}

    private JobSession() {}

    static int run(String command, GridClient client, JobSpec spec, JobOptions options, PrintStream out,
                   PrintStream err) throws Exception {
        List<JobResult> results = new ArrayList<>();
        int total = options.repeat;
        int warmUps = options.warmUps();
        JobResult last;
        if (total == 1) {
            try (ProgressLine progress = new ProgressLine(spec.workload(), !options.noProgress)) {
                last = client.submit(spec, progress).result().toCompletableFuture().join();
            }
        } else {
            last = null;
            for (int i = 0; i < total; i++) {
                last = client.submit(spec).result().toCompletableFuture().join();
                if (last.status() == JobResult.Status.REJECTED) break;
                if (i >= warmUps) results.add(last);
            }
        }
        if (last.status() == JobResult.Status.REJECTED) {
            err.println(command + ": " + last.error());
            err.flush();
            return GridMain.BAD_INPUT;
        }
        Repeat repeat = total == 1 ? null : repeatStats(results, warmUps);
        Baseline baseline = options.baseline && last.completed() ? baseline(spec) : null;
        JobReport report = last.report();
        if (report != null && baseline != null) report = report.withBaseline(baseline.millis());
        if (options.json) {
            out.println(JSON.writeValueAsString(json(last, report, baseline, repeat)));
        } else {
            JobPrinter.print(out, last, report, baseline, repeat);
        }
        out.flush();
        boolean allCompleted = last.completed() && (repeat == null || repeat.failed() == 0);
        return allCompleted ? GridMain.COMPLETED : GridMain.FAILED;
    }

    static Baseline baseline(JobSpec spec) throws Exception {
        BoundJob<?, ?, ?, ?> job = BoundJob.bind(spec.workload(), spec.params(), spec.chunks(), Long.MAX_VALUE);
        WarmUp.one(spec.workload(), Duration.ofMillis(500));
        long start = System.nanoTime();
        Object answer = job.runSequential();
        double millis = (System.nanoTime() - start) / 1e6;
        return new Baseline(millis, job.answerJson(answer), job.summarize(answer));
    }

    private static Repeat repeatStats(List<JobResult> results, int warmUps) {
        Histogram h = new Histogram(3);
        int failed = 0;
        for (JobResult r : results) {
            h.recordValue(Math.max(1, r.roundTripNanos()));
            if (!r.completed()) failed++;
        }
        JobReport.Percentiles p = new JobReport.Percentiles(h.getValueAtPercentile(50) / 1e6,
            h.getValueAtPercentile(95) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6,
            h.getMean() / 1e6, h.getTotalCount());
        return new Repeat(results.size(), warmUps, failed, p);
    }

    static ObjectNode json(JobResult r, JobReport report, Baseline baseline, Repeat repeat) {
        ObjectNode o = JSON.createObjectNode();
        o.put("job", r.jobId());
        o.put("workload", r.workload());
        o.put("status", r.status().name());
        o.set("result", r.result());
        o.put("summary", r.summary());
        o.put("error", r.error());
        o.set("report", report == null ? null : JSON.valueToTree(report));
        if (baseline != null) {
            o.set("baselineResult", baseline.answer());
        }
        if (repeat != null) o.set("repeat", JSON.valueToTree(repeat));
        return o;
    }
}
