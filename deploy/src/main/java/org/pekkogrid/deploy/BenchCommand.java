package org.pekkogrid.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pekkogrid.bench.Bench;
import org.pekkogrid.bench.BenchOptions;
import org.pekkogrid.bench.LoadSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run the lab's experiments and write OUT/EXPERIMENT/: a CSV of every measured run, PNG plots and "
        + "a report.md (with `all`, also OUT/report.md, an overview).",
        "",
        "  baseline  sequential, ceiling (a plain ForkJoinPool) and grid for every workload: speedup, share of the ceiling",
        "  chunks    a fixed leibniz-pi job at 1 ... ~10^6 chunks: where per-chunk overhead takes over",
        "  workers   one worker node with 1..N slots (N = processors)",
        "  images    grayscale throughput with broken files mixed in; nothing lost",
        "  latency   one-chunk jobs back to back and with K in flight: round-trip percentiles",
        "  cluster   1..3 worker JVMs started here as processes (or, with --seed, that cluster)",
        "  load      10 client JVMs x 10 jobs at once, then 1,000 in flight: nothing lost",
        "  scale     a head and simulated nodes of 16 sleeping slots: 8 ... 1,024 slots; utilisation, head",
        "            CPU per chunk, time to reach every slot, gossip convergence (not in all; run it by name)",
        "  all       every one of them but scale",
        "",
        "Without --seed the experiments start their grids here (in this JVM, and child JVMs for `cluster`, `load` and `scale`)."})
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "EXPERIMENT",
        description = "baseline, chunks, workers, images, latency, cluster, load, scale or all.")
    String experiment;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
        description = "Directory for the results (default: results).")
    Path out;

    @Option(names = "--quick", description = "Small sizes: every experiment in seconds, for checking the bench itself.")
    boolean quick;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "3",
        description = "Measured runs per point (default 3); reports give the median and min-max.")
    int repeat;

    @Option(names = "--seed", paramLabel = "HOST:PORT", split = ",",
        description = "Measure the grid at this head instead of starting one (`workers` is then skipped).")
    List<String> seeds;

    @Option(names = "--tls", paramLabel = "NODEDIR",
        description = "With --seed: reach that grid with this client certificate's directory (grid certs issue --role client).")
    java.nio.file.Path tls;

    @Option(names = "--skip", paramLabel = "EXPERIMENT", split = ",",
        description = "With all: leave these out (comma-separated or repeated), such as --skip load,images.")
    List<String> skip;

    @Option(names = "--clients", paramLabel = "N",
        description = "load: client JVMs submitting at once (default 10; 3 with --quick).")
    Integer clients;

    @Option(names = "--jobs-per-client", paramLabel = "M",
        description = "load: mixed jobs each client submits at once (default 10; 4 with --quick).")
    Integer jobsPerClient;

    @Option(names = "--in-flight", paramLabel = "K",
        description = "load: one-chunk jobs one client submits at once (default 1000; 40 with --quick).")
    Integer inFlight;

    @Option(names = "--grid-setting", paramLabel = "KEY=VALUE",
        description = "A setting for the head and worker JVMs the bench starts (cluster, load), such as "
            + "grid.head.max-jobs=2000; repeatable. The reports name them.")
    Map<String, String> gridSettings;

    @Option(names = "--no-progress", description = "No progress bar, one line per run instead (the default off a terminal).")
    boolean noProgress;

    @Option(names = {"-v", "--verbose"}, description = "Log at INFO to stderr.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (!Bench.names().contains(experiment)) {
            throw new IllegalArgumentException("unknown experiment \"" + experiment + "\"; known: "
                + String.join(", ", Bench.names()));
        }
        if (seeds != null) for (String s : seeds) org.pekkogrid.protocol.GridConfig.seedAddress("grid", s);
        if (gridSettings != null) {
            for (String key : gridSettings.keySet()) {
                // A node command's own defaults sit above system properties: a -D would be ignored.
                if (HeadCommand.DEFAULTS.containsKey(key) || WorkerCommand.DEFAULTS.containsKey(key)) {
                    throw new IllegalArgumentException("--grid-setting " + key + ": `grid head` and `grid worker` set "
                        + "this one themselves, and a -D setting does not change it; settings such as "
                        + "grid.head.max-jobs can be given");
                }
            }
        }
        Map<String, Object> clientSettings = Map.of();
        if (tls != null) {
            if (seeds == null) throw new IllegalArgumentException("--tls goes with --seed: the grids the bench starts itself are its own");
            TlsFiles files = TlsFiles.in(tls);
            files.check(TlsRole.CLIENT, java.time.Instant.now());
            clientSettings = NodeTls.settings(files, TlsRole.CLIENT);
        }
        BenchOptions options = new BenchOptions(out, quick, repeat, seeds, !noProgress && System.console() != null,
            System.err, gridSettings, LoadSize.of(quick, clients, jobsPerClient, inFlight), clientSettings);
        for (String line : Bench.run(experiment, skip == null ? List.of() : skip, options)) System.out.println(line);
        return GridMain.COMPLETED;
    }
}
