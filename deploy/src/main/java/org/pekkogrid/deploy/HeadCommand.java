package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "head", mixinStandardHelpOptions = true,
    description = "Run a head node: the job coordinator. The first head founds the cluster; more heads join it "
        + "with --seed and take over if it dies. It serves Prometheus metrics and a JSON HTTP API "
        + "(GET /cluster, /jobs, /jobs/{id}) on 127.0.0.1 unless configured.")
final class HeadCommand implements Callable<Integer> {

    /** A head's defaults, below the config file and the environment. */
    static final Map<String, Object> DEFAULTS = Map.of(
        "grid.port", 2551,
        "grid.metrics.enabled", true,
        "grid.http.enabled", true);

    @Mixin
    NodeOptions node;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--http-port", paramLabel = "PORT",
        description = "First port tried for the JSON HTTP API (default 8558, then 8559...; 0 picks a free one).")
    Integer httpPort;

    @Option(names = "--no-http", description = "Serve no HTTP API (grid.http.enabled = off).")
    boolean noHttp;

    @Option(names = "--exit-on-stdin-eof", hidden = true, description = "Stop when standard input closes (tests).")
    boolean exitOnStdinEof;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> flags = new HashMap<>();
        metrics.addTo(flags);
        if (noHttp) flags.put("grid.http.enabled", false);
        if (httpPort != null) {
            if (httpPort < 0 || httpPort > 65535) {
                throw new IllegalArgumentException("--http-port must be within 0..65535, got " + httpPort);
            }
            flags.put("grid.http.port", httpPort);
        }
        Config config = node.load(flags, DEFAULTS);
        GridNodes.Head head = GridNodes.startHead(config);
        Daemon daemon = new Daemon(head.system(), exitOnStdinEof);
        head.up().thenRun(() -> {
            int http = head.endpoints().httpPort();
            System.out.println("head ready at " + head.system().address().getHost().get() + ":"
                + head.system().address().getPort().get()
                + MetricsOptions.describe(config.getString("grid.metrics.host"), head.endpoints().metricsPort())
                + (http > 0 ? "; HTTP API at http://" + config.getString("grid.http.host") + ":" + http : ""));
            System.out.flush();
        });
        return daemon.awaitTermination("head");
    }
}
