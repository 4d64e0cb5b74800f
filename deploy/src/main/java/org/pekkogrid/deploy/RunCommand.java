package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.FileRoots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run a job on an embedded local grid: a head and --nodes worker nodes in this JVM, talking over "
        + "loopback as separate machines would. No set-up needed. Ctrl-C or SIGTERM cancels the job (exit status 4).")
final class RunCommand implements Callable<Integer> {

    @Mixin
    JobOptions job;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "1", description = "Worker nodes to start (default 1).")
    int nodes;

    @Option(names = "--cores", paramLabel = "N",
        description = "Slots per worker node (default: this machine's processors divided among the nodes).")
    Integer cores;

    @Option(names = "--tags", paramLabel = "TAG,...", split = ",", description = "Tags of the embedded worker nodes.")
    List<String> tags;

    @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file of settings.")
    Path configFile;

    @Option(names = {"-v", "--verbose"}, description = "Log at INFO to stderr.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        JobSpec spec = job.spec();
        int processors = Runtime.getRuntime().availableProcessors();
        if (nodes < 1) throw new IllegalArgumentException("--nodes must be at least 1, got " + nodes);
        if (nodes > 64) throw new IllegalArgumentException("--nodes must be at most 64 in one JVM, got " + nodes);
        int perNode = cores != null ? cores : Math.max(1, processors / nodes);
        if (perNode < 1) throw new IllegalArgumentException("--cores must be at least 1, got " + perNode);
        if (perNode > processors) {
            throw new IllegalArgumentException("--cores (" + perNode + ") exceeds this machine's " + processors + " processors");
        }
        Map<String, Object> flags = new HashMap<>();
        if (tags != null) flags.put("grid.worker.tags", tags);
        Config config = NodeConfig.load(configFile, System.getenv(), flags);
        // Bad input is refused before anything starts.
        BoundJob<?, ?, ?, ?> bound = BoundJob.bind(spec.workload(), spec.params(), spec.chunks(),
            config.getLong("grid.job.max-chunks"), FileRoots.from(config));
        if (bound.requirements().and(spec.requires()).tags().isEmpty()) {
            // Probing tags loads OpenCV's natives (a second, 60 MB in /tmp): only when the job needs a tag.
            config = com.typesafe.config.ConfigFactory.parseMap(Map.of("grid.worker.probe-tags", false)).withFallback(config);
        }
        try (GridClient client = EmbeddedGrid.start(config, nodes, perNode).client()) {
            return JobSession.run("grid run", client, spec, job, System.out, System.err);
        }
    }
}
