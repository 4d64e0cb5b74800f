package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pekkogrid.protocol.NodeEndpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "head", mixinStandardHelpOptions = true,
    description = "Run a head node: the job coordinator. A head with no --seed founds a cluster of its own. For "
        + "several heads give every head the same --seed list of all heads: the first one founds the cluster, the "
        + "others join it and take over if it dies, and a head restarted on its address joins them again. It serves "
        + "Prometheus metrics and a JSON HTTP API (GET /cluster, /jobs, /jobs/{id}) with a live web dashboard at / on 127.0.0.1 unless configured.")
final class HeadCommand implements Callable<Integer> {

    /** A head's defaults, below the config file and the environment. */
    static final Map<String, Object> DEFAULTS = Map.of(
        "grid.port", 2551,
        "grid.metrics.enabled", true,
        "grid.http.enabled", true,
        "grid.head.journal.enabled", true);

    @Mixin
    NodeOptions node;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    DiscoveryOptions discovery;

    @Option(names = "--http-port", paramLabel = "PORT",
        description = "First port tried for the JSON HTTP API (default 8558, then 8559...; 0 picks a free one).")
    Integer httpPort;

    @Option(names = "--no-http", description = "Serve no HTTP API (grid.http.enabled = off).")
    boolean noHttp;

    @Option(names = "--no-journal",
        description = "Keep no job journal (grid.head.journal.enabled = off): a job then dies with its head.")
    boolean noJournal;

    @Option(names = "--log-dir", paramLabel = "DIR",
        description = "Also log to a rolling file in DIR (GRID_LOG_DIR; sizes in grid.log); grid status shows where.")
    java.nio.file.Path logDir;

    @Option(names = "--exit-on-stdin-eof", hidden = true, description = "Stop when standard input closes (tests).")
    boolean exitOnStdinEof;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> flags = new HashMap<>();
        metrics.addTo(flags);
        discovery.addTo(flags);
        if (noHttp) flags.put("grid.http.enabled", false);
        if (noJournal) flags.put("grid.head.journal.enabled", false);
        if (httpPort != null) {
            if (httpPort < 0 || httpPort > 65535) {
                throw new IllegalArgumentException("--http-port must be within 0..65535, got " + httpPort);
            }
            flags.put("grid.http.port", httpPort);
        }
        if (logDir != null) flags.put("grid.log.dir", logDir.toString());
        Config loaded = node.load(TlsRole.HEAD, flags, DEFAULTS);
        NodeLog log = NodeLog.start(loaded, "head");
        Config config = log == null ? loaded : withLogFile(loaded, log);
        // Metrics and the HTTP port belong to the process: a restarted head serves on the same ports.
        try (NodeMetrics.Lease lease = NodeMetrics.start(config)) {
            GridNodes.HeadPorts ports = GridNodes.headPorts(config, lease);
            NodeEndpoints endpoints = ports.endpoints();
            RestartingNode head = new RestartingNode("head", config, exitOnStdinEof);
            return head.run(
                attempt -> {
                    GridNodes.Head started = GridNodes.startHead(attempt.config(), endpoints, lease.enabled(),
                        attempt.restart() ? null : ports.httpHeld());
                    return new RestartingNode.Incarnation(started.system(), started.up());
                },
                system -> {
                    int http = endpoints.httpPort();
                    System.out.println("head ready at " + system.address().getHost().get() + ":"
                        + system.address().getPort().get()
                        + MetricsOptions.describe(config.getString("grid.metrics.host"), endpoints.metricsPort())
                        + (http > 0 ? "; HTTP API at http://" + config.getString("grid.http.host") + ":" + http
                            + " (dashboard: http://" + config.getString("grid.http.host") + ":" + http + "/)" : "")
                        + DiscoveryOptions.describe(config)
                        + (log != null ? "; logs to " + log.file() : ""));
                    System.out.flush();
                });
        }
    }

    /** The config with the file the node logs to, which the node advertises ({@link GridNodes#LOG_FILE}). */
    static Config withLogFile(Config config, NodeLog log) {
        return config.withValue(GridNodes.LOG_FILE, com.typesafe.config.ConfigValueFactory.fromAnyRef(log.file().toString()));
    }
}
