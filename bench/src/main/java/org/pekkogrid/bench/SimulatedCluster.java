package org.pekkogrid.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.pekkogrid.client.GridClient;

/**
 * A head JVM and simulated worker nodes: a few host JVMs, each running many light worker nodes
 * (one actor system and cluster member each, on its own loopback port) of up to
 * {@link #SLOTS_PER_NODE} slots. The cluster grows between sizes; every JVM it starts is stopped
 * by {@link #close()}.
 */
final class SimulatedCluster implements AutoCloseable {

    /** The host's main class, named rather than imported: bench does not depend on deploy. */
    static final String HOST_MAIN = "org.pekkogrid.deploy.SimulatedNodes";
    static final String HOST_READY = "simulated nodes ready";
    static final String ADDED = "added ";
    static final int SLOTS_PER_NODE = 16;
    static final Duration GROW_TIMEOUT = Duration.ofMinutes(3);
    /**
     * Up to sixteen actor systems, each with 16 compute threads that only sleep. The heap is for
     * remoting: every association's inbound compression keeps a count-min sketch of 128 KiB for
     * actor refs and one for manifests, so 16 nodes each talking to 64 others hold about 270 MiB;
     * with 768 MiB a host spent its time in full GCs at 1,024 slots and its nodes were downed.
     */
    static final List<String> HOST_JVM_OPTIONS = List.of("-Xmx1536m", "-XX:+UseSerialGC", "-Dgrid.loglevel=WARN");

    private final LocalCluster head;
    private final List<NodeProcess> hosts;
    private int nodes;
    private int slots;
    private PendingGrowth pending;

    private SimulatedCluster(LocalCluster head, List<NodeProcess> hosts) {
        this.head = head;
        this.hosts = hosts;
    }

    /** Starts the head and {@code hostJvms} empty host JVMs. */
    static SimulatedCluster start(Path logs, int hostJvms, List<String> gridJvmOptions,
                                  List<String> headJvmOptions, List<String> headArgs) throws IOException {
        LocalCluster head = LocalCluster.start(logs, gridJvmOptions, headJvmOptions, headArgs);
        List<NodeProcess> hosts = new ArrayList<>();
        try {
            List<String> options = new ArrayList<>(HOST_JVM_OPTIONS);
            options.addAll(gridJvmOptions);
            for (int h = 1; h <= hostJvms; h++) {
                hosts.add(NodeProcess.launch("host " + h, options, HOST_MAIN,
                    List.of(head.seed()), HOST_READY, ADDED,
                    logs.resolve("host-" + h + ".log")));
            }
            for (NodeProcess host : hosts) host.awaitReady();
        } catch (RuntimeException | IOException e) {
            hosts.forEach(NodeProcess::close);
            head.close();
            throw e;
        }
        return new SimulatedCluster(head, hosts);
    }

    /**
     * When the nodes of one growth began to join: the last of them had its actor system started
     * at {@code lastStartedAtMillis}, and each host saw all of its new nodes Up with their slots by
     * {@code readyAtMillis} (wall clock of this machine, so the JVMs share it).
     */
    record Growth(long commandSentAtMillis, long lastStartedAtMillis, long readyAtMillis) {}

    /**
     * Tells the hosts to add worker nodes until there are {@code totalSlots}: nodes of
     * {@link #SLOTS_PER_NODE} slots and one smaller for the rest, spread evenly over the hosts.
     * Returns at once; {@link #awaitGrowth()} waits until every host has started its share.
     */
    void growTo(int totalSlots) throws IOException {
        if (totalSlots <= slots) throw new IllegalArgumentException("the cluster has " + slots + " slots already");
        if (pending != null) throw new IllegalStateException("the previous growth was not awaited");
        List<Integer> newNodes = newNodes(totalSlots - slots);
        List<List<String>> perHost = new ArrayList<>();
        for (int h = 0; h < hosts.size(); h++) perHost.add(new ArrayList<>());
        for (int i = 0; i < newNodes.size(); i++) {
            perHost.get((nodes + i) % hosts.size()).add(String.valueOf(newNodes.get(i)));
        }
        int[] adding = new int[hosts.size()];
        int[] linesBefore = new int[hosts.size()];
        long sent = System.currentTimeMillis();
        for (int h = 0; h < hosts.size(); h++) {
            adding[h] = perHost.get(h).size();
            linesBefore[h] = hosts.get(h).captured().size();
            if (adding[h] > 0) hosts.get(h).send("add " + String.join(" ", perHost.get(h)));
        }
        pending = new PendingGrowth(nodes + newNodes.size(), totalSlots, adding, linesBefore, sent);
    }

    /** The slots of each node to add for {@code slots} more. */
    static List<Integer> newNodes(int slots) {
        List<Integer> nodes = new ArrayList<>();
        for (int i = 0; i < slots / SLOTS_PER_NODE; i++) nodes.add(SLOTS_PER_NODE);
        if (slots % SLOTS_PER_NODE > 0) nodes.add(slots % SLOTS_PER_NODE);
        return nodes;
    }

    private record PendingGrowth(int nodes, int slots, int[] adding, int[] linesBefore, long sentAtMillis) {}

    /** Waits until every host has started its share of the last {@link #growTo}, and says when. */
    Growth awaitGrowth() throws InterruptedException {
        PendingGrowth p = pending;
        if (p == null) throw new IllegalStateException("no growth to await");
        long lastStarted = 0;
        long ready = 0;
        long deadline = System.nanoTime() + GROW_TIMEOUT.toNanos();
        for (int h = 0; h < hosts.size(); h++) {
            if (p.adding()[h] == 0) continue;
            NodeProcess host = hosts.get(h);
            while (host.captured().size() <= p.linesBefore()[h]) {
                if (System.nanoTime() > deadline || !host.isAlive()) {
                    throw new IllegalStateException(host.name() + " did not start " + p.adding()[h] + " nodes within "
                        + GROW_TIMEOUT.toSeconds() + "s; its output is in " + host.log());
                }
                Thread.sleep(20);  // polling the host's output; it prints one line per growth
            }
            // "added K started-at MS ready-at MS"
            String[] words = host.captured().get(p.linesBefore()[h]).split(" ");
            lastStarted = Math.max(lastStarted, Long.parseLong(words[3]));
            ready = Math.max(ready, Long.parseLong(words[5]));
        }
        nodes = p.nodes();
        slots = p.slots();
        pending = null;
        return new Growth(p.sentAtMillis(), lastStarted, ready);
    }

    int nodes() {
        return nodes;
    }

    int slots() {
        return slots;
    }

    long headPid() {
        return head.headPid();
    }

    List<Long> hostPids() {
        return hosts.stream().map(NodeProcess::pid).toList();
    }

    GridClient client() {
        return head.client();
    }

    @Override
    public void close() {
        // Hosts first, together: each stops its nodes at once; the head and the client last.
        List<Thread> stopping = new ArrayList<>();
        for (NodeProcess host : hosts) {
            Thread t = new Thread(host::close, "bench-stop-" + host.name());
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        head.close();
    }
}
