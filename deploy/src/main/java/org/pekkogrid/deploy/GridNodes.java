package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.pekkogrid.head.HeadNode;
import org.pekkogrid.head.HeadSettings;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.Roles;
import org.pekkogrid.worker.WorkerNode;
import org.pekkogrid.worker.WorkerSettings;

/** Starts the actor system of a head or a worker node from a layered config. */
public final class GridNodes {

    private GridNodes() {}

    /** A started head: its system, a proxy to the coordinator, and when this node is Up. */
    public record Head(ActorSystem<Void> system, ActorRef<CoordinatorCommand> coordinator, CompletableFuture<Void> up) {}

    /** A started worker: its system, and when its slots are warm and started. */
    public record Worker(ActorSystem<Void> system, WorkerSettings settings, CompletableFuture<Void> ready) {}

    /** Starts a head; with no seeds it founds the cluster by joining itself. */
    public static Head startHead(Config config) {
        HeadSettings settings = HeadSettings.from(config);
        Config nodeConfig = GridConfig.forNode(config, List.of(Roles.HEAD));
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
            coordinator.complete(HeadNode.start(ctx.getSystem(), settings));
            return Behaviors.empty();
        }), config.getString("grid.system-name"), nodeConfig);
        return new Head(system, coordinator.join(), up);
    }

    /** Starts a worker node that joins the seeds in its config. */
    public static Worker startWorker(Config config) {
        WorkerSettings settings = WorkerSettings.from(config);
        Config withRoles = WorkerNode.configFor(settings).withFallback(config);
        List<String> roles = new ArrayList<>(withRoles.getStringList("grid.worker.roles"));
        Config nodeConfig = GridConfig.forNode(withRoles, roles);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
            ctx.spawn(WorkerNode.create(settings, () -> ready.complete(null)), "worker");
            return Behaviors.empty();
        }), config.getString("grid.system-name"), nodeConfig);
        return new Worker(system, settings, ready);
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
