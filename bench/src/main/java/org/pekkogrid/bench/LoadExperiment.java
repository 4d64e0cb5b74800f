package org.pekkogrid.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.JobSpec;

/**
 * The grid under load: N client JVMs submit M jobs each at the same moment, of mixed workloads
 * (noop of 10^5 chunks, leibniz-pi, flaky with a tenth of its attempts failing), then one client
 * submits K one-chunk jobs at once. Every answer is checked against the one worked out here, every
 * chunk must be counted exactly once, and the head's live heap is read before and after.
 */
final class LoadExperiment implements Experiment {

    /** Worker JVMs of the grid it starts, one slot each: a failed flaky chunk is retried on the other at once. */
    static final int WORKERS = 2;
    static final Duration SLOTS_TIMEOUT = Duration.ofSeconds(60);
    /** How long a client waits for its jobs; those it has not heard the end of by then are lost. */
    static final Duration PHASE_TIMEOUT = Duration.ofMinutes(10);
    /**
     * Client JVMs: a user's program with a modest heap. Twelve or more JVMs starting at once on a
     * small machine take longer than a single client's 15 s to reach the head.
     */
    static final List<String> CLIENT_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-Dgrid.loglevel=WARN",
        "-Dgrid.client.connect-timeout=120s");
    /**
     * One-chunk jobs each client runs before it says it is ready, not counted: the one-chunk phase
     * measures the grid's cost per job, not a fresh JVM compiling its client.
     */
    static int clientWarmUpJobs(LoadPhase.Kind kind, boolean quick) {
        return kind == LoadPhase.Kind.ONE_CHUNK ? (quick ? 50 : 500) : 10;
    }

    /** The mixed workloads: each client's jobs go round them, starting at a different one per client. */
    static List<JobSpec> mix(boolean quick) {
        return List.of(
            JobSpec.of("noop").withChunks(quick ? 10_000 : 100_000),
            JobSpec.of("leibniz-pi").param("terms", quick ? 10_000_000L : 100_000_000L).withChunks(quick ? 16 : 64),
            // Seed 1: every chunk succeeds within three retries (the head's default); 16 of 100 attempts fail.
            JobSpec.of("flaky").param("rate", 0.1).param("seed", 1).withChunks(100));
    }

    static final JobSpec ONE_CHUNK = JobSpec.of("noop").withChunks(1);

    @Override
    public String name() {
        return "load";
    }

    @Override
    public boolean usesSharedGrid() {
        return false;
    }

    @Override
    public int runs(BenchOptions options) {
        return 2;
    }

    @Override
    public Findings run(BenchContext context) throws Exception {
        LoadSize size = context.options().load();
        List<JobSpec> mix = mix(context.quick());
        List<List<JobSpec>> mixed = new ArrayList<>();
        for (int c = 0; c < size.clients(); c++) {
            List<JobSpec> jobs = new ArrayList<>();
            for (int j = 0; j < size.jobsPerClient(); j++) jobs.add(mix.get((c + j) % mix.size()));
            mixed.add(jobs);
        }
        List<List<JobSpec>> oneChunk = List.of(Collections.nCopies(size.inFlight(), ONE_CHUNK));
        context.note("working out the expected answers");
        Map<JobSpec, JsonNode> expected = new HashMap<>();
        for (JobSpec spec : mix) expected.put(spec, ExpectedAnswer.of(spec));
        expected.put(ONE_CHUNK, ExpectedAnswer.of(ONE_CHUNK));

        Map<LoadRun.Moment, LiveHeap.Reading> heap = new EnumMap<>(LoadRun.Moment.class);
        LoadRun run;
        if (context.options().remote()) {
            if (!context.options().clientSettings().isEmpty()) {
                throw new IllegalArgumentException("load --seed with --tls: the load's client JVMs take no certificate "
                    + "yet; run load against a grid without TLS, or the other experiments with --tls");
            }
            GridClient grid = context.grids().shared();
            Grids.Size gridSize = Grids.size(grid);
            warmUp(context, grid, mix);
            List<String> seeds = context.options().seeds();
            LoadPhase first = runPhase(context, LoadPhase.Kind.MIXED, mixed, seeds, expected);
            LoadPhase second = runPhase(context, LoadPhase.Kind.ONE_CHUNK, oneChunk, seeds, expected);
            for (LoadRun.Moment m : LoadRun.Moment.values()) {
                heap.put(m, LiveHeap.Reading.none("the head at --seed is not a process of this bench"));
            }
            run = new LoadRun(size, first, second, heap, gridSize);
        } else {
            Path journal = Files.createTempDirectory("grid-bench-load-journal-");
            List<String> nodeOptions = new ArrayList<>(context.options().gridJvmOptions());
            // A journal of its own: not the user's ~/.pekko-grid, nor another grid's on this machine.
            nodeOptions.add("-Dgrid.data-dir=" + journal.toAbsolutePath());
            try (LocalCluster cluster = LocalCluster.start(context.dir().resolve("logs"), nodeOptions)) {
                context.note("starting " + WORKERS + " worker JVMs");
                cluster.addWorkers(WORKERS, 1);
                GridClient grid = cluster.client();
                Grids.awaitSlots(grid, WORKERS, SLOTS_TIMEOUT);
                Grids.Size gridSize = Grids.size(grid);
                warmUp(context, grid, mix);
                List<String> seeds = List.of(cluster.seed());
                heap.put(LoadRun.Moment.BEFORE, LiveHeap.of(cluster.headPid()));
                LoadPhase first = runPhase(context, LoadPhase.Kind.MIXED, mixed, seeds, expected);
                heap.put(LoadRun.Moment.AFTER_MIXED, LiveHeap.of(cluster.headPid()));
                LoadPhase second = runPhase(context, LoadPhase.Kind.ONE_CHUNK, oneChunk, seeds, expected);
                heap.put(LoadRun.Moment.AFTER_ONE_CHUNK, LiveHeap.of(cluster.headPid()));
                run = new LoadRun(size, first, second, heap, gridSize);
            } finally {
                SequentialRun.deleteTree(journal);
            }
        }
        LoadReport.write(context, run);
        if (run.broken() > 0) {
            throw new IllegalStateException("load: " + run.broken() + " jobs did not end with their exact answer (wrong, "
                + "failed or lost); every one is in " + context.dir().resolve("runs.csv") + ", the reasons in "
                + context.dir().resolve("report.md"));
        }
        return LoadReport.findings(name(), run);
    }

    /** Each workload once at its size, and some one-chunk jobs: the head and workers compile their paths. */
    private static void warmUp(BenchContext context, GridClient grid, List<JobSpec> mix) throws Exception {
        context.note("warming up");
        for (JobSpec spec : mix) GridRun.of(grid, spec);
        LatencyExperiment.runConcurrently(grid, 50, 8);
    }

    /**
     * Starts a client JVM per list, waits until every one is connected, tells them all to go, and
     * collects how each job ended.
     */
    private static LoadPhase runPhase(BenchContext context, LoadPhase.Kind kind, List<List<JobSpec>> perClient,
                                      List<String> seeds, Map<JobSpec, JsonNode> expected) throws Exception {
        int jobs = perClient.stream().mapToInt(List::size).sum();
        context.note(kind.label + ": starting " + perClient.size() + " client JVM" + (perClient.size() == 1 ? "" : "s")
            + " for " + Figures.count(jobs) + " jobs");
        Path dir = context.dir().resolve("logs");
        Files.createDirectories(dir);
        List<NodeProcess> clients = new ArrayList<>();
        try {
            for (int c = 1; c <= perClient.size(); c++) {
                Path jobsFile = dir.resolve(kind.label + "-" + c + ".jobs");
                Files.write(jobsFile, perClient.get(c - 1).stream().map(LoadClient::line).toList());
                List<String> args = new ArrayList<>(List.of(jobsFile.toAbsolutePath().toString(),
                    String.valueOf(PHASE_TIMEOUT.toSeconds()), String.valueOf(clientWarmUpJobs(kind, context.quick()))));
                args.addAll(seeds);
                clients.add(NodeProcess.launch(kind.label + " client " + c, CLIENT_JVM_OPTIONS, LoadClient.class.getName(),
                    args, LoadClient.READY, LoadClient.JOB, dir.resolve(kind.label + "-" + c + ".log")));
            }
            for (NodeProcess client : clients) client.awaitReady();
            for (NodeProcess client : clients) client.send(LoadClient.GO);
            List<LoadJob> ended = new ArrayList<>();
            for (int c = 1; c <= clients.size(); c++) {
                NodeProcess client = clients.get(c - 1);
                List<JobSpec> specs = perClient.get(c - 1);
                int status = client.awaitExit(PHASE_TIMEOUT.plusMinutes(1));
                Map<Integer, LoadJob> byIndex = new HashMap<>();
                for (String line : client.captured()) {
                    LoadJob job = LoadJob.judge(kind, c, specs, line, expected);
                    byIndex.put(job.index(), job);
                }
                for (int i = 0; i < specs.size(); i++) {
                    LoadJob job = byIndex.get(i);
                    ended.add(job != null ? job : LoadJob.lost(kind, c, i, specs.get(i),
                        "its client exited with status " + status + " without a line for it (see " + client.log() + ")"));
                }
            }
            LoadPhase phase = new LoadPhase(kind, clients.size(), ended);
            context.step(String.format(Locale.ROOT, "%s: %s of %s exact, %s rejected, %s lost; %s jobs/s, p50 %s ms, "
                + "p99 %s ms", kind.label, Figures.count(phase.count(LoadJob.Outcome.EXACT)), Figures.count(jobs),
                Figures.count(phase.count(LoadJob.Outcome.REJECTED)), Figures.count(phase.count(LoadJob.Outcome.LOST)),
                Figures.amount(phase.jobsPerSecond()), Figures.millis(phase.percentileMillis(50)),
                Figures.millis(phase.percentileMillis(99))));
            return phase;
        } finally {
            for (NodeProcess client : clients) client.close();
        }
    }
}
