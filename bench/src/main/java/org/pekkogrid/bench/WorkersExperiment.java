package org.pekkogrid.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.JobSpec;

/** One worker node with 1..N slots (N = this machine's processors): how a node scales with its cores. */
final class WorkersExperiment implements Experiment {

    static final String WORKLOAD = "leibniz-pi";
    static final long CHUNKS = 256;

    @Override
    public String name() {
        return "workers";
    }

    @Override
    public int runs(BenchOptions options) {
        return options.remote() ? 0 : (Grids.processors() + 1) * options.repeat();
    }

    static long terms(boolean quick) {
        return quick ? 20_000_000L : 10_000_000_000L;
    }

    @Override
    public Findings run(BenchContext context) throws Exception {
        if (context.options().remote()) return skipped(context);
        int processors = Grids.processors();
        long terms = terms(context.quick());
        JobSpec job = JobSpec.of(WORKLOAD).param("terms", terms).withChunks(CHUNKS);
        List<ScalingPoint> points = new ArrayList<>();
        double sequential;
        try (CsvFile runs = CsvFile.create(context.dir().resolve("runs.csv"), "kind", "slots", "run", "ms",
                "round_trip_ms")) {
            sequential = SequentialRun.repeated(context, WORKLOAD, job.params(), Map.of("terms", "20000000"),
                (s, run) -> runs.row("sequential", 1, run, s.millis(), null));
            for (int slots = 1; slots <= processors; slots++) {
                boolean shared = slots == processors;
                GridClient grid = shared ? context.grids().shared() : context.grids().embedded(1, slots);
                try {
                    context.note(slots + " slots: warming up");
                    GridRun.of(grid, job.param("terms", Math.max(CHUNKS, terms / 10)));
                    List<Double> makespans = new ArrayList<>();
                    for (int run = 1; run <= context.repeat(); run++) {
                        GridRun g = GridRun.of(grid, job);
                        makespans.add(g.makespanMillis());
                        runs.row("grid", slots, run, g.makespanMillis(), g.roundTripMillis());
                        context.step(String.format(Locale.ROOT, "%d slots run %d: %s ms", slots, run,
                            Figures.millis(g.makespanMillis())));
                    }
                    points.add(new ScalingPoint(slots, slots, makespans));
                } finally {
                    if (!shared) grid.close();
                }
            }
        }
        ScalingTable.writeSummary(context.dir().resolve("summary.csv"), "slots", points, sequential);
        ScalingPlot.speedup(points, sequential, "slots", context.dir().resolve("speedup.png"));
        ScalingPlot.makespan(points, "slots", context.dir().resolve("makespan.png"));
        report(context, points, sequential, terms);
        return new Findings(name(), "Slots on one node", List.of(ScalingTable.sentence(points, "slots")));
    }

    private static void report(BenchContext context, List<ScalingPoint> points, double sequential, long terms)
            throws Exception {
        Markdown md = new Markdown();
        md.heading(1, "Slots on one worker node");
        md.paragraph("One worker node with 1 to " + Grids.processors() + " slots (this machine's processors), each "
            + "running the same leibniz-pi job of " + Figures.count(terms) + " terms in " + CHUNKS + " chunks. Speedup "
            + "is over the node with one slot; efficiency = that speedup / slots.");
        md.paragraph("**" + ScalingTable.sentence(points, "slots") + "**");
        md.table(ScalingTable.header("slots"), ScalingTable.rows(points, sequential));
        md.image("speedup against slots", "speedup.png");
        md.image("makespan against slots", "makespan.png");
        md.heading(2, "Method");
        md.paragraph(context.method("embedded in the bench JVM: a head and one worker node with the given slots, "
            + "talking over loopback; a new grid for each slot count"));
        md.bullets(List.of(
            "Sequential baseline: the workload's single-thread run in the bench JVM, " + Figures.millis(sequential)
                + " ms (median).",
            "Warm-up per grid: one job of a tenth of the size; its workers warm every kernel when they start.",
            "Every run is in `runs.csv` (makespans, and the sequential runs); medians in `summary.csv`."));
        md.heading(2, "Machine");
        md.append(context.machine().markdown());
        md.write(context.dir().resolve("report.md"));
    }

    private Findings skipped(BenchContext context) throws Exception {
        String why = "Skipped: sizing a node's slots needs a grid started here; with --seed the grid's nodes are "
            + "already sized. Run `grid bench workers` without --seed.";
        new Markdown().heading(1, "Slots on one worker node").paragraph(why).write(context.dir().resolve("report.md"));
        return new Findings(name(), "Slots on one node", List.of(why));
    }
}
