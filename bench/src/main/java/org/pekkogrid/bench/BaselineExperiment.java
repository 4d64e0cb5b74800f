package org.pekkogrid.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.CategoryChart;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.LocalRun;

/**
 * Sequential, ceiling and grid for every workload: time, speedup, efficiency (speedup per core),
 * and the share of the ceiling the grid delivers. The ceiling is the job's own chunks on a plain
 * ForkJoinPool of every core of the bench JVM ({@link LocalRun#ceiling}).
 */
final class BaselineExperiment implements Experiment {

    /** One workload's runs; {@code ofCeiling} holds each run's ceiling time / grid time. */
    record Point(WorkloadCase workloadCase, List<Double> sequentialMillis, List<Double> gridMillis,
                 List<Double> ceilingMillis, List<Double> speedups, List<Double> ofCeiling, long chunks, int cores,
                 String answer) {
        Spread speedup() {
            return Spread.of(speedups);
        }

        Spread ceilingSpeedup() {
            return Spread.of(java.util.stream.IntStream.range(0, sequentialMillis.size())
                .mapToObj(i -> sequentialMillis.get(i) / ceilingMillis.get(i)).toList());
        }

        Spread ofCeilingSpread() {
            return Spread.of(ofCeiling);
        }

        Spread efficiency() {
            return Spread.of(speedups.stream().map(s -> s / cores).toList());
        }
    }

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public int runs(BenchOptions options) {
        return 8 * options.repeat();
    }

    @Override
    public Findings run(BenchContext context) throws Exception {
        ImageSet images = ImageSet.standard(context);
        ImageSet warmUpImages = ImageSet.small(context);
        Path gridOutput = Files.createTempDirectory("grid-bench-grayscale-");
        GridClient grid = context.grids().shared();
        List<Point> points = new ArrayList<>();
        ForkJoinPool ceilingPool = LocalRun.ceilingPool();
        try (CsvFile runs = CsvFile.create(context.dir().resolve("runs.csv"), "workload", "params", "chunks", "run",
                "sequential_ms", "grid_ms", "ceiling_ms", "round_trip_ms", "speedup", "cores", "efficiency",
                "ceiling_speedup", "of_ceiling")) {
            for (WorkloadCase c : BaselineCases.of(context.quick(), images, warmUpImages, gridOutput)) {
                points.add(measure(context, grid, ceilingPool, c, runs));
            }
        } finally {
            ceilingPool.shutdownNow();
            SequentialRun.deleteTree(gridOutput);
        }
        writeSummary(context, points);
        plot(context, points);
        report(context, points, images, Grids.size(grid));
        return findings(points);
    }

    /**
     * Removes what the grid's last run wrote: a grayscale job finds outputs that already hold its
     * bytes and does not write them again, so without this every run after the first would only compare.
     */
    private static void emptyOutput(WorkloadCase c) throws java.io.IOException {
        String output = c.params().get("output");
        if (output != null) SequentialRun.deleteTree(Path.of(output));
    }

    private Point measure(BenchContext context, GridClient grid, ForkJoinPool ceilingPool, WorkloadCase c,
                          CsvFile runs) throws Exception {
        context.note("warming up " + c.workload());
        warmUp(context, grid, ceilingPool, c);
        BoundJob<?, ?, ?, ?> job = BoundJob.bind(c.workload(), c.params(), c.chunks(), Long.MAX_VALUE);
        List<Double> sequential = new ArrayList<>();
        List<Double> onGrid = new ArrayList<>();
        List<Double> ceiling = new ArrayList<>();
        List<Double> speedups = new ArrayList<>();
        List<Double> ofCeiling = new ArrayList<>();
        long chunks = 0;
        int cores = 0;
        String answer = "";
        for (int run = 1; run <= context.repeat(); run++) {
            // The three in turn keep a slow spell of the machine from landing on one side only.
            SequentialRun s = SequentialRun.of(c.workload(), c.params());
            emptyOutput(c);
            GridRun g = GridRun.of(grid, c.spec());
            LocalRun top = LocalRun.ceiling(job, ceilingPool);
            chunks = g.report().chunks();
            cores = g.report().cores();
            answer = g.result().summary();
            double speedup = s.millis() / g.makespanMillis();
            double share = top.millis() / g.makespanMillis();
            sequential.add(s.millis());
            onGrid.add(g.makespanMillis());
            ceiling.add(top.millis());
            speedups.add(speedup);
            ofCeiling.add(share);
            runs.row(c.workload(), c.describe(), chunks, run, s.millis(), g.makespanMillis(), top.millis(),
                g.roundTripMillis(), speedup, cores, speedup / cores, s.millis() / top.millis(), share);
            context.step(String.format(Locale.ROOT, "%s run %d: sequential %s ms, grid %s ms, ceiling %s ms, "
                    + "speedup %s, grid at %s of the ceiling", c.workload(), run, Figures.millis(s.millis()),
                Figures.millis(g.makespanMillis()), Figures.millis(top.millis()), Figures.ratio(speedup),
                Figures.ratio(share)));
        }
        return new Point(c, sequential, onGrid, ceiling, speedups, ofCeiling, chunks, cores, answer);
    }

    /**
     * Compiles the kernel on every side: a second or so of small sequential runs here, one small
     * grid job, one small run on the ceiling's pool.
     */
    private static void warmUp(BenchContext context, GridClient grid, ForkJoinPool ceilingPool, WorkloadCase c)
            throws Exception {
        SequentialRun.warmUp(context, c.workload(), c.warmUpParams());
        GridRun.of(grid, c.warmUpSpec());
        LocalRun.ceiling(BoundJob.bind(c.workload(), c.warmUpParams(), 0, Long.MAX_VALUE), ceilingPool);
    }

    private static void writeSummary(BenchContext context, List<Point> points) throws Exception {
        try (CsvFile csv = CsvFile.create(context.dir().resolve("summary.csv"), "workload", "params", "chunks", "cores",
                "runs", "sequential_ms_median", "grid_ms_median", "ceiling_ms_median", "speedup_median", "speedup_min",
                "speedup_max", "efficiency_median", "ceiling_speedup_median", "of_ceiling_median", "of_ceiling_min",
                "of_ceiling_max")) {
            for (Point p : points) {
                csv.row(p.workloadCase().workload(), p.workloadCase().describe(), p.chunks(), p.cores(),
                    p.speedups().size(), Spread.of(p.sequentialMillis()).median(), Spread.of(p.gridMillis()).median(),
                    Spread.of(p.ceilingMillis()).median(), p.speedup().median(), p.speedup().min(), p.speedup().max(),
                    p.efficiency().median(), p.ceilingSpeedup().median(), p.ofCeilingSpread().median(),
                    p.ofCeilingSpread().min(), p.ofCeilingSpread().max());
            }
        }
    }

    private static void plot(BenchContext context, List<Point> points) throws Exception {
        List<String> names = points.stream().map(p -> p.workloadCase().workload()).toList();
        CategoryChart speedup = Charts.bars("Speedup over the sequential baseline (median of " + context.repeat()
            + ")", "workload", "speedup");
        speedup.addSeries("speedup", names, points.stream().map(p -> p.speedup().median()).toList());
        int cores = points.stream().mapToInt(Point::cores).max().orElse(1);
        speedup.addAnnotation(new AnnotationLine(cores, false, false));
        speedup.getStyler().setYAxisMin(0.0);
        speedup.getStyler().setYAxisMax(Math.max(cores * 1.1, points.stream()
            .mapToDouble(p -> p.speedup().max()).max().orElse(1) * 1.1));
        speedup.getStyler().setLegendVisible(false);
        speedup.setTitle(speedup.getTitle() + "; line: ideal = " + cores + " cores");
        Charts.save(speedup, context.dir().resolve("speedup.png"));

        CategoryChart times = Charts.bars("Run time: sequential, ceiling and grid (median of " + context.repeat() + ")",
            "workload", "seconds");
        times.addSeries("sequential (one thread)", names,
            points.stream().map(p -> Spread.of(p.sequentialMillis()).median() / 1000).toList());
        times.addSeries("ceiling (ForkJoinPool, " + Grids.processors() + " threads)", names,
            points.stream().map(p -> Spread.of(p.ceilingMillis()).median() / 1000).toList());
        times.addSeries("grid (" + cores + " slots)", names,
            points.stream().map(p -> Spread.of(p.gridMillis()).median() / 1000).toList());
        Charts.save(times, context.dir().resolve("times.png"));

        CategoryChart share = Charts.bars("Grid at this share of the ceiling (ceiling time / grid time, median of "
            + context.repeat() + ")", "workload", "of ceiling");
        share.addSeries("of ceiling", names, points.stream().map(p -> p.ofCeilingSpread().median()).toList());
        share.addAnnotation(new AnnotationLine(1.0, false, false));
        share.getStyler().setYAxisMin(0.0);
        share.getStyler().setYAxisMax(Math.max(1.1, points.stream()
            .mapToDouble(p -> p.ofCeilingSpread().max()).max().orElse(1) * 1.05));
        share.getStyler().setLegendVisible(false);
        Charts.save(share, context.dir().resolve("of-ceiling.png"));
    }

    private static void report(BenchContext context, List<Point> points, ImageSet images, Grids.Size size)
            throws Exception {
        Markdown md = new Markdown();
        md.heading(1, "Baseline: sequential, ceiling and grid, every workload");
        md.paragraph("Each workload ran three ways in turn: the sequential baseline (its own single-thread run: same "
            + "kernel, no grid, in the bench JVM), the grid job, and the ceiling (the job's own chunks, same kernel, "
            + "on a plain ForkJoinPool of " + Grids.processors() + " threads in the bench JVM: what this machine's cores "
            + "give with no grid at all). Speedup = sequential time / grid makespan (the head accepting the job → "
            + "its last result); efficiency = speedup / cores of the grid's workers; **of ceiling = ceiling time / "
            + "grid makespan**, the share of the machine the grid delivers (1 = as fast as the bare pool).");
        List<List<String>> rows = new ArrayList<>();
        for (Point p : points) {
            rows.add(List.of(p.workloadCase().workload(), p.workloadCase().describe(), Figures.count(p.chunks()),
                Figures.spread(Spread.of(p.sequentialMillis()), Figures::seconds),
                Figures.spread(Spread.of(p.ceilingMillis()), Figures::seconds),
                Figures.spread(Spread.of(p.gridMillis()), Figures::seconds),
                Figures.spread(p.speedup(), Figures::ratio), Figures.spread(p.ceilingSpeedup(), Figures::ratio),
                Figures.spread(p.ofCeilingSpread(), Figures::ratio), Figures.spread(p.efficiency(), Figures::ratio)));
        }
        md.table(List.of("workload", "size", "chunks", "sequential s", "ceiling s", "grid s", "speedup",
            "ceiling speedup", "of ceiling", "efficiency"), rows);
        md.paragraph(headline(points));
        md.paragraph(ceilingLine(points));
        superlinear(points).ifPresent(md::paragraph);
        if (context.grids().remote()) {
            md.paragraph("With --seed the grid's cores are elsewhere, while the ceiling is this machine's: "
                + "read \"of ceiling\" as grid against this machine, not against its own cores.");
        }
        md.image("speedup per workload", "speedup.png");
        md.image("run time per workload: sequential, ceiling and grid", "times.png");
        md.image("the grid's share of the ceiling per workload", "of-ceiling.png");
        md.heading(2, "Answers (grid)");
        md.bullets(points.stream().map(p -> "**" + p.workloadCase().workload() + "**: " + p.answer()).toList());
        md.heading(2, "Method");
        md.paragraph(context.method(context.grids().remote() ? "the grid at --seed (" + size.workerNodes()
            + " worker nodes, " + size.slots() + " slots)" : "embedded in the bench JVM: a head and one worker node with "
            + size.slots() + " slots, talking over loopback"));
        md.bullets(List.of(
            "Warm-up per workload: sequential runs at a small size for about a second (three runs with --quick), and one "
                + "small grid job; the workers also warm every kernel when they start.",
            "grayscale: " + images.good() + " generated photo-like " + images.width() + "x" + images.height()
                + " images with " + images.corrupt() + " broken files among them (counted as failed items, "
                + "not errors); outputs overwritten on each run so each run does all the work.",
            "Chunks: each workload's own default.",
            "Every run is in `runs.csv`; medians and spread in `summary.csv`."));
        md.heading(2, "Machine");
        md.append(context.machine().markdown());
        md.write(context.dir().resolve("report.md"));
    }

    private static String ceilingLine(List<Point> points) {
        Point lowest = points.stream().min(java.util.Comparator.comparingDouble(p -> p.ofCeilingSpread().median()))
            .orElseThrow();
        return "Of the ceiling (median per workload): " + String.join(", ", points.stream()
            .map(p -> p.workloadCase().workload() + " " + Figures.ratio(p.ofCeilingSpread().median())).toList())
            + "; lowest " + lowest.workloadCase().workload() + ".";
    }

    private static String headline(List<Point> points) {
        Point best = points.stream().max(java.util.Comparator.comparingDouble(p -> p.speedup().median())).orElseThrow();
        Point worst = points.stream().min(java.util.Comparator.comparingDouble(p -> p.speedup().median())).orElseThrow();
        double meanEfficiency = points.stream().mapToDouble(p -> p.efficiency().median()).average().orElse(0);
        return "Speedup ranges from " + Figures.ratio(worst.speedup().median()) + " (" + worst.workloadCase().workload()
            + ") to " + Figures.ratio(best.speedup().median()) + " (" + best.workloadCase().workload() + ") on "
            + best.cores() + " cores; mean efficiency " + Figures.ratio(meanEfficiency) + ".";
    }

    /**
     * A speedup beyond the core count is not parallelism: the single thread ran the kernel slower
     * than the grid's threads did (the JIT compiled it differently there, or the machine was busier).
     */
    private static java.util.Optional<String> superlinear(List<Point> points) {
        List<String> names = points.stream().filter(p -> p.efficiency().median() > 1.05)
            .map(p -> p.workloadCase().workload()).toList();
        if (names.isEmpty()) return java.util.Optional.empty();
        return java.util.Optional.of("**Efficiency above 1 for " + String.join(", ", names) + "**: more speedup "
            + "than cores is not parallelism; the single-thread run was slower per chunk than the grid's threads "
            + "(compare the chunk run times in a `--report` of the grid job). Treat those speedups as suspect.");
    }

    private static Findings findings(List<Point> points) {
        List<String> lines = new ArrayList<>();
        lines.add(headline(points));
        lines.add("Speedup per workload (median): " + String.join(", ", points.stream()
            .map(p -> p.workloadCase().workload() + " " + Figures.ratio(p.speedup().median())).toList()) + ".");
        lines.add(ceilingLine(points));
        superlinear(points).ifPresent(lines::add);
        return new Findings("baseline", "Baseline: sequential vs grid", lines);
    }
}
