package org.pekkogrid.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.XYChart;
import org.pekkogrid.protocol.JobSpec;

/**
 * The files of {@code grid bench load}: {@code runs.csv} (every job), {@code summary.csv} (each
 * phase's figures), {@code heap.csv}, the latency and completion plots and {@code report.md}.
 */
final class LoadReport {

    private LoadReport() {}

    static void write(BenchContext context, LoadRun run) throws IOException {
        writeRuns(context, run);
        writeSummary(context, run);
        plot(context, run);
        report(context, run);
    }

    static Findings findings(String experiment, LoadRun run) {
        return new Findings(experiment, "Load", List.of(sentence(run.mixed(), run.size()),
            sentence(run.oneChunk(), run.size()), heapSentence(run)));
    }

    private static void writeRuns(BenchContext context, LoadRun run) throws IOException {
        try (CsvFile csv = CsvFile.create(context.dir().resolve("runs.csv"), "phase", "client", "job", "workload",
                "params", "chunks", "outcome", "status", "job_id", "submitted_at_ms", "round_trip_ms", "makespan_ms",
                "chunks_done", "duplicates", "retries", "failed_attempts", "answer", "error")) {
            for (LoadPhase p : run.phases()) {
                long start = p.startMicros();
                for (LoadJob j : p.jobs()) {
                    csv.row(p.kind().label, j.client(), j.index(), j.spec().workload(), params(j.spec()),
                        j.spec().chunks(), j.outcome(), j.status(), j.jobId(),
                        j.submittedAtMicros() > 0 ? (j.submittedAtMicros() - start) / 1000.0 : null,
                        j.roundTripMillis(), j.makespanMillis(), j.chunksDone() < 0 ? null : j.chunksDone(),
                        j.duplicates(), j.retries(), j.failedAttempts(), j.answer(), j.error());
                }
            }
        }
    }

    private static void writeSummary(BenchContext context, LoadRun run) throws IOException {
        try (CsvFile csv = CsvFile.create(context.dir().resolve("summary.csv"), "phase", "clients", "jobs", "exact",
                "wrong", "failed", "rejected", "lost", "wall_s", "jobs_per_s", "p50_ms", "p99_ms", "max_ms", "chunks",
                "chunks_done", "duplicates", "retries")) {
            for (LoadPhase p : run.phases()) {
                csv.row(p.kind().label, p.clients(), p.jobs().size(), p.count(LoadJob.Outcome.EXACT),
                    p.count(LoadJob.Outcome.WRONG), p.count(LoadJob.Outcome.FAILED), p.count(LoadJob.Outcome.REJECTED),
                    p.count(LoadJob.Outcome.LOST), p.wallSeconds(), p.jobsPerSecond(), p.percentileMillis(50),
                    p.percentileMillis(99), p.maxMillis(), p.chunksAsked(), p.chunksDone(), p.duplicates(), p.retries());
            }
        }
        try (CsvFile csv = CsvFile.create(context.dir().resolve("heap.csv"), "moment", "head_live_heap_bytes", "note")) {
            for (LoadRun.Moment m : LoadRun.Moment.values()) {
                LiveHeap.Reading r = run.heapAt(m);
                csv.row(m.label, r.known() ? r.bytes() : null, r.known() ? "" : r.unavailable());
            }
        }
    }

    private static void plot(BenchContext context, LoadRun run) throws IOException {
        XYChart curve = Charts.lines("Job latency under load (submit → answer), exact jobs", "percentile",
            "round trip, ms");
        curve.getStyler().setYAxisMin(0.0);
        for (LoadPhase p : run.phases()) {
            Map<String, List<LoadJob>> series = new LinkedHashMap<>();
            if (p.kind() == LoadPhase.Kind.MIXED) {
                p.exactByWorkload().forEach((w, jobs) -> series.put(p.kind().label + ": " + w, jobs));
            } else {
                series.put(p.kind().label + ": noop, 1 chunk", p.exact());
            }
            for (Map.Entry<String, List<LoadJob>> e : series.entrySet()) {
                if (e.getValue().isEmpty()) continue;
                Histogram h = LoadPhase.histogram(e.getValue());
                double[] percentiles = LatencyExperiment.PERCENTILES;
                double[] y = new double[percentiles.length];
                for (int i = 0; i < y.length; i++) y[i] = h.getValueAtPercentile(percentiles[i]) / 1000.0;
                curve.addSeries(e.getKey() + " (" + e.getValue().size() + " jobs)", percentiles, y);
            }
        }
        if (curve.getSeriesCollection().isEmpty()) curve.addSeries("no exact job", new double[] {0}, new double[] {0});
        Charts.save(curve, context.dir().resolve("latency.png"));

        XYChart done = Charts.lines("Exact answers over time", "seconds since the phase's first submit",
            "% of the phase's jobs answered exact");
        done.getStyler().setYAxisMin(0.0);
        done.getStyler().setYAxisMax(100.0);
        done.getStyler().setXAxisMin(0.0);
        for (LoadPhase p : run.phases()) {
            double[] at = p.exact().stream().mapToDouble(j -> (j.endedAtMicros() - p.startMicros()) / 1e6).sorted()
                .toArray();
            if (at.length == 0) continue;
            double[] percent = new double[at.length];
            for (int i = 0; i < percent.length; i++) percent[i] = 100.0 * (i + 1) / p.jobs().size();
            done.addSeries(p.kind().label + " (" + Figures.count(p.jobs().size()) + " jobs)", at, percent);
        }
        if (done.getSeriesCollection().isEmpty()) done.addSeries("no exact job", new double[] {0}, new double[] {0});
        Charts.save(done, context.dir().resolve("completions.png"));
    }

    static String sentence(LoadPhase p, LoadSize size) {
        String what = p.kind() == LoadPhase.Kind.MIXED
            ? size.clients() + " client JVMs × " + size.jobsPerClient() + " mixed jobs at once"
            : Figures.count(size.inFlight()) + " one-chunk jobs in flight from one client";
        return what + ": " + Figures.amount(p.jobsPerSecond()) + " jobs/s, p50 " + Figures.millis(p.percentileMillis(50))
            + " ms, p99 " + Figures.millis(p.percentileMillis(99)) + " ms; " + Figures.count(p.count(LoadJob.Outcome.EXACT))
            + " of " + Figures.count(p.jobs().size()) + " exact, " + Figures.count(p.count(LoadJob.Outcome.REJECTED))
            + " rejected, " + Figures.count(p.broken()) + " lost, wrong or failed.";
    }

    static String heapSentence(LoadRun run) {
        LiveHeap.Reading before = run.heapAt(LoadRun.Moment.BEFORE);
        LiveHeap.Reading middle = run.heapAt(LoadRun.Moment.AFTER_MIXED);
        LiveHeap.Reading after = run.heapAt(LoadRun.Moment.AFTER_ONE_CHUNK);
        for (LiveHeap.Reading r : List.of(before, middle, after)) {
            if (!r.known()) return "The head's live heap was not read: " + r.unavailable() + ".";
        }
        return "Head live heap (after full GC) " + Figures.bytes(before.bytes()) + " before, "
            + Figures.bytes(middle.bytes()) + " after the mixed jobs, " + Figures.bytes(after.bytes()) + " at the end ("
            + String.format(Locale.ROOT, "%+.1f", (after.bytes() - before.bytes()) / 1048576.0) + " MiB).";
    }

    private static String params(JobSpec spec) {
        return String.join(" ", spec.params().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private static String mixText(boolean quick) {
        return String.join(", ", LoadExperiment.mix(quick).stream().map(s -> "`" + s.workload() + "` "
            + (s.params().isEmpty() ? "" : params(s) + " ") + "in " + Figures.count(s.chunks()) + " chunks").toList());
    }

    private static void report(BenchContext context, LoadRun run) throws IOException {
        LoadSize size = run.size();
        Markdown md = new Markdown();
        md.heading(1, "Load: " + size.clients() + " clients × " + size.jobsPerClient() + " jobs at once, then "
            + Figures.count(size.inFlight()) + " one-chunk jobs in flight");
        md.paragraph("First " + size.clients() + " client JVMs connect, and at one signal each submits its "
            + size.jobsPerClient() + " jobs at once: " + Figures.count(run.mixed().jobs().size()) + " jobs of "
            + mixText(context.quick()) + ". Then one client JVM submits " + Figures.count(size.inFlight())
            + " one-chunk `noop` jobs at once. Every answer is compared with the one worked out in the bench JVM (each "
            + "chunk run and folded once), and a job counts as exact only if its answer is that one and the head "
            + "counted each of its chunks done exactly once. Latency is each job's round trip as its client measured "
            + "it: submit → final answer.");
        md.paragraph("**" + sentence(run.mixed(), size) + " " + sentence(run.oneChunk(), size) + " "
            + heapSentence(run) + "**");
        List<List<String>> rows = new ArrayList<>();
        for (LoadPhase p : run.phases()) {
            rows.add(List.of(p.kind().label, Figures.count(p.jobs().size()), Figures.count(p.count(LoadJob.Outcome.EXACT)),
                Figures.count(p.count(LoadJob.Outcome.REJECTED)), Figures.count(p.count(LoadJob.Outcome.WRONG)),
                Figures.count(p.count(LoadJob.Outcome.FAILED)), Figures.count(p.count(LoadJob.Outcome.LOST)),
                Figures.amount(p.jobsPerSecond()), Figures.millis(p.percentileMillis(50)),
                Figures.millis(p.percentileMillis(99)), Figures.millis(p.maxMillis())));
        }
        md.table(List.of("phase", "jobs", "exact", "rejected", "wrong", "failed", "lost", "jobs/s", "p50 ms", "p99 ms",
            "max ms"), rows);
        md.heading(2, "Every chunk counted once");
        List<List<String>> chunks = new ArrayList<>();
        for (LoadPhase p : run.phases()) {
            chunks.add(List.of(p.kind().label, Figures.count(p.chunksAsked()), Figures.count(p.chunksDone()),
                Figures.count(p.duplicates()), Figures.count(p.retries())));
        }
        md.table(List.of("phase", "chunks of the jobs that ran", "chunks done (each counted once)",
            "duplicate results dropped", "chunk attempts retried"), chunks);
        md.paragraph("A duplicate is a second result for a chunk already counted (an attempt that was given up on "
            + "and finished after all); the head drops it, so nothing is folded twice. The retries are flaky's "
            + "failed attempts, by design.");
        md.heading(2, "The head's heap");
        List<List<String>> heapRows = new ArrayList<>();
        for (LoadRun.Moment m : LoadRun.Moment.values()) {
            LiveHeap.Reading r = run.heapAt(m);
            heapRows.add(List.of(m.label, r.known() ? Figures.bytes(r.bytes()) : "n/a", r.known() ? "" : r.unavailable()));
        }
        md.table(List.of("moment", "live heap (after full GC)", "note"), heapRows);
        md.paragraph("Read by the bench through the attach API: the head JVM runs " + LiveHeap.COLLECTIONS
            + " full collections and the least heap in use after one is taken, so garbage not yet collected does not "
            + "count. By design the head keeps the last 100 finished jobs (`grid.head.finished-jobs-kept`), the full "
            + "reports of the last 10 (`grid.head.reports-kept`; a report of a 10^5-chunk job holds 10,000 chunk rows) "
            + "and the last 10,000 submission ids (a submit sent again gets its job, not a second one): the heap after "
            + "the mixed phase holds ten large reports, and those bounds are what it may grow by.");
        List<String> reasons = new ArrayList<>();
        for (LoadPhase p : run.phases()) {
            p.reasons().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                .forEach(e -> reasons.add(p.kind().label + ", " + Figures.count(e.getValue()) + " × " + e.getKey()));
        }
        if (!reasons.isEmpty()) {
            md.heading(2, "Jobs that did not end exact");
            md.paragraph("Rejected jobs never ran: the head refused them at submit and said why. They are counted, not "
                + "submitted again, and their round trips are not in the percentiles.");
            md.bullets(reasons);
        }
        md.image("job latency at each percentile", "latency.png");
        md.image("exact answers over time", "completions.png");
        md.heading(2, "Method");
        md.paragraph(context.options().remote()
            ? "The grid at --seed (" + run.grid().workerNodes() + " worker nodes, " + run.grid().slots() + " slots); "
                + "the client JVMs are started here, with " + String.join(" ", LoadExperiment.CLIENT_JVM_OPTIONS)
                + ". One run (--repeat does not apply)."
            : "A head JVM and " + LoadExperiment.WORKERS + " worker JVMs (one slot each) started by the bench (`grid "
                + "head --port 0`, `grid worker --seed … --cores 1`, each with " + String.join(" ", LocalCluster.JVM_OPTIONS)
                + ", and a job journal of their own in a temporary directory: the head writes each job's acceptance "
                + "and its end); the client JVMs with " + String.join(" ", LoadExperiment.CLIENT_JVM_OPTIONS) + ". One "
                + "run (--repeat does not apply). The JVMs share this machine's cores."
                + (context.quick() ? " **--quick: small sizes, for checking the bench itself.**" : ""));
        md.bullets(List.of(
            "Grid settings given with --grid-setting: " + context.options().describeGridSettings() + ".",
            "Warm-up, not counted: each workload once at its size and 50 one-chunk jobs, from the bench JVM's client; "
                + "then each client JVM, once connected, runs one-chunk jobs (" + LoadClient.WARM_UP_IN_FLIGHT
                + " at a time) before it says it is ready: " + LoadExperiment.clientWarmUpJobs(LoadPhase.Kind.MIXED,
                context.quick()) + " in the mixed phase, " + LoadExperiment.clientWarmUpJobs(LoadPhase.Kind.ONE_CHUNK,
                context.quick()) + " in the one-chunk phase.",
            "jobs/s = exact answers / (first submit → last exact answer); p50 and p99 over the exact jobs "
                + "(HdrHistogram, 3 significant digits).",
            "Every job is in `runs.csv` (outcome, answer, round trip and the head's makespan, chunks done, "
                + "duplicates, retries, error), the figures in "
                + "`summary.csv`, the heap readings in `heap.csv`; in `logs/` each client's jobs and output, and the "
                + "nodes' logs."));
        md.heading(2, "Machine");
        md.append(context.machine().markdown());
        md.write(context.dir().resolve("report.md"));
    }
}
