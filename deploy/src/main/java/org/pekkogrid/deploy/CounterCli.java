package org.pekkogrid.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.pekkogrid.client.CounterHandle;
import org.pekkogrid.client.CounterUnavailableException;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.CounterValue;
import org.pekkogrid.protocol.Counters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "counter", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "(incr | get)",
    description = {"Named counters held by the worker nodes: each increment counts exactly once, and a value outlives "
        + "the node that held it.",
        "",
        "With --seed this process reaches that grid's heads as a client (not a cluster member). Without it, it starts an embedded local grid whose "
            + "journal is the H2 file in the data directory (~/.pekko-grid, or GRID_DATA_DIR), so values persist "
            + "across invocations on this machine. While another grid (a head and workers started with the same data "
            + "directory) uses that journal, the embedded grid is refused: reach that grid with --seed."},
    subcommands = {CounterCli.Incr.class, CounterCli.Get.class})
final class CounterCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: incr NAME or get NAME");
    }

    /** Options of both subcommands: where the grid is, and how to print. */
    static final class Target {
        @Mixin
        NodeOptions node;

        @Option(names = "--json", description = "Print exactly one JSON object on stdout (logs go to stderr).")
        boolean json;
    }

    @Command(name = "incr", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Add to a counter (made on first use) and print its new value.",
            "An increment that gets no answer is retried with the same request id, so it never counts twice."})
    static final class Incr implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME", description = "The counter: letters, digits, '.', '_', '-'.")
        String name;

        @Option(names = "--by", paramLabel = "N", defaultValue = "1",
            description = "What to add (default 1); negative subtracts; never 0.")
        long by;

        @Option(names = "--request-id", paramLabel = "ID",
            description = "The increment's id; running the same increment again with the same id does not count it "
                + "again (default: a new random id, printed with --json).")
        String requestId;

        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            Counters.checkName(name);
            if (by == 0) throw new IllegalArgumentException("--by 0 changes nothing: give a positive number to add, or a "
                + "negative one to subtract");
            if (requestId != null) Counters.checkRequestId(requestId);
            return run("grid counter incr", name, target, counter -> {
                String id = requestId != null ? requestId : counter.newRequestId();
                return new Outcome(id, counter.increment(by, id).toCompletableFuture().join());
            }, (outcome, out) -> {
                CounterValue v = outcome.value();
                if (target.json) {
                    ObjectNode o = json(v);
                    o.put("by", by);
                    o.put("applied", v.applied());
                    o.put("requestId", outcome.requestId());
                    out.println(o.toPrettyString());
                } else if (v.applied()) {
                    out.println(v.name() + " = " + v.value() + "  (" + (by > 0 ? "+" : "") + by + ")");
                } else {
                    out.println(v.name() + " = " + v.value() + "  (request id " + outcome.requestId()
                        + " was counted before; not counted again)");
                }
            });
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print a counter's value (0 for one never incremented).")
    static final class Get implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME", description = "The counter.")
        String name;

        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            Counters.checkName(name);
            return run("grid counter get", name, target, counter -> new Outcome(null, counter.get().toCompletableFuture().join()),
                (outcome, out) -> {
                    CounterValue v = outcome.value();
                    out.println(target.json ? json(v).toPrettyString() : v.name() + " = " + v.value());
                });
        }
    }

    private record Outcome(String requestId, CounterValue value) {}

    private interface Printer {
        void print(Outcome outcome, PrintStream out);
    }

    private static int run(String command, String name, Target target, Function<CounterHandle, Outcome> operation, Printer printer) {
        Config config = target.node.load(Map.of());
        boolean local = config.getStringList("grid.seeds").isEmpty();
        Outcome outcome;
        try (GridClient client = local ? localGrid(config) : GridClient.connect(config)) {
            outcome = operation.apply(client.counter(name));
        } catch (CompletionException e) {
            if (e.getCause() instanceof CounterUnavailableException unavailable) {
                System.err.println(command + ": " + unavailable.getMessage()
                    + (unavailable.requestId() == null ? "" : " (--request-id " + unavailable.requestId() + ")"));
                return GridMain.FAILED;
            }
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            throw e;
        }
        printer.print(outcome, System.out);
        System.out.flush();
        return GridMain.COMPLETED;
    }

    /** One worker node with one slot, no kernel warm-up, no probing for OpenCV: a counter needs none of them. */
    private static GridClient localGrid(Config config) {
        Config local = ConfigFactory.parseMap(Map.of("grid.worker.warm-up", "0ms", "grid.worker.probe-tags", "off"))
            .withFallback(config);
        return EmbeddedGrid.start(local, 1, 1).client();
    }

    private static ObjectNode json(CounterValue v) {
        ObjectNode o = JobSession.JSON.createObjectNode();
        o.put("counter", v.name());
        o.put("value", v.value());
        o.put("node", v.node());
        return o;
    }
}
