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
import org.pekkogrid.bench.ReportFiles;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobListener;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.worker.WarmUp;
import org.pekkogrid.workloads.BoundJob;

/** Runs one job (or the same job --repeat times) through a client and reports it. */
final class JobSession {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The sequential baseline, run in this JVM on the same kernel. */
    record Baseline(double millis, JsonNode answer, String summary) {}

    /** Repeated runs: round trips seen by the client and the grid's makespans, in ms. */
    record Repeat(int runs, int warmUpRuns, int failed, JobReport.Percentiles roundTripMillis,
                  JobReport.Percentiles makespanMillis) {}

    private JobSession() {}

    static int run(String command, GridClient client, JobSpec spec, JobOptions options, PrintStream out,
                   PrintStream err) throws Exception {
        List<JobResult> results = new ArrayList<>();
        int total = options.repeat;
        int warmUps = options.warmUps();
        JobResult last;
        if (total == 1) {
            try (ProgressLine progress = new ProgressLine(spec.workload(), !options.noProgress);
                 TimingsFile timings = options.timings == null ? null : new TimingsFile(options.timings)) {
                last = client.submit(spec, new JobListener() {
                    @Override
                    public void onQueued(JobEvent.Queued q) {
                        progress.queued(q);
                    }

                    @Override
                    public void onProgress(JobEvent.Progress p) {
                        progress.accept(p);
                    }

                    @Override
                    public void onTimings(List<JobReport.ChunkRow> rows) {
                        if (timings != null) timings.append(rows);
                    }
                }).result().toCompletableFuture().join();
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
        if (repeat != null && last.completed()) last = medianRun(results);
        Baseline baseline = options.baseline && last.completed() ? baseline(spec) : null;
        JobReport report = last.report();
        if (report != null && baseline != null) report = report.withBaseline(baseline.millis());
        if (options.reportDir != null && report != null) {
            ReportFiles.write(last, report, options.reportDir);
            err.println(command + ": report written to " + options.reportDir.resolve(ReportFiles.MARKDOWN));
            err.flush();
        }
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
        java.nio.file.Path scratch = java.nio.file.Files.createTempDirectory("grid-baseline-");
        try {
            long start = System.nanoTime();
            Object answer = job.runSequential(scratch);
            double millis = (System.nanoTime() - start) / 1e6;
            return new Baseline(millis, job.answerJson(answer), job.summarize(answer));
        } finally {
            deleteTree(scratch);
        }
    }

    private static void deleteTree(java.nio.file.Path dir) throws java.io.IOException {
        try (var paths = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    /** Of repeated runs, the completed one with the median makespan: the run a report should show. */
    private static JobResult medianRun(List<JobResult> results) {
        List<JobResult> completed = new ArrayList<>(results.stream().filter(JobResult::completed).toList());
        completed.sort(java.util.Comparator.comparingDouble(r -> r.report().makespanMillis()));
        return completed.get(completed.size() / 2);
    }

    private static Repeat repeatStats(List<JobResult> results, int warmUps) {
        Histogram roundTrips = new Histogram(3);
        Histogram makespans = new Histogram(3);
        int failed = 0;
        for (JobResult r : results) {
            roundTrips.recordValue(Math.max(1, r.roundTripNanos()));
            if (r.report() != null) makespans.recordValue(Math.max(1, (long) (r.report().makespanMillis() * 1e6)));
            if (!r.completed()) failed++;
        }
        return new Repeat(results.size(), warmUps, failed, percentiles(roundTrips), percentiles(makespans));
    }

    private static JobReport.Percentiles percentiles(Histogram h) {
        if (h.getTotalCount() == 0) return JobReport.Percentiles.EMPTY;
        return new JobReport.Percentiles(h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(95) / 1e6,
            h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6, h.getMean() / 1e6, h.getTotalCount());
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
