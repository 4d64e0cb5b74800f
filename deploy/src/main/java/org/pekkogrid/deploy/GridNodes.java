package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.pekkogrid.head.HeadMetrics;
import org.pekkogrid.head.HeadNode;
import org.pekkogrid.head.HeadSettings;
import org.pekkogrid.head.HttpApi;
import org.pekkogrid.head.HttpApiSettings;
import org.pekkogrid.head.JobJournalSettings;
import org.pekkogrid.head.KamonHeadMetrics;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.NodeAddress;
import org.pekkogrid.protocol.NodeEndpoints;
import org.pekkogrid.protocol.NodeLogFile;
import org.pekkogrid.protocol.Roles;
import org.pekkogrid.worker.KamonWorkerMetrics;
import org.pekkogrid.worker.StuckThreadsExit;
import org.pekkogrid.worker.WorkerMetrics;
import org.pekkogrid.worker.WorkerNode;
import org.pekkogrid.worker.WorkerSettings;
import org.pekkogrid.workloads.FileRoots;

/**
 * Starts the actor system of a head or a worker node from a layered config, with its metrics
 * ({@code grid.metrics}) and, on a head, its HTTP API ({@code grid.http}). Their ports travel as
 * cluster roles ({@link NodeEndpoints}), so they are bound before the actor system starts.
 */
public final class GridNodes {

    private static final long HTTP_BIND_SECONDS = 10;

    private GridNodes() {}

    /** A started head: its system, a proxy to the coordinator, when this node is Up, and where it serves. */
    public record Head(ActorSystem<Void> system, ActorRef<CoordinatorCommand> coordinator, CompletableFuture<Void> up,
                       NodeEndpoints endpoints) {}

    /** A started worker: its system, when its slots are warm and started, and where it serves metrics. */
    public record Worker(ActorSystem<Void> system, WorkerSettings settings, CompletableFuture<Void> ready,
                         NodeEndpoints endpoints) {}

    /**
     * Starts a head whose metrics and HTTP API live as long as its actor system (an embedded
     * grid's); with no seeds it founds the cluster by joining itself.
     */
    public static Head startHead(Config config) {
        NodeMetrics.Lease metrics = NodeMetrics.start(config);
        try {
            HeadPorts ports = headPorts(config, metrics);
            Head head = startHead(config, ports.endpoints(), metrics.enabled(), ports.httpHeld());
            head.system().getWhenTerminated().thenRun(metrics::close);
            return head;
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /**
     * Where a head serves: the port of its metrics lease, and a free port for its HTTP API (0
     * when off), held by a bound socket until the API binds it.
     */
    record HeadPorts(NodeEndpoints endpoints, ServerSocket httpHeld) {}

    static HeadPorts headPorts(Config config, NodeMetrics.Lease metrics) {
        HttpApiSettings http = HttpApiSettings.from(config);
        if (!http.enabled()) return new HeadPorts(new NodeEndpoints(metrics.port(), 0), null);
        ServerSocket held = PortRange.reserve("grid.http", http.host(), http.port(), http.portRange());
        return new HeadPorts(new NodeEndpoints(metrics.port(), held.getLocalPort()), held);
    }

    /**
     * Starts one actor system of a head that serves at {@code endpoints}: the caller holds the
     * metrics and keeps the ports across restarts. With no seeds it founds the cluster by joining
     * itself; it serves its HTTP API on {@code endpoints.httpPort()} unless that is 0.
     *
     * @param httpHeld null, or the socket holding the HTTP port, closed just before the API binds it
     */
    static Head startHead(Config config, NodeEndpoints endpoints, boolean metrics, ServerSocket httpHeld) {
        HeadSettings settings = HeadSettings.from(config);
        FileRoots.from(config);  // a bad grid.files.roots stops the node before it starts
        List<String> roles = new ArrayList<>(List.of(Roles.HEAD));
        roles.addAll(endpoints.toRoles());
        roles.addAll(NodeLogFile.toRoles(logFile(config)));
        boolean bootstrap = ClusterBootstrapping.enabled(config);
        Config nodeConfig = ConfigFactory.parseMap(Map.of("pekko.cluster.seed-node-timeout",
                config.getDuration("grid.head.seed-node-timeout").toMillis() + "ms"))
            .withFallback(bootstrap ? ClusterBootstrapping.pekkoSettings(config, true) : ConfigFactory.empty())
            .withFallback(GridConfig.forNode(config, roles));
        CompletableFuture<ActorRef<CoordinatorCommand>> coordinator = new CompletableFuture<>();
        CompletableFuture<Void> up = new CompletableFuture<>();
        Head head;
        try {
            ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
                Cluster cluster = Cluster.get(ctx.getSystem());
                completeWhenUp(ctx, up);
                if (!bootstrap && nodeConfig.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
                    cluster.manager().tell(Join.create(cluster.selfMember().address()));
                }
                HeadMetrics headMetrics = metrics
                    ? new KamonHeadMetrics(NodeAddress.of(ctx.getSystem().address())) : HeadMetrics.OFF;
                if (config.hasPath("grid.tls.role")) {
                    ctx.spawn(MemberCertificateCheck.create(), "member-certificate-check");
                }
                coordinator.complete(HeadNode.start(ctx.getSystem(), settings, headMetrics, JobJournalSettings.from(config)));
                return Behaviors.empty();
            }), config.getString("grid.system-name"), nodeConfig);
            head = new Head(system, coordinator.join(), up, endpoints);
            if (bootstrap) ClusterBootstrapping.start(system);
        } catch (RuntimeException e) {
            close(httpHeld);
            throw e;
        }
        if (endpoints.httpPort() > 0) serveHttpApi(head, HttpApiSettings.from(config), httpHeld);
        return head;
    }

    private static void close(ServerSocket socket) {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException e) {
            // nothing listens on it any more either way
        }
    }

    /** Completes {@code up} when this node is Up. */
    private static void completeWhenUp(ActorContext<?> ctx, CompletableFuture<Void> up) {
        ActorRef<SelfUp> listener = ctx.spawn(Behaviors.receive(SelfUp.class)
            .onMessage(SelfUp.class, m -> {
                up.complete(null);
                return Behaviors.stopped();
            })
            .build(), "self-up");
        Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(listener, SelfUp.class));
    }

    private static void serveHttpApi(Head head, HttpApiSettings http, ServerSocket held) {
        int port = head.endpoints().httpPort();
        try {
            // Pekko HTTP's first start takes seconds on a cold JVM: load it while the port is still held.
            org.apache.pekko.http.javadsl.Http.get(head.system());
            close(held);
            HttpApi.bind(head.system(), head.coordinator(), http.host(), port, http.askTimeout(), http.token())
                .toCompletableFuture().get(HTTP_BIND_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            close(held);
            head.system().terminate();
            // A launcher restarting the head starts the next system on the same port: let this one free it first.
            head.system().getWhenTerminated().toCompletableFuture().completeOnTimeout(null, HTTP_BIND_SECONDS,
                TimeUnit.SECONDS).join();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("grid.http: the head's HTTP API could not listen on " + http.host() + ":"
                + port + " (" + cause.getMessage() + "); pick another port (0 takes any free one) or turn "
                + "grid.http.enabled off", cause);
        }
    }

    /** Starts a worker node that joins the seeds in its config, with metrics that live as long as its actor system. */
    public static Worker startWorker(Config config) {
        NodeMetrics.Lease metrics = NodeMetrics.start(config);
        try {
            Worker worker = startWorker(config, WorkerSettings.from(config), new NodeEndpoints(metrics.port(), 0),
                metrics.enabled(), null, StuckThreadsExit.STOP_NODE);
            worker.system().getWhenTerminated().thenRun(metrics::close);
            return worker;
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /**
     * Starts one actor system of a worker that joins the seeds in its config. The caller holds
     * the metrics, and passes the same settings to every restart, so the node comes back with the
     * capacity it advertised (its OpenCV probe, say, runs once).
     *
     * @param onHeadless null, or told why the node may soon be downed for being in a cluster with
     *                   no head ({@link HeadlessWatch}), and null once a head is back
     * @param exit       what the node does when more of its threads are stuck than it has cores
     */
    static Worker startWorker(Config config, WorkerSettings settings, NodeEndpoints endpoints, boolean metrics,
                              Consumer<String> onHeadless, StuckThreadsExit exit) {
        FileRoots.from(config);  // a bad grid.files.roots stops the node before it starts
        Config withRoles = WorkerNode.configFor(settings).withFallback(config);
        List<String> roles = new ArrayList<>(withRoles.getStringList("grid.worker.roles"));
        roles.addAll(endpoints.toRoles());
        roles.addAll(NodeLogFile.toRoles(logFile(withRoles)));
        boolean bootstrap = ClusterBootstrapping.enabled(config);
        Config nodeConfig = bootstrap
            ? ClusterBootstrapping.pekkoSettings(config, false).withFallback(GridConfig.forNode(withRoles, roles))
            : GridConfig.forNode(withRoles, roles);
        CompletableFuture<Void> warmed = new CompletableFuture<>();
        CompletableFuture<Void> up = new CompletableFuture<>();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
            WorkerMetrics workerMetrics = metrics
                ? new KamonWorkerMetrics(NodeAddress.of(ctx.getSystem().address())) : WorkerMetrics.OFF;
            ctx.spawn(WorkerNode.create(settings, workerMetrics, exit, () -> warmed.complete(null)), "worker");
            completeWhenUp(ctx, up);
            if (onHeadless != null) {
                ctx.spawn(HeadlessWatch.create(config.getDuration("grid.worker.headless-after"), onHeadless),
                    "headless-watch");
            }
            return Behaviors.empty();
        }), config.getString("grid.system-name"), nodeConfig);
        if (bootstrap) ClusterBootstrapping.start(system);
        // Ready means both: kernels warm and slots started, and a member of the cluster.
        CompletableFuture<Void> ready = CompletableFuture.allOf(warmed, up);
        return new Worker(system, settings, ready, endpoints);
    }

    /** Settings for a node of an embedded grid: loopback, a free port, these seeds. */
    static Config embedded(Config base, List<String> seeds, int cores) {
        return ConfigFactory.parseMap(Map.of(
                "grid.host", "127.0.0.1",
                "grid.port", 0,
                "grid.seeds", seeds,
                "grid.worker.cores", cores))
            .withFallback(base);
    }

    /** The file {@link NodeLog} writes for this node ({@code grid.log.file}, set by head and worker), or null. */
    static String logFile(Config config) {
        return config.hasPath(LOG_FILE) ? config.getString(LOG_FILE) : null;
    }

    /** Where the node's log file is, once {@link NodeLog} started it: advertised as a role, shown by grid status. */
    static final String LOG_FILE = "grid.log.file";
}
