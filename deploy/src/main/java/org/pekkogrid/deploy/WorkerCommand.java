package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pekkogrid.protocol.NodeEndpoints;
import org.pekkogrid.worker.StuckThreadsExit;
import org.pekkogrid.worker.WorkerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Run a worker node: it joins the head at --seed and runs chunks on --cores slots. Downed, or "
        + "left with no head, it starts again and rejoins its seeds until it is stopped. It serves Prometheus "
        + "metrics on 127.0.0.1 unless configured.")
final class WorkerCommand implements Callable<Integer> {

    /** A worker's defaults, below the config file and the environment. */
    static final Map<String, Object> DEFAULTS = Map.of("grid.metrics.enabled", true);

    @Mixin
    NodeOptions node;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    DiscoveryOptions discovery;

    @Option(names = "--cores", paramLabel = "N", description = "Slots (compute threads); default: all processors.")
    Integer cores;

    @Option(names = "--tags", paramLabel = "TAG,...", split = ",", description = "Labels jobs can require, such as opencv.")
    List<String> tags;

    @Option(names = "--log-dir", paramLabel = "DIR",
        description = "Also log to a rolling file in DIR (GRID_LOG_DIR; sizes in grid.log); grid status shows where.")
    java.nio.file.Path logDir;

    @Option(names = "--exit-on-stdin-eof", hidden = true, description = "Stop when standard input closes (tests).")
    boolean exitOnStdinEof;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> flags = new HashMap<>();
        if (cores != null) {
            if (cores < 1) throw new IllegalArgumentException("--cores must be at least 1, got " + cores);
            flags.put("grid.worker.cores", cores);
        }
        if (tags != null) flags.put("grid.worker.tags", tags);
        metrics.addTo(flags);
        discovery.addTo(flags);
        if (logDir != null) flags.put("grid.log.dir", logDir.toString());
        Config loaded = node.load(TlsRole.WORKER, flags, DEFAULTS);
        if (!ClusterBootstrapping.enabled(loaded) && loaded.getStringList("grid.seeds").isEmpty()) {
            throw new IllegalArgumentException("a worker needs --seed HOST:PORT, the address of a head node (or "
                + "--discovery kubernetes in a Kubernetes pod)");
        }
        NodeLog log = NodeLog.start(loaded, "worker");
        Config config = log == null ? loaded : HeadCommand.withLogFile(loaded, log);
        // Settings (the capacity it advertises) and metrics belong to the process: a restarted
        // worker comes back with the same capacity, on the same metrics port.
        WorkerSettings settings = WorkerSettings.from(config);
        // The JIT compiled the kernels during the first start; warming them again would only hold
        // a restarted worker's cores (and its join) for seconds.
        WorkerSettings warm = settings.withWarmUp(Duration.ZERO);
        // A worker with more stuck threads than cores leaves its JVM, and nothing may keep that alive.
        StuckThreadsExit exit = StuckThreadsExit.haltingJvm(config.getDuration("grid.worker.stuck-exit-halt-margin"));
        try (NodeMetrics.Lease lease = NodeMetrics.start(config)) {
            NodeEndpoints endpoints = new NodeEndpoints(lease.port(), 0);
            RestartingNode worker = new RestartingNode("worker", config, exitOnStdinEof);
            return worker.run(
                attempt -> {
                    GridNodes.Worker started = GridNodes.startWorker(attempt.config(),
                        attempt.restart() ? warm : settings, endpoints,
                        lease.enabled(), attempt::willEndBecause, exit);
                    return new RestartingNode.Incarnation(started.system(), started.ready());
                },
                system -> {
                    System.out.println("worker ready at " + system.address().getHost().get() + ":"
                        + system.address().getPort().get() + " with " + settings.cores() + " cores"
                        + (settings.tags().isEmpty() ? "" : ", tags " + Arrays.toString(settings.tags().toArray()))
                        + MetricsOptions.describe(config.getString("grid.metrics.host"), endpoints.metricsPort())
                        + DiscoveryOptions.describe(config)
                        + (log != null ? "; logs to " + log.file() : ""));
                    System.out.flush();
                });
        }
    }
}
