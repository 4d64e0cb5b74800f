package org.pekkogrid.deploy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.GridConfig;

/**
 * Heads and workers as JVMs of their own on loopback ({@link ChildNode}), and clients in this
 * JVM. Heads listen on fixed ports chosen up front, and
 * every head gets the same seed list of all heads, as the README tells users to do; metrics and
 * HTTP ports are any free ones. Closing stops clients, then workers, then heads.
 */
final class ChildGrid implements AutoCloseable {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final List<Integer> headPorts = new ArrayList<>();
    private final List<ChildNode> nodes = new ArrayList<>();
    private final List<ChildNode> heads = new ArrayList<>();
    private final List<GridClient> clients = new ArrayList<>();
    private final List<String> jvmOptions;

    /** A grid of {@code heads} head addresses (none started yet), its nodes on the production settings. */
    ChildGrid(int heads) throws Exception {
        this(heads, List.of());
    }

    /** As {@link #ChildGrid(int)}, each node's JVM started with these options (-D settings, say). */
    ChildGrid(int heads, List<String> jvmOptions) throws Exception {
        for (int i = 0; i < heads; i++) headPorts.add(ChildNode.freePort());
        // One journal for the whole grid, so that a head that takes over reads what the dead one wrote.
        List<String> options = new ArrayList<>(jvmOptions);
        if (options.stream().noneMatch(o -> o.startsWith("-Dgrid.data-dir="))) {
            options.add("-Dgrid.data-dir=" + ChildNode.DATA.resolve("grid-" + headPorts.get(0) + "-" + System.nanoTime())
                .toAbsolutePath());
        }
        this.jvmOptions = List.copyOf(options);
    }

    /** {@code host:port} of head {@code i} (from 1). */
    String head(int i) {
        return "127.0.0.1:" + headPorts.get(i - 1);
    }

    /** Every head's {@code host:port}, comma-separated: the one seed list of all nodes. */
    String seeds() {
        return headPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** Starts head {@code i} on its port with the seed list of all heads ({@code name} names its logs). */
    ChildNode startHead(String name, int i) throws Exception {
        return startHead(name, i, true);
    }

    /** Starts head {@code i} on its port; without seeds it founds a cluster by itself, as a lone `grid head` does. */
    ChildNode startHead(String name, int i, boolean seeded) throws Exception {
        return startHead(name, i, seeded, List.of());
    }

    /** As {@link #startHead(String, int, boolean)}, with JVM options of this head's own after the grid's. */
    ChildNode startHead(String name, int i, boolean seeded, List<String> ownJvmOptions) throws Exception {
        List<String> args = new ArrayList<>(List.of("head", "--port", String.valueOf(headPorts.get(i - 1)),
            "--http-port", "0", "--metrics-port", "0", "--exit-on-stdin-eof"));
        if (seeded) args.addAll(List.of("--seed", seeds()));
        List<String> options = new ArrayList<>(jvmOptions);
        options.addAll(ownJvmOptions);
        ChildNode head = ChildNode.start(name, options, args.toArray(String[]::new));
        nodes.add(head);
        heads.add(head);
        return head;
    }

    /** Starts a one-core worker that joins the heads' seed list. */
    ChildNode startWorker(String name) throws Exception {
        ChildNode worker = ChildNode.start(name, jvmOptions, "worker", "--seed", seeds(), "--cores", "1", "--metrics-port", "0",
            "--exit-on-stdin-eof");
        nodes.add(worker);
        return worker;
    }

    /**
     * A client that reaches the grid through these heads, the first first (it is not a cluster
     * member), with the nodes' -D settings, as a user's config would pass them.
     */
    GridClient connect(int... heads) {
        List<String> seeds = java.util.Arrays.stream(heads).mapToObj(this::head).toList();
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("grid.seeds", seeds));
        for (String option : jvmOptions) {
            if (!option.startsWith("-D") || !option.contains("=")) continue;
            settings.put(option.substring(2, option.indexOf('=')), option.substring(option.indexOf('=') + 1));
        }
        GridClient client = GridClient.connect(ConfigFactory.parseMap(settings).withFallback(GridConfig.defaults()));
        clients.add(client);
        return client;
    }

    /** The {@code host:port} a node printed in its ready line. */
    static String readyAddress(ChildNode node, String role) throws Exception {
        String prefix = role + " ready at ";
        return node.awaitLine(prefix, READY_TIMEOUT).substring(prefix.length()).split("[;\\s]")[0];
    }

    /**
     * The client's view of the cluster once {@code settled} holds. Membership and slot placement
     * change by gossip, with no event for "settled": this polls the head's status.
     */
    static ClusterStatus awaitStatus(GridClient client, Predicate<ClusterStatus> settled, Duration timeout)
        throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        ClusterStatus status = null;
        while (System.nanoTime() < deadline) {
            try {
                // An ask sent to a coordinator that just died is lost: stop waiting for it after a
                // second, and ask again (the client's proxy finds the new one in the meantime).
                status = client.status().toCompletableFuture().get(1, TimeUnit.SECONDS);
                if (settled.test(status)) return status;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // no coordinator to answer yet: ask again
            }
            CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(250, TimeUnit.MILLISECONDS)).join();
        }
        throw new AssertionError("the cluster did not settle within " + timeout.toSeconds() + " s; last status " + status);
    }

    /** Whether these nodes ({@code host:port}) are all members, Up and reachable. */
    static boolean allUp(ClusterStatus status, List<String> heads, List<String> workers) {
        Map<String, ClusterStatus.Member> members = members(status);
        return java.util.stream.Stream.concat(heads.stream(), workers.stream()).allMatch(node -> {
            ClusterStatus.Member m = members.get("pekko://grid@" + node);
            return m != null && m.status().equals("Up") && m.reachable();
        });
    }

    /** Whether each of these workers ({@code host:port}) has its one slot registered with the coordinator. */
    static boolean oneSlotEach(ClusterStatus status, List<String> workers) {
        Map<String, ClusterStatus.Member> members = members(status);
        return workers.stream().allMatch(w -> members.containsKey("pekko://grid@" + w)
            && members.get("pekko://grid@" + w).slots() == 1);
    }

    private static Map<String, ClusterStatus.Member> members(ClusterStatus status) {
        return status.members().stream().collect(Collectors.toMap(ClusterStatus.Member::address, m -> m));
    }

    /** Whether every member is Up and reachable: no membership change under way. */
    static boolean settled(ClusterStatus status) {
        return status.members().stream().allMatch(m -> m.status().equals("Up") && m.reachable());
    }

    /** The heads and workers ({@code pekko://grid@host:port}) in this status. */
    static List<String> nodes(ClusterStatus status) {
        return status.members().stream()
            .filter(m -> m.roles().contains("head") || m.roles().contains("worker"))
            .map(ClusterStatus.Member::address).sorted().toList();
    }

    @Override
    public void close() {
        try {
            clients.forEach(GridClient::close);
        } finally {
            // Workers first, so that they leave through a head, one at a time, youngest first:
            // workers leaving together hand their slots to each other and stall for seconds.
            List<ChildNode> workers = new ArrayList<>(nodes.stream().filter(n -> !heads.contains(n)).toList());
            java.util.Collections.reverse(workers);
            workers.forEach(ChildNode::close);
            ChildNode.stopAll(heads);
        }
    }
}
