package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
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
import org.pekkogrid.head.KamonHeadMetrics;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.NodeAddress;
import org.pekkogrid.protocol.NodeEndpoints;
import org.pekkogrid.protocol.Roles;
import org.pekkogrid.worker.KamonWorkerMetrics;
import org.pekkogrid.worker.WorkerMetrics;
import org.pekkogrid.worker.WorkerNode;
import org.pekkogrid.worker.WorkerSettings;

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

    /** Starts a head; with no seeds it founds the cluster by joining itself. */
    public static Head startHead(Config config) {
        HeadSettings settings = HeadSettings.from(config);
        HttpApiSettings http = HttpApiSettings.from(config);
        NodeMetrics.Lease metrics = NodeMetrics.start(config);
        try {
            int httpPort = http.enabled() ? PortRange.freePort("grid.http", http.host(), http.port(), http.portRange()) : 0;
            NodeEndpoints endpoints = new NodeEndpoints(metrics.port(), httpPort);
            List<String> roles = new ArrayList<>(List.of(Roles.HEAD));
            roles.addAll(endpoints.toRoles());
            Config nodeConfig = GridConfig.forNode(config, roles);
            CompletableFuture<ActorRef<CoordinatorCommand>> coordinator = new CompletableFuture<>();
            CompletableFuture<Void> up = new CompletableFuture<>();
            ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
                Cluster cluster = Cluster.get(ctx.getSystem());
                ActorRef<SelfUp> upListener = ctx.spawn(Behaviors.receive(SelfUp.class)
                    .onMessage(SelfUp.class, m -> {
                        up.complete(null);
                        return Behaviors.stopped();
                    })
                    .build(), "self-up");
                cluster.subscriptions().tell(Subscribe.create(upListener, SelfUp.class));
                if (nodeConfig.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
                    cluster.manager().tell(Join.create(cluster.selfMember().address()));
                }
                HeadMetrics headMetrics = metrics.enabled()
                    ? new KamonHeadMetrics(NodeAddress.of(ctx.getSystem().address())) : HeadMetrics.OFF;
                coordinator.complete(HeadNode.start(ctx.getSystem(), settings, headMetrics));
                return Behaviors.empty();
            }), config.getString("grid.system-name"), nodeConfig);
            system.getWhenTerminated().thenRun(metrics::close);
            Head head = new Head(system, coordinator.join(), up, endpoints);
            if (httpPort > 0) serveHttpApi(head, http);
            return head;
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    private static void serveHttpApi(Head head, HttpApiSettings http) {
        int port = head.endpoints().httpPort();
        try {
            HttpApi.bind(head.system(), head.coordinator(), http.host(), port, http.askTimeout())
                .toCompletableFuture().get(HTTP_BIND_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            head.system().terminate();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("grid.http: the head's HTTP API could not listen on " + http.host() + ":"
                + port + " (" + cause.getMessage() + "); pick another port (0 takes any free one) or turn "
                + "grid.http.enabled off", cause);
        }
    }

    /** Starts a worker node that joins the seeds in its config. */
    public static Worker startWorker(Config config) {
        WorkerSettings settings = WorkerSettings.from(config);
        Config withRoles = WorkerNode.configFor(settings).withFallback(config);
        NodeMetrics.Lease metrics = NodeMetrics.start(config);
        try {
            NodeEndpoints endpoints = new NodeEndpoints(metrics.port(), 0);
            List<String> roles = new ArrayList<>(withRoles.getStringList("grid.worker.roles"));
            roles.addAll(endpoints.toRoles());
            Config nodeConfig = GridConfig.forNode(withRoles, roles);
            CompletableFuture<Void> warmed = new CompletableFuture<>();
            CompletableFuture<Void> up = new CompletableFuture<>();
            ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
                WorkerMetrics workerMetrics = metrics.enabled()
                    ? new KamonWorkerMetrics(NodeAddress.of(ctx.getSystem().address())) : WorkerMetrics.OFF;
                ctx.spawn(WorkerNode.create(settings, workerMetrics, () -> warmed.complete(null)), "worker");
                ActorRef<SelfUp> upListener = ctx.spawn(Behaviors.receive(SelfUp.class)
                    .onMessage(SelfUp.class, m -> {
                        up.complete(null);
                        return Behaviors.stopped();
                    })
                    .build(), "self-up");
                Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(upListener, SelfUp.class));
                return Behaviors.empty();
            }), config.getString("grid.system-name"), nodeConfig);
            // Ready means both: kernels warm and slots started, and a member of the cluster.
            CompletableFuture<Void> ready = CompletableFuture.allOf(warmed, up);
            system.getWhenTerminated().thenRun(metrics::close);
            return new Worker(system, settings, ready, endpoints);
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /** Settings for a node of an embedded grid: loopback, a free port, these seeds. */
    static Config embedded(Config base, List<String> seeds, int cores) {
        return ConfigFactory.parseMap(java.util.Map.of(
                "grid.host", "127.0.0.1",
                "grid.port", 0,
                "grid.seeds", seeds,
                "grid.worker.cores", cores))
            .withFallback(base);
    }
}
