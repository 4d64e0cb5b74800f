package org.pekkogrid.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.JobSpec;

/**
 * Speedup against cluster size: 1..N worker JVMs started here as real processes, one slot each,
 * joined to a head JVM; or, with --seed, the size of an existing cluster.
 */
final class ClusterExperiment implements Experiment {

    static final String WORKLOAD = "leibniz-pi";
    static final long CHUNKS = 256;
    static final Duration SLOTS_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public String name() {
        return "cluster";
    }

    /** Worker JVMs at the largest size: 3 (2 with --quick, to keep it short). */
    static int maxWorkers(boolean quick) {
        return quick ? 2 : 3;
    }

    static long terms(boolean quick) {
        return quick ? 20_000_000L : 10_000_000_000L;
    }

    @Override
    public boolean usesSharedGrid() {
        return false;
    }

    @Override
    public int runs(BenchOptions options) {
        return ((options.remote() ? 1 : maxWorkers(options.quick())) + 1) * options.repeat();
    }

    @Override
    public Findings run(BenchContext context) throws Exception {
        long terms = terms(context.quick());
        JobSpec job = JobSpec.of(WORKLOAD).param("terms", terms).withChunks(CHUNKS);
        List<ScalingPoint> points = new ArrayList<>();
        double sequential;
        try (CsvFile runs = CsvFile.create(context.dir().resolve("runs.csv"), "kind", "worker_jvms", "slots",
                "slots_used", "run", "ms", "round_trip_ms")) {
            sequential = SequentialRun.repeated(context, WORKLOAD, job.params(), Map.of("terms", "20000000"),
                (s, run) -> runs.row("sequential", 0, 1, 1, run, s.millis(), null));
            if (context.options().remote()) {
                GridClient grid = context.grids().shared();
                Grids.Size size = Grids.size(grid);
                points.add(measure(context, grid, job, terms, size.workerNodes(), size.slots(), runs));
            } else {
                try (LocalCluster cluster = LocalCluster.start(context.dir().resolve("logs"),
                        context.options().gridJvmOptions())) {
                    GridClient grid = cluster.client();
                    for (int n = 1; n <= maxWorkers(context.quick()); n++) {
                        context.note("starting worker JVM " + n);
                        cluster.addWorker(1);
                        Grids.awaitSlots(grid, n, SLOTS_TIMEOUT);
                        points.add(measure(context, grid, job, terms, n, n, runs));
                    }
                }
            }
        }
        if (context.options().remote()) {
            remoteReport(context, points.get(0), sequential, terms);
            ScalingPoint p = points.get(0);
            return new Findings(name(), "Cluster size", List.of("The cluster at --seed (" + p.size()
                + (p.size() == 1 ? " worker node, " : " worker nodes, ") + p.cores() + " slots): speedup " + Figures.ratio(p.speedupOverSequential(sequential))
                + " over the sequential baseline, efficiency " + Figures.ratio(p.speedupOverSequential(sequential)
                / p.cores()) + " per slot."));
        }
        ScalingTable.writeSummary(context.dir().resolve("summary.csv"), "worker_jvms", points, sequential);
        ScalingPlot.speedup(points, sequential, "worker JVMs", context.dir().resolve("speedup.png"));
        ScalingPlot.makespan(points, "worker JVMs", context.dir().resolve("makespan.png"));
        localReport(context, points, sequential, terms);
        return new Findings(name(), "Cluster size", List.of(ScalingTable.sentence(points, "worker JVMs")));
    }

    private static ScalingPoint measure(BenchContext context, GridClient grid, JobSpec job, long terms, int nodes,
                                        int slots, CsvFile runs) {
        context.note(nodes + " worker JVMs: warming up");
        GridRun.of(grid, job.param("terms", Math.max(CHUNKS, terms / 10)));
        List<Double> makespans = new ArrayList<>();
        for (int run = 1; run <= context.repeat(); run++) {
            GridRun g = GridRun.of(grid, job);
            makespans.add(g.makespanMillis());
            runs.row("grid", nodes, slots, g.report().slots(), run, g.makespanMillis(), g.roundTripMillis());
            context.step(String.format(Locale.ROOT, "%d worker JVMs run %d: %s ms", nodes, run,
                Figures.millis(g.makespanMillis())));
        }
        return new ScalingPoint(nodes, slots, makespans);
    }

    private static void localReport(BenchContext context, List<ScalingPoint> points, double sequential, long terms)
            throws Exception {
        int processors = Grids.processors();
        Markdown md = new Markdown();
        md.heading(1, "Cluster size: 1 to " + points.size() + " worker JVMs");
        md.paragraph("A head JVM and 1 to " + points.size() + " worker JVMs started on this machine as separate "
            + "processes, talking over loopback as separate hosts would; each worker has `--cores 1` (one slot). The "
            + "same leibniz-pi job of " + Figures.count(terms) + " terms in " + CHUNKS + " chunks ran at each size. "
            + "Speedup is over one worker JVM; efficiency = that speedup / worker JVMs.");
        md.paragraph("**" + ScalingTable.sentence(points, "worker JVMs") + "**");
        if (points.size() > processors) {
            md.paragraph("This machine has " + processors + " cores, shared by the head, the worker JVMs and the bench "
                + "JVM (the client). Beyond " + processors + " worker JVMs their compute threads compete for the same "
                + "cores, so the curve there shows the cost of oversubscription, not a limit of the grid.");
        }
        md.table(ScalingTable.header("worker JVMs"), ScalingTable.rows(points, sequential));
        md.image("speedup against worker JVMs", "speedup.png");
        md.image("makespan against worker JVMs", "makespan.png");
        md.heading(2, "Method");
        md.paragraph(context.method("a head JVM and worker JVMs started by the bench (`grid head --port 0`, "
            + "`grid worker --seed … --cores 1`, each with " + String.join(" ", LocalCluster.JVM_OPTIONS)
            + "); the bench JVM connects as a client"));
        md.bullets(List.of(
            "Workers are added one at a time to the same cluster; after each joins, the bench waits until the head "
                + "counts its slot, then runs one warm-up job of a tenth of the size.",
            "Grid settings given with --grid-setting: " + context.options().describeGridSettings() + ".",
            "Sequential baseline: the workload's single-thread run in the bench JVM, " + Figures.millis(sequential)
                + " ms (median).",
            "The nodes' logs are in `logs/`; every run is in `runs.csv` (`slots` the head counted, `slots_used` "
                + "the slots that ran chunks of that job), medians in `summary.csv`."));
        md.heading(2, "Machine");
        md.append(context.machine().markdown());
        md.write(context.dir().resolve("report.md"));
    }

    private static void remoteReport(BenchContext context, ScalingPoint p, double sequential, long terms)
            throws Exception {
        double speedup = p.speedupOverSequential(sequential);
        Markdown md = new Markdown();
        md.heading(1, "Cluster size: the cluster at " + String.join(", ", context.options().seeds()));
        md.paragraph("The same leibniz-pi job of " + Figures.count(terms) + " terms in " + CHUNKS + " chunks on the "
            + "existing cluster, against the sequential baseline run here (in the bench JVM: if this machine's cores "
            + "differ from the cluster's, the speedup says so too).");
        md.table(List.of("worker nodes", "slots", "makespan ms", "sequential ms (here)", "speedup", "efficiency per slot"),
            List.of(List.of(String.valueOf(p.size()), String.valueOf(p.cores()), Figures.spread(p.makespan(), Figures::millis),
                Figures.millis(sequential), Figures.ratio(speedup), Figures.ratio(speedup / p.cores()))));
        md.heading(2, "Method");
        md.paragraph(context.method("the cluster at --seed, which the bench JVM reaches as a client"));
        md.heading(2, "Machine (the bench's)");
        md.append(context.machine().markdown());
        md.write(context.dir().resolve("report.md"));
    }
}
