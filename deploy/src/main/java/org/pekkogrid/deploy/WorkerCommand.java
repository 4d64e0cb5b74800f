package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Run a worker node: it joins the head at --seed and runs chunks on --cores slots. It serves "
        + "Prometheus metrics on 127.0.0.1 unless configured.")
final class WorkerCommand implements Callable<Integer> {

    /** A worker's defaults, below the config file and the environment. */
    static final Map<String, Object> DEFAULTS = Map.of("grid.metrics.enabled", true);

    @Mixin
    NodeOptions node;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--cores", paramLabel = "N", description = "Slots (compute threads); default: all processors.")
    Integer cores;

    @Option(names = "--tags", paramLabel = "TAG,...", split = ",", description = "Labels jobs can require, such as opencv.")
    List<String> tags;

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
        Config config = node.load(flags, DEFAULTS);
        if (config.getStringList("grid.seeds").isEmpty()) {
            throw new IllegalArgumentException("a worker needs --seed HOST:PORT, the address of a head node");
        }
        GridNodes.Worker worker = GridNodes.startWorker(config);
        Daemon daemon = new Daemon(worker.system(), exitOnStdinEof);
        worker.ready().thenRun(() -> {
            System.out.println("worker ready at " + worker.system().address().getHost().get() + ":"
                + worker.system().address().getPort().get() + " with " + worker.settings().cores() + " cores"
                + (worker.settings().tags().isEmpty() ? "" : ", tags " + Arrays.toString(worker.settings().tags().toArray()))
                + MetricsOptions.describe(config.getString("grid.metrics.host"), worker.endpoints().metricsPort()));
            System.out.flush();
        });
        return daemon.awaitTermination("worker");
    }
}
