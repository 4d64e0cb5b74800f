package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "head", mixinStandardHelpOptions = true,
    description = "Run a head node: the job coordinator. The first head founds the cluster; more heads join it "
        + "with --seed and take over if it dies.")
final class HeadCommand implements Callable<Integer> {

    @Mixin
    NodeOptions node;

    @Option(names = "--exit-on-stdin-eof", hidden = true, description = "Stop when standard input closes (tests).")
    boolean exitOnStdinEof;

    @Override
    public Integer call() throws Exception {
        Config config = node.load(node.port == null ? Map.of("grid.port", 2551) : Map.of());
        GridNodes.Head head = GridNodes.startHead(config);
        Daemon daemon = new Daemon(head.system(), exitOnStdinEof);
        head.up().thenRun(() -> {
            System.out.println("head ready at " + head.system().address().getHost().get() + ":"
                + head.system().address().getPort().get());
            System.out.flush();
        });
        return daemon.awaitTermination("head");
    }
}
