package org.pekkogrid.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobSpec;

/**
 * Round trips of one-chunk noop jobs, seen by the client (submit → final answer): back to back,
 * and with K jobs in flight from one client. This is the grid's fixed cost per job.
 */
final class LatencyExperiment implements Experiment {

    static final JobSpec NOOP = JobSpec.of("noop").withChunks(1);

    /** Jobs in flight at once; 1 is back to back. The head runs at most 64 jobs at a time. */
    static List<Integer> inFlight(boolean quick) {
        return quick ? List.of(1, 4) : List.of(1, 4, 16);
    }

    /** Where the percentile curve is drawn: denser in the tail, where latency plots are read. */
    static final double[] PERCENTILES = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.9, 100};

    static int jobs(boolean quick) {
        return quick ? 100 : 2000;
    }

    /** One scenario's repeats: round trips (ms) per repeat, and jobs per second per repeat. */
    record Point(int inFlight, List<List<Double>> roundTrips, List<Double> jobsPerSecond) {
        String label() {
            return inFlight == 1 ? "back to back" : inFlight + " in flight";
        }

        /** The percentile of each repeat, summarised over the repeats. */
        Spread percentile(double p) {
            return Spread.of(roundTrips.stream().map(r -> histogram(r).getValueAtPercentile(p) / 1000.0).toList());
        }

        Spread max() {
            return Spread.of(roundTrips.stream().map(r -> Collections.max(r)).toList());
        }

        List<Double> pooled() {
            List<Double> all = new ArrayList<>();
            roundTrips.forEach(all::addAll);
            Collections.sort(all);
            return all;
        }
    }

    @Override
    public String name() {
        return "latency";
    }

    @Override
    public int runs(BenchOptions options) {
        return inFlight(options.quick()).size() * options.repeat();
    }

    @Override
    public Findings run(BenchContext context) throws Exception {
        GridClient shared = context.grids().shared();
        if (context.options().remote()) return measure(context, shared);
        // The embedded grid's own client lives on the head's actor system; a program's client is an
        // actor system of its own that reaches the head over remoting, so connect one (in this JVM,
        // over loopback like any other).
        org.apache.pekko.actor.Address head = shared.system().address();
        try (GridClient client = GridClient.connect(head.getHost().get() + ":" + head.getPort().get())) {
            return measure(context, client);
        }
    }

    private Findings measure(BenchContext context, GridClient grid) throws Exception {
        int jobs = jobs(context.quick());
        context.note("warming up: " + jobs / 5 + " jobs");
        for (int i = 0; i < jobs / 5; i++) GridRun.of(grid, NOOP);
        runConcurrently(grid, jobs / 5, 4);
        List<Point> points = new ArrayList<>();
        try (CsvFile runs = CsvFile.create(context.dir().resolve("runs.csv"), "in_flight", "repeat", "job",
                "round_trip_ms", "makespan_ms")) {
            for (int k : inFlight(context.quick())) {
                List<List<Double>> roundTrips = new ArrayList<>();
                List<Double> rates = new ArrayList<>();
                for (int repeat = 1; repeat <= context.repeat(); repeat++) {
                    long start = System.nanoTime();
                    List<JobResult> results = runConcurrently(grid, jobs, k);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    List<Double> millis = new ArrayList<>();
                    for (int j = 0; j < results.size(); j++) {
                        JobResult r = results.get(j);
                        millis.add(r.roundTripNanos() / 1e6);
                        runs.row(k, repeat, j + 1, r.roundTripNanos() / 1e6, r.report().makespanMillis());
                    }
                    roundTrips.add(millis);
                    rates.add(jobs / seconds);
                    context.step(String.format(Locale.ROOT, "%d in flight, repeat %d: p50 %s ms, %s jobs/s", k, repeat,
                        Figures.millis(histogram(millis).getValueAtPercentile(50) / 1000.0), Figures.amount(jobs / seconds)));
                }
                points.add(new Point(k, roundTrips, rates));
            }
        }
        writeSummary(context, points);
        plot(context, points);
        report(context, points, jobs);
        return new Findings(name(), "Job round trip", List.of(headline(points)));
    }

    /** Runs {@code jobs} jobs with at most {@code inFlight} submitted and unanswered at once; results in submit order. */
    static List<JobResult> runConcurrently(GridClient grid, int jobs, int inFlight) throws Exception {
        Semaphore slots = new Semaphore(inFlight);
        List<CompletableFuture<JobResult>> results = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            slots.acquire();
            CompletableFuture<JobResult> r = grid.submit(NOOP).result().toCompletableFuture();
            r.whenComplete((x, e) -> slots.release());
            results.add(r);
        }
        List<JobResult> done = new ArrayList<>();
        for (CompletableFuture<JobResult> f : results) {
            JobResult r = f.get(60, TimeUnit.SECONDS);
            if (!r.completed()) throw new IllegalStateException("a noop job " + r.status() + ": " + r.error());
            done.add(r);
        }
        return done;
    }

    /** Round trips in microseconds, 3 significant digits. */
    static Histogram histogram(List<Double> millis) {
        Histogram h = new Histogram(3);
        for (double ms : millis) h.recordValue(Math.max(1, Math.round(ms * 1000)));
        return h;
    }

    private static void writeSummary(BenchContext context, List<Point> points) throws Exception {
        try (CsvFile csv = CsvFile.create(context.dir().resolve("summary.csv"), "in_flight", "repeats", "jobs_per_repeat",
                "p50_ms", "p95_ms", "p99_ms", "max_ms", "jobs_per_s")) {
            for (Point p : points) {
                csv.row(p.inFlight(), p.roundTrips().size(), p.roundTrips().get(0).size(), p.percentile(50).median(),
                    p.percentile(95).median(), p.percentile(99).median(), p.max().median(),
                    Spread.of(p.jobsPerSecond()).median());
            }
        }
    }

    private static void plot(BenchContext context, List<Point> points) throws Exception {
        CategoryChart bars = Charts.bars("Job round trip, one-chunk noop (median over repeats)", "",
            "ms");
        List<String> labels = points.stream().map(Point::label).toList();
        bars.addSeries("p50", labels, points.stream().map(p -> p.percentile(50).median()).toList());
        bars.addSeries("p95", labels, points.stream().map(p -> p.percentile(95).median()).toList());
        bars.addSeries("p99", labels, points.stream().map(p -> p.percentile(99).median()).toList());
        bars.getStyler().setXAxisLabelRotation(0);
        Charts.save(bars, context.dir().resolve("percentiles.png"));

        XYChart curve = Charts.lines("Job round trip at each percentile (all repeats pooled)", "percentile",
            "round trip, ms");
        curve.getStyler().setYAxisMin(0.0);
        for (Point p : points) {
            Histogram h = histogram(p.pooled());
            double[] y = new double[PERCENTILES.length];
            for (int i = 0; i < y.length; i++) y[i] = h.getValueAtPercentile(PERCENTILES[i]) / 1000.0;
            curve.addSeries(p.label(), PERCENTILES, y);
        }
        Charts.save(curve, context.dir().resolve("round-trip-percentiles.png"));
    }

    private static String headline(List<Point> points) {
        List<String> parts = new ArrayList<>();
        for (Point p : points) {
            parts.add(p.label() + ": p50 " + Figures.millis(p.percentile(50).median()) + " ms, p95 "
                + Figures.millis(p.percentile(95).median()) + " ms, p99 " + Figures.millis(p.percentile(99).median())
                + " ms, " + Figures.amount(Spread.of(p.jobsPerSecond()).median()) + " jobs/s");
        }
        return "One-chunk job round trips, " + String.join("; ", parts) + ".";
    }

    private static void report(BenchContext context, List<Point> points, int jobs) throws Exception {
        Markdown md = new Markdown();
        md.heading(1, "Job round trip: one-chunk noop jobs");
        md.paragraph("The grid's fixed cost per job: one client submits one-chunk `noop` jobs (no work at all) and "
            + "times each from submit to its final answer. Back to back, each job is submitted when the previous one "
            + "has answered; with K in flight, K jobs are outstanding at any time (a new one is submitted as each "
            + "answers). " + Figures.count(jobs) + " jobs per repeat.");
        md.paragraph("**" + headline(points) + "**");
        List<List<String>> rows = new ArrayList<>();
        for (Point p : points) {
            rows.add(List.of(p.label(), Figures.spread(p.percentile(50), Figures::millis),
                Figures.spread(p.percentile(95), Figures::millis), Figures.spread(p.percentile(99), Figures::millis),
                Figures.spread(p.max(), Figures::millis), Figures.spread(Spread.of(p.jobsPerSecond()), Figures::amount)));
        }
        md.table(List.of("", "p50 ms", "p95 ms", "p99 ms", "max ms", "jobs/s"), rows);
        md.image("round-trip percentiles", "percentiles.png");
        md.image("round trip at each percentile", "round-trip-percentiles.png");
        md.heading(2, "Method");
        md.paragraph(context.method(context.grids().remote() ? "the grid at --seed; the bench JVM reaches it as a "
            + "client" : "embedded in the bench JVM: a head and one worker node with " + Grids.processors()
            + " slots; the client is an actor system of its own (not a cluster member, in the bench JVM), so each "
            + "job crosses Artery over loopback client → head → worker and back"));
        md.bullets(List.of(
            "Percentiles are computed per repeat (HdrHistogram, 3 significant digits) and given as the median over "
                + "repeats with the min–max in brackets.",
            "Warm-up: " + Figures.count(jobs / 5) + " jobs back to back and " + Figures.count(jobs / 5) + " with 4 in "
                + "flight.",
            "Every job's round trip and the head's makespan for it are in `runs.csv`; percentiles in `summary.csv`."));
        md.heading(2, "Machine");
        md.append(context.machine().markdown());
        md.write(context.dir().resolve("report.md"));
    }
}
