package org.pekkogrid.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.JobSpec;

/**
 * A head for many slots, shown by simulation: one head JVM and simulated worker nodes (many
 * light actor systems in a few host JVMs, each a real cluster member) of 16 slots, whose chunks
 * sleep 10 ms and cost no CPU. At each size it measures slot utilisation, the head's CPU per
 * chunk, chunks/s, the time to reach every slot, and how long the cluster took to take the new
 * nodes in.
 */
final class ScaleExperiment implements Experiment {

    static final long CHUNK_MILLIS = 10;
    /**
     * Rows the head keeps per job report (grid.head.report.chunk-rows), the first results in: 64
     * per slot at 1,024 slots, so that every slot's first chunk is among them (16,384 missed slots
     * that started late), and the same cap at every size.
     */
    static final int CHUNK_ROWS = 65_536;
    static final List<String> HEAD_ARGS = List.of("--no-http", "--no-metrics", "--no-journal");
    /**
     * For every JVM of the simulated cluster: dozens of nodes share two cores here, so a node's
     * heartbeats can wait seconds for a thread (nodes of a real cluster each have cores of their
     * own). With the defaults (3 s of pause accepted; down all when reachability keeps changing)
     * such a wait downed the whole cluster of 65 nodes while it grew; and the bench's client, as
     * starved, missed the head's 15 s client timeout and had its job cancelled.
     */
    static final List<String> SIMULATION_JVM_OPTIONS = List.of(
        "-Dpekko.cluster.failure-detector.acceptable-heartbeat-pause=20s",
        "-Dpekko.cluster.split-brain-resolver.down-all-when-unstable=off",
        "-Dgrid.head.client-timeout=120s");

    @Override
    public String name() {
        return "scale";
    }

    /** Slots at each size: 8 (one node of 8 slots), then nodes of 16 added. */
    static List<Integer> sizes(boolean quick) {
        return quick ? List.of(8, 32) : List.of(8, 64, 256, 1024);
    }

    /** Chunks per slot in a measured job: 300 x 10 ms = 3 s of work per slot (0.5 s with --quick). */
    static int chunksPerSlot(boolean quick) {
        return quick ? 50 : 300;
    }

    /** JVMs hosting the simulated nodes: up to 16 nodes (256 slots) each at the largest size. */
    static int hostJvms(boolean quick) {
        return quick ? 1 : 4;
    }

    @Override
    public boolean usesSharedGrid() {
        return false;
    }

    /** Not in {@code all}: a head and host JVMs of their own, and minutes at full size; run it by name. */
    @Override
    public boolean inAll() {
        return false;
    }

    @Override
    public int runs(BenchOptions options) {
        return options.remote() ? 0 : sizes(options.quick()).size() * options.repeat();
    }

    @Override
    public Findings run(BenchContext context) throws Exception {
        if (context.options().remote()) return skipped(context);
        boolean quick = context.quick();
        List<ClusterJoin> joins = new ArrayList<>();
        List<ScaleRun> runs = new ArrayList<>();
        try (CsvFile csv = CsvFile.create(context.dir().resolve("runs.csv"), "slots", "nodes", "run", "chunks",
                "chunks_done", "makespan_ms", "utilisation", "head_cpu_ms", "head_cpu_us_per_chunk", "hosts_cpu_ms",
                "hosts_cpu_us_per_chunk", "chunks_per_s",
                "first_dispatch_to_every_slot_ms", "slots_used", "nodes_used", "slots_seen", "chunk_rows");
             SimulatedCluster cluster = SimulatedCluster.start(context.dir().resolve("logs"), hostJvms(quick),
                 jvmOptions(context), List.of("-Dgrid.head.report.chunk-rows=" + CHUNK_ROWS), HEAD_ARGS)) {
            for (int slots : sizes(quick)) {
                context.note("growing the cluster to " + slots + " slots");
                ClusterJoin join = ClusterJoin.grow(cluster, slots);
                joins.add(join);
                context.note(String.format(Locale.ROOT, "%d nodes, %d slots: all Up %s ms after the last began to "
                    + "join; warming up", join.nodes(), join.slots(), Figures.millis(join.convergenceMillis())));
                GridClient grid = cluster.client();
                long chunks = slots * (long) chunksPerSlot(quick);
                GridRun.of(grid, job(chunks));
                for (int run = 1; run <= context.repeat(); run++) {
                    ScaleRun r = measure(cluster, join.nodes(), slots, run, chunks);
                    runs.add(r);
                    csv.row(r.slots(), r.nodes(), r.run(), r.chunks(), r.chunksDone(), r.makespanMillis(),
                        r.utilisation(), r.headCpuMillis(), r.headCpuMicrosPerChunk(), r.hostsCpuMillis(),
                        r.hostsCpuMicrosPerChunk(), r.chunksPerSecond(),
                        r.firstDispatchAllMillis(), r.slotsUsed(), r.nodesUsed(), r.slotsSeen(), r.rows());
                    context.step(String.format(Locale.ROOT, "%d slots run %d: %d slots used, utilisation %s, head CPU %s "
                        + "µs/chunk, %s chunks/s", slots, run, r.slotsUsed(), Figures.percent(r.utilisation()),
                        Figures.amount(r.headCpuMicrosPerChunk()), Figures.amount(r.chunksPerSecond())));
                }
            }
        }
        List<ScaleSize> sizes = ScaleSize.of(joins, runs);
        ScaleReport.write(context, sizes, chunksPerSlot(quick), hostJvms(quick));
        return new Findings(name(), "A head for many slots (simulated nodes)", List.of(ScaleReport.sentence(sizes)));
    }

    private static List<String> jvmOptions(BenchContext context) {
        List<String> options = new ArrayList<>(SIMULATION_JVM_OPTIONS);
        options.addAll(context.options().gridJvmOptions());
        return options;
    }

    static JobSpec job(long chunks) {
        return JobSpec.of("sleep").param("millis", CHUNK_MILLIS).withChunks(chunks);
    }

    /** One job, with the CPU time of the head and of the hosts read before it is submitted and after its report arrived. */
    private static ScaleRun measure(SimulatedCluster cluster, int nodes, int slots, int run, long chunks) {
        double headBefore = ProcessCpu.millis(cluster.headPid());
        double hostsBefore = ProcessCpu.millis(cluster.hostPids());
        GridRun g = GridRun.of(cluster.client(), job(chunks));
        double head = ProcessCpu.millis(cluster.headPid()) - headBefore;
        double hosts = ProcessCpu.millis(cluster.hostPids()) - hostsBefore;
        ScaleRun r = ScaleRun.of(nodes, slots, run, chunks, g.report(), head, hosts);
        if (r.chunksDone() != chunks) {
            throw new IllegalStateException("a job of " + chunks + " chunks on " + slots + " slots reported "
                + r.chunksDone() + " done");
        }
        return r;
    }

    private Findings skipped(BenchContext context) throws Exception {
        String why = "Skipped: scale starts a head and simulated worker nodes of its own on this machine; it does not "
            + "measure the grid at --seed. Run `grid bench scale` without --seed.";
        new Markdown().heading(1, "A head for many slots").paragraph(why).write(context.dir().resolve("report.md"));
        return new Findings(name(), "A head for many slots", List.of(why));
    }
}
