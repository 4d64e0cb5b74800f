package org.pekkogrid.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pekkogrid.client.GridClient;

/**
 * A grid of real processes on this machine: a head JVM and worker JVMs added one at a time,
 * for the cluster-size experiment. Every JVM it starts is stopped by {@link #close()}.
 */
final class LocalCluster implements AutoCloseable {

    /** Child JVMs get a modest heap: several share one machine with the bench JVM. */
    static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseParallelGC",
        // Logs at WARN keep the node logs short; tags are not probed: leibniz-pi needs no OpenCV
        // and each probe would unpack OpenCV's natives (~65 MB) into /tmp.
        "-Dgrid.loglevel=WARN", "-Dgrid.worker.probe-tags=off",
        // The experiment warms each cluster size with a job of its own; warming every workload's
        // kernel on one core would add seconds to each worker's start and nothing to the figures.
        "-Dgrid.worker.warm-up=0s");

    private final NodeProcess head;
    private final String seed;
    private final Path logs;
    private final List<String> jvmOptions;
    private final List<NodeProcess> workers = new ArrayList<>();
    private GridClient client;

    private LocalCluster(NodeProcess head, String seed, Path logs, List<String> jvmOptions) {
        this.head = head;
        this.seed = seed;
        this.logs = logs;
        this.jvmOptions = jvmOptions;
    }

    /** Starts the head on a free port and waits until it is up. */
    static LocalCluster start(Path logs) throws IOException {
        return start(logs, List.of());
    }

    /**
     * As {@link #start(Path)}, every node's JVM started with these options after {@link #JVM_OPTIONS}
     * (the {@code -D} settings of {@code --grid-setting}, a journal directory of its own).
     */
    static LocalCluster start(Path logs, List<String> moreJvmOptions) throws IOException {
        return start(logs, moreJvmOptions, List.of(), List.of());
    }

    /**
     * As {@link #start(Path, List)}, the head with these JVM options of its own (after the others)
     * and these arguments after {@code grid head --port 0}.
     */
    static LocalCluster start(Path logs, List<String> moreJvmOptions, List<String> headJvmOptions,
                              List<String> headArgs) throws IOException {
        List<String> options = new ArrayList<>(JVM_OPTIONS);
        options.addAll(moreJvmOptions);
        List<String> headOptions = new ArrayList<>(options);
        headOptions.addAll(headJvmOptions);
        List<String> args = new ArrayList<>(List.of("head", "--port", "0"));
        args.addAll(headArgs);
        NodeProcess head = NodeProcess.start("head", headOptions, args, "head ready at ", logs.resolve("head.log"));
        // "head ready at HOST:PORT; metrics at ...": the seed is the first word.
        String seed = head.readyLine().substring("head ready at ".length()).split("[;\\s]", 2)[0];
        return new LocalCluster(head, seed, logs, List.copyOf(options));
    }

    /** The head's process id, to read its heap from outside. */
    long headPid() {
        return head.pid();
    }

    String seed() {
        return seed;
    }

    /** Starts one more worker JVM with this many slots and waits until it is ready (warm and a member). */
    NodeProcess addWorker(int cores) throws IOException {
        return addWorkers(1, cores).get(0);
    }

    /** Starts {@code count} more worker JVMs together, each with this many slots, and waits until all are ready. */
    List<NodeProcess> addWorkers(int count, int cores) throws IOException {
        List<NodeProcess> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = workers.size() + 1;
            NodeProcess worker = NodeProcess.launchNode("worker " + n, jvmOptions,
                List.of("worker", "--seed", seed, "--cores", String.valueOf(cores)), "worker ready at ",
                logs.resolve("worker-" + n + ".log"));
            workers.add(worker);
            started.add(worker);
        }
        for (NodeProcess worker : started) worker.awaitReady();
        return started;
    }

    /** A client of this cluster in this JVM, joined on first use; closed last, after the nodes have left. */
    synchronized GridClient client() {
        if (client == null) client = GridClient.connect(seed);
        return client;
    }

    int workers() {
        return workers.size();
    }

    @Override
    public synchronized void close() {
        // Youngest first, one at a time: the oldest worker hosts the shard coordinator, and workers
        // that leave together hand it to each other and wait out their shutdown timeouts.
        for (int i = workers.size() - 1; i >= 0; i--) workers.get(i).close();
        workers.clear();
        head.close();
        // A client that leaves first is seen as unreachable by the nodes still leaving, and each of
        // them then waits out its shutdown timeout (10 s): so the client goes last.
        if (client != null) client.close();
    }
}
