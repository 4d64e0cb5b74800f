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
        return run(command, client, spec, options, null, out, err);
    }

    /** @param jar the workload jar the job ships ({@code spec.jar()} is its SHA-256), for the baseline; null for none */
    static int run(String command, GridClient client, JobSpec spec, JobOptions options, java.nio.file.Path jar,
                   PrintStream out, PrintStream err) throws Exception {
        List<JobResult> results = new ArrayList<>();
        int total = options.repeat;
        int warmUps = options.warmUps();
        LocalRuns local = options.baseline ? new LocalRuns(spec, jar, options.noProgress ? m -> { } : m -> {
            err.println(command + ": " + m);
            err.flush();
        }) : null;
        JobResult last;
        try {
            if (total == 1) {
                last = submitWithProgress(command, client, spec, options, err);
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
            if (options.json) out.println(JSON.writeValueAsString(json(last, null, null, null)));
            out.flush();
            return GridMain.BAD_INPUT;
        }
        Repeat repeat = total == 1 ? null : repeatStats(results, warmUps);
        if (repeat != null && last.completed()) last = medianRun(results);
        Baseline baseline = local != null && last.completed() ? local.baseline() : null;
        print(command, last, baseline, repeat, options.json, options.reportDir, out, err);
        if (repeat != null && last.completed() && repeat.failed() > 0) return GridMain.FAILED;
        return exitStatus(last);
    }

    /** The exit status of a command that followed this job to its end. */
    static int exitStatus(JobResult r) {
        return switch (r.status()) {
            case COMPLETED -> GridMain.COMPLETED;
            case CANCELLED -> GridMain.CANCELLED;
            case REJECTED -> GridMain.BAD_INPUT;
            case FAILED -> GridMain.FAILED;
        };
    }

    /** Prints how the job ended: its report, written to {@code reportDir} too when given. */
    static void print(String command, JobResult last, Baseline baseline, Repeat repeat, boolean json,
                      java.nio.file.Path reportDir, PrintStream out, PrintStream err) throws Exception {
        JobReport report = last.report();
        if (report != null && baseline != null) report = report.withBaseline(baseline.millis(), baseline.ceilingMillis());
        if (reportDir != null && report != null) {
            ReportFiles.write(last, report, reportDir);
            err.println(command + ": report written to " + reportDir.resolve(ReportFiles.MARKDOWN));
            err.flush();
        }
        if (json) {
            out.println(JSON.writeValueAsString(json(last, report, baseline, repeat)));
        } else {
            JobPrinter.print(out, last, report, baseline, repeat);
        }
        out.flush();
    }

    /**
     * Submits the job and follows it with a progress line. Ctrl-C or SIGTERM meanwhile cancels the
     * job (it ends CANCELLED, and the command says so on stderr) instead of leaving it to run.
     */
    private static JobResult submitWithProgress(String command, GridClient client, JobSpec spec, JobOptions options,
                                                PrintStream err) throws Exception {
        try (ProgressLine progress = new ProgressLine(spec.workload(), !options.noProgress);
             TimingsFile timings = options.timings == null ? null : new TimingsFile(options.timings)) {
            java.util.concurrent.atomic.AtomicReference<org.pekkogrid.client.JobHandle> handle =
                new java.util.concurrent.atomic.AtomicReference<>();
            JobResult r;
            try (TerminationSignals signals = new TerminationSignals(signal -> {
                    err.println(command + ": SIG" + signal + ": cancelling the job (again to exit at once)");
                    err.flush();
                    handle.get().cancel("asked by SIG" + signal + " on " + command + " (pid "
                        + ProcessHandle.current().pid() + ")");
                })) {
                handle.set(client.submit(spec, listener(progress, timings)));
                r = handle.get().result().toCompletableFuture().join();
                progress.finish(r);
                if (r.status() == JobResult.Status.CANCELLED && signals.received() != null) {
                    progress.close();
                    err.println(command + ": cancelled " + r.jobId());
                    err.flush();
                }
            }
            return r;
        }
    }

    static JobListener listener(ProgressLine progress, TimingsFile timings) {
        return new JobListener() {
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
        };
    }

    /**
     * {@code grid submit --detach}: once the head accepted the job, prints its id (with --json one
     * object: job, workload, chunks, state) and returns; the job runs on without this client.
     */
    static int detach(String command, GridClient client, JobSpec spec, boolean json, PrintStream out, PrintStream err)
            throws Exception {
        JobEvent.Accepted accepted;
        try {
            accepted = client.submitDetached(spec).toCompletableFuture().get();
        } catch (java.util.concurrent.ExecutionException e) {
            String why = e.getCause() == null ? e.toString() : e.getCause().getMessage();
            err.println(command + ": " + why);
            err.flush();
            if (json) {
                ObjectNode o = JSON.createObjectNode();
                o.putNull("job");
                o.put("workload", spec.workload());
                o.put("status", e.getCause() instanceof IllegalArgumentException ? "REJECTED" : "FAILED");
                o.putNull("result");
                o.putNull("summary");
                o.put("error", why);
                o.putNull("report");
                out.println(JSON.writeValueAsString(o));
                out.flush();
            }
            return e.getCause() instanceof IllegalArgumentException ? GridMain.BAD_INPUT : GridMain.FAILED;
        }
        String state = accepted.runner() == null ? "QUEUED" : "RUNNING";
        if (json) {
            ObjectNode o = JSON.createObjectNode();
            o.put("job", accepted.jobId());
            o.put("workload", accepted.workload());
            o.put("chunks", accepted.chunks());
            o.put("status", state);
            out.println(JSON.writeValueAsString(o));
        } else {
            out.println(accepted.jobId());
            err.println(command + ": " + accepted.workload() + " " + state + " as " + accepted.jobId() + " (" + accepted.chunks()
                + " chunks); it runs on without this client: `grid watch " + accepted.jobId() + "` follows it, `grid cancel "
                + accepted.jobId() + "` stops it");
            err.flush();
        }
        out.flush();
        return GridMain.COMPLETED;
    }

    /** The sequential baseline and the ceiling of one job, run in this JVM as often as the grid's measured runs. */
    private static final class LocalRuns implements AutoCloseable {
        private final JobSpec spec;
        private final java.nio.file.Path jar;
        /** Says what runs now: each run takes seconds, with nothing else on the screen. */
        private final java.util.function.Consumer<String> say;
        private final ForkJoinPool pool = LocalRun.ceilingPool();
        private BoundJob<?, ?, ?, ?> job;
        private final List<Double> sequentialMillis = new ArrayList<>();
        private final List<Double> ceilingMillis = new ArrayList<>();
        private LocalRun lastSequential;
        private LocalRun lastCeiling;

        LocalRuns(JobSpec spec, java.nio.file.Path jar, java.util.function.Consumer<String> say) {
            this.spec = spec;
            this.jar = jar;
            this.say = say;
        }

        /** After a grid run that completed: the grid has checked the job, and tells bad input its own way. */
        void runBoth() throws Exception {
            if (job == null && spec.jar() != null) {
                // The workload from the jar, in a class loader of its own as on the nodes (not warmed up:
                // the nodes do not warm workloads from jars either).
                org.pekkogrid.workloads.WorkloadJars local = new org.pekkogrid.workloads.WorkloadJars(
                    java.nio.file.Files.createTempDirectory("grid-baseline-jar"), Long.MAX_VALUE);
                local.store(spec.jar(), java.nio.file.Files.readAllBytes(jar));
                job = BoundJob.bind(local.use(spec.jar(), spec.workload(), "baseline"), spec.params(), spec.chunks(),
                    Long.MAX_VALUE, org.pekkogrid.workloads.FileRoots.UNRESTRICTED);
            }
            if (job == null) {
                job = BoundJob.bind(spec.workload(), spec.params(), spec.chunks(), Long.MAX_VALUE);
                // Compiles the kernel here, as the workers did when they started.
                WarmUp.one(job.workload().name(), Duration.ofMillis(500));
            }
            say.accept("running the single-thread baseline (the job's chunks on one thread, this JVM)...");
            lastSequential = LocalRun.sequential(job);
            sequentialMillis.add(lastSequential.millis());
            say.accept("running the ceiling (the same chunks on a ForkJoinPool of " + pool.getParallelism()
                + " threads, this JVM)...");
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
