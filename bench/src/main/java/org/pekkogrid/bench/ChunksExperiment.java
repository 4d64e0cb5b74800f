package org.pekkogrid.bench;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.XYChart;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.JobSpec;

/**
 * A fixed leibniz-pi job split into 1, 2, 4, … ~10^6 chunks: with few chunks cores idle, with
 * very many the grid's per-chunk cost (scheduling, messages, folding) outweighs the work.
 */
final class ChunksExperiment implements Experiment {

    /** Makespan more than this much over its minimum marks the knee. */
    static final double KNEE_TOLERANCE = 0.10;
    static final String WORKLOAD = "leibniz-pi";

    record Point(long chunks, List<Double> makespanMillis, List<Double> chunksPerSecond) {
        Spread makespan() {
            return Spread.of(makespanMillis);
        }

        Spread throughput() {
            return Spread.of(chunksPerSecond);
        }
    }

    @Override
    public String name() {
        return "chunks";
    }

    static long terms(boolean quick) {
        return quick ? 20_000_000L : 2_000_000_000L;
    }

    /** Powers of two up to 2^20 (~10^6); --quick takes four of them. */
    static List<Long> chunkCounts(boolean quick) {
        if (quick) return List.of(1L, 16L, 256L, 4096L);
        List<Long> counts = new ArrayList<>();
        for (long c = 1; c <= 1L << 20; c *= 2) counts.add(c);
        return counts;
    }

    @Override
    public int runs(BenchOptions options) {
        return chunkCounts(options.quick()).size() * options.repeat();
    }

    @Override
    public Findings run(BenchContext context) throws Exception {
        GridClient grid = context.grids().shared();
        long terms = terms(context.quick());
        JobSpec job = JobSpec.of(WORKLOAD).param("terms", terms);
        context.note("warming up");
        for (long c : context.quick() ? List.of(256L) : List.of(256L, 65_536L)) GridRun.of(grid, job.withChunks(c));
        List<Point> points = new ArrayList<>();
        try (CsvFile runs = CsvFile.create(context.dir().resolve("runs.csv"), "chunks", "run", "makespan_ms",
                "round_trip_ms", "chunks_per_s", "latency_p50_ms", "latency_p99_ms", "run_p50_ms", "chunks_done")) {
            for (long chunks : chunkCounts(context.quick())) {
                List<Double> makespans = new ArrayList<>();
                List<Double> rates = new ArrayList<>();
                for (int run = 1; run <= context.repeat(); run++) {
                    GridRun g = GridRun.of(grid, job.withChunks(chunks));
                    makespans.add(g.makespanMillis());
                    rates.add(g.report().chunksPerSecond());
                    runs.row(chunks, run, g.makespanMillis(), g.roundTripMillis(), g.report().chunksPerSecond(),
                        g.report().latencyMillis().p50(), g.report().latencyMillis().p99(), g.report().runMillis().p50(),
                        g.report().chunksDone());
                    context.step(String.format(Locale.ROOT, "%d chunks run %d: %s ms", chunks, run,
                        Figures.millis(g.makespanMillis())));
                }
                points.add(new Point(chunks, makespans, rates));
            }
        }
        Knee knee = Knee.find(points.stream().mapToLong(Point::chunks).toArray(),
            points.stream().mapToDouble(p -> p.makespan().median()).toArray(), KNEE_TOLERANCE);
        Grids.Size size = Grids.size(grid);
        writeSummary(context, points);
        plot(context, points, knee, terms);
        report(context, points, knee, terms, size);
        return new Findings(name(), "Chunk count", List.of(knee.sentence(), overheadSentence(points, knee)));
    }

    /** The cost of a chunk, read off the largest count: the makespan it adds over the best, per chunk. */
    static String overheadSentence(List<Point> points, Knee knee) {
        Point last = points.get(points.size() - 1);
        double extra = last.makespan().median() - knee.bestMillis();
        if (extra <= 0 || last.chunks() <= knee.bestChunks()) return "";
        return String.format(Locale.ROOT, "At %s chunks each chunk adds about %.2f µs to the makespan "
                + "(%s ms over the minimum, spread over the chunks); throughput there: %s chunks/s.",
            Figures.count(last.chunks()), 1000 * extra / last.chunks(), Figures.millis(extra),
            Figures.amount(last.throughput().median()));
    }

    private static void writeSummary(BenchContext context, List<Point> points) throws Exception {
        try (CsvFile csv = CsvFile.create(context.dir().resolve("summary.csv"), "chunks", "runs", "makespan_ms_median",
                "makespan_ms_min", "makespan_ms_max", "chunks_per_s_median")) {
            for (Point p : points) {
                csv.row(p.chunks(), p.makespanMillis().size(), p.makespan().median(), p.makespan().min(),
                    p.makespan().max(), p.throughput().median());
            }
        }
    }

    private static void plot(BenchContext context, List<Point> points, Knee knee, long terms) throws Exception {
        double[] x = points.stream().mapToDouble(Point::chunks).toArray();
        XYChart makespan = Charts.lines("leibniz-pi, " + Figures.count(terms) + " terms: makespan against chunk count",
            "chunks (log scale)", "makespan, ms");
        makespan.getStyler().setXAxisLogarithmic(true);
        makespan.getStyler().setYAxisMin(0.0);
        Charts.medianWithSpread(makespan, "makespan", x, points.stream().map(Point::makespan).toList(),
            Charts.color(0));
        Charts.guide(makespan, "minimum + " + Math.round(100 * knee.tolerance()) + " %", new double[] {x[0], x[x.length - 1]},
            new double[] {knee.bestMillis() * (1 + knee.tolerance()), knee.bestMillis() * (1 + knee.tolerance())},
            Color.GRAY);
        if (knee.found()) makespan.addAnnotation(new AnnotationLine(knee.lastWithin(), true, false));
        Charts.save(makespan, context.dir().resolve("makespan.png"));

        XYChart throughput = Charts.lines("Throughput against chunk count", "chunks (log scale)",
            "chunks per second (log scale)");
        throughput.getStyler().setXAxisLogarithmic(true);
        throughput.getStyler().setYAxisLogarithmic(true);
        Charts.medianWithSpread(throughput, "chunks/s", x, points.stream().map(Point::throughput).toList(),
            Charts.color(1));
        Charts.save(throughput, context.dir().resolve("throughput.png"));
    }

    private static void report(BenchContext context, List<Point> points, Knee knee, long terms, Grids.Size size)
            throws Exception {
        Markdown md = new Markdown();
        md.heading(1, "Chunk count: parallelism against per-chunk overhead");
        md.paragraph("One leibniz-pi job of " + Figures.count(terms) + " terms, split into ever more chunks. With "
            + "fewer chunks than slots (" + size.slots() + " here) some cores have nothing to do; with very many, "
            + "each chunk's share of scheduling, messages and folding outweighs its " + Figures.count(terms
            / points.get(points.size() - 1).chunks()) + " terms of work at the largest count.");
        md.paragraph("**" + knee.sentence() + "** " + overheadSentence(points, knee));
        List<List<String>> rows = new ArrayList<>();
        for (Point p : points) {
            rows.add(List.of(Figures.count(p.chunks()), Figures.count(terms / p.chunks()),
                Figures.spread(p.makespan(), Figures::millis), Figures.spread(p.throughput(), Figures::amount),
                Figures.percent(p.makespan().median() / knee.bestMillis() - 1)));
        }
        md.table(List.of("chunks", "terms per chunk", "makespan ms", "chunks/s", "over the minimum"), rows);
        md.image("makespan against chunk count", "makespan.png");
        md.image("throughput against chunk count", "throughput.png");
        md.heading(2, "Method");
        md.paragraph(context.method(context.grids().remote() ? "the grid at --seed (" + size.workerNodes()
            + " worker nodes, " + size.slots() + " slots)" : "embedded in the bench JVM: a head and one worker node with "
            + size.slots() + " slots, talking over loopback"));
        md.bullets(List.of(
            "Makespan: the head accepting the job → its last result. Chunks/s: chunks done / makespan.",
            "The knee is the last chunk count whose median makespan is within " + Math.round(100 * KNEE_TOLERANCE)
                + " % of the smallest median; every larger count measured is beyond it. The vertical line in the plot "
                + "marks it.",
            "Warm-up: " + (context.quick() ? "one job of 256 chunks." : "jobs of 256 and 65,536 chunks."),
            "Every run is in `runs.csv` (with chunk latency percentiles), medians in `summary.csv`."));
        md.heading(2, "Machine");
        md.append(context.machine().markdown());
        md.write(context.dir().resolve("report.md"));
    }
}
