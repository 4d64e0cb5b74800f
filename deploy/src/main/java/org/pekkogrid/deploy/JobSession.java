package org.pekkogrid.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
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
import org.pekkogrid.workloads.LocalRun;

/** Runs one job (or the same job --repeat times) through a client and reports it. */
final class JobSession {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The job run in this JVM with no grid, beside the grid's runs: the sequential baseline and the
     * ceiling (see {@link LocalRun}); medians when the job ran {@code --repeat} times.
     *
     * @param ceilingThreads threads of the ceiling's pool: this JVM's processors
     */
    record Baseline(double millis, JsonNode answer, String summary, double ceilingMillis, JsonNode ceilingAnswer,
                    int ceilingThreads) {}

    /** Repeated runs: round trips seen by the client and the grid's makespans, in ms. */
    record Repeat(int runs, int warmUpRuns, int failed, JobReport.Percentiles roundTripMillis,
                  JobReport.Percentiles makespanMillis) {}

    private JobSession() {}

    static int run(String command, GridClient client, JobSpec spec, JobOptions options, PrintStream out,
                   PrintStream err) throws Exception {
        List<JobResult> results = new ArrayList<>();
        int total = options.repeat;
        int warmUps = options.warmUps();
        LocalRuns local = options.baseline ? new LocalRuns(spec) : null;
        JobResult last;
        try {
            if (total == 1) {
                last = submitWithProgress(client, spec, options);
                if (local != null && last.completed()) local.runBoth();
            } else {
                last = null;
                for (int i = 0; i < total; i++) {
                    last = client.submit(spec).result().toCompletableFuture().join();
                    if (last.status() == JobResult.Status.REJECTED) break;
                    if (i < warmUps) continue;
                    results.add(last);
                    // Right after each measured grid run, so that a noisy minute hits all three alike.
                    if (local != null && last.completed()) local.runBoth();
                }
            }
        } finally {
            if (local != null) local.close();
        }
        if (last.status() == JobResult.Status.REJECTED) {
            err.println(command + ": " + last.error());
            err.flush();
            return GridMain.BAD_INPUT;
        }
        Repeat repeat = total == 1 ? null : repeatStats(results, warmUps);
        if (repeat != null && last.completed()) last = medianRun(results);
        Baseline baseline = local != null && last.completed() ? local.baseline() : null;
        JobReport report = last.report();
        if (report != null && baseline != null) report = report.withBaseline(baseline.millis(), baseline.ceilingMillis());
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

    private static JobResult submitWithProgress(GridClient client, JobSpec spec, JobOptions options) throws Exception {
        try (ProgressLine progress = new ProgressLine(spec.workload(), !options.noProgress);
             TimingsFile timings = options.timings == null ? null : new TimingsFile(options.timings)) {
            return client.submit(spec, new JobListener() {
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
    }

    /** The sequential baseline and the ceiling of one job, run in this JVM as often as the grid's measured runs. */
    private static final class LocalRuns implements AutoCloseable {
        private final JobSpec spec;
        private final ForkJoinPool pool = LocalRun.ceilingPool();
        private BoundJob<?, ?, ?, ?> job;
        private final List<Double> sequentialMillis = new ArrayList<>();
        private final List<Double> ceilingMillis = new ArrayList<>();
        private LocalRun lastSequential;
        private LocalRun lastCeiling;

        LocalRuns(JobSpec spec) {
            this.spec = spec;
        }

        /** After a grid run that completed: the grid has checked the job, and tells bad input its own way. */
        void runBoth() throws Exception {
            if (job == null) {
                job = BoundJob.bind(spec.workload(), spec.params(), spec.chunks(), Long.MAX_VALUE);
                // Compiles the kernel here, as the workers did when they started.
                WarmUp.one(job.workload().name(), Duration.ofMillis(500));
            }
            lastSequential = LocalRun.sequential(job);
            sequentialMillis.add(lastSequential.millis());
            lastCeiling = LocalRun.ceiling(job, pool);
            ceilingMillis.add(lastCeiling.millis());
        }

        Baseline baseline() {
            if (lastSequential == null) return null;
            return new Baseline(median(sequentialMillis), job.answerJson(lastSequential.answer()),
                lastSequential.summary(), median(ceilingMillis), job.answerJson(lastCeiling.answer()),
                pool.getParallelism());
        }

        private static double median(List<Double> values) {
            List<Double> sorted = values.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }

        @Override
        public void close() {
            pool.shutdownNow();
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
            o.set("ceilingResult", baseline.ceilingAnswer());
        }
        if (repeat != null) o.set("repeat", JSON.valueToTree(repeat));
        return o;
    }
}
