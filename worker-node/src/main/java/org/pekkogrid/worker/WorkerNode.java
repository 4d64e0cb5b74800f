package org.pekkogrid.worker;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.pekkogrid.journal.GridJournal;
import org.pekkogrid.protocol.Counters;
import org.pekkogrid.protocol.NodeAddress;
import org.pekkogrid.protocol.Roles;
import org.pekkogrid.protocol.SlotCommand;
import org.pekkogrid.protocol.WorkerSlots;
import org.pekkogrid.workloads.FileRoots;

/**
 * What a node with role {@code worker} hosts: its region of {@link Counter}s at once; and after
 * it warms the kernels, its shard region of {@link WorkerSlot}s, so no slot of this node takes
 * work before it is warm. Warm-up and chunks run on the node's {@link ComputePool}, which lives
 * as long as its actor system.
 */
public final class WorkerNode {

    private WorkerNode() {}

    /** What the worker node's actor receives: only the end of its warm-up. */
    public sealed interface Command permits Warmed {}

    private record Warmed(long millis, Throwable failure) implements Command {}

    /** Roles this node's config needs; merged by the launcher. */
    public static Config configFor(WorkerSettings settings) {
        List<String> roles = new ArrayList<>();
        roles.add(Roles.WORKER);
        roles.addAll(settings.capacity().toRoles());
        Map<String, Object> values = new HashMap<>();
        values.put("grid.worker.roles", roles);
        return ConfigFactory.parseMap(values);
    }

    /**
     * Starts the worker side of this node; call from the node's guardian.
     *
     * @param onReady runs once the kernels are warm and the slots' shard region is started
     */
    public static Behavior<Command> create(WorkerSettings settings, Runnable onReady) {
        return create(settings, WorkerMetrics.OFF, StuckThreadsExit.STOP_NODE, onReady);
    }

    /**
     * As {@link #create(WorkerSettings, Runnable)}, the slots reporting to {@code metrics}.
     *
     * @param exit what the node does when more of its threads are stuck than it has cores
     */
    public static Behavior<Command> create(WorkerSettings settings, WorkerMetrics metrics, StuckThreadsExit exit,
                                           Runnable onReady) {
        return Behaviors.setup(ctx -> {
            ActorSystem<?> system = ctx.getSystem();
            startCounters(system, CounterSettings.from(system.settings().config()));
            BusySlots counted = new BusySlots(metrics);
            ComputePool compute = new ComputePool("grid-compute-" + NodeAddress.of(system.address()), settings.cores(),
                counted, why -> exit.exit(system, why));
            system.getWhenTerminated().thenRun(compute::close);
            long started = System.nanoTime();
            ctx.pipeToSelf(WarmUp.all(compute, settings.warmUp())
                    .thenRunAsync(() -> warmPath(system, settings.warmUp()), compute),
                (ok, failure) -> (Command) new Warmed((System.nanoTime() - started) / 1_000_000, failure));
            return Behaviors.receive(Command.class)
                .onMessage(Warmed.class, warmed -> {
                    ctx.spawn(NodeSampler.create(counted::now), "sampler");
                    startSlots(system, settings, compute, counted);
                    ctx.getLog().info("worker ready: {} cores, tags {}, heap {} MiB, kernels warmed in {} ms",
                        settings.cores(), settings.tags(), Runtime.getRuntime().maxMemory() >> 20, warmed.millis());
                    onReady.run();
                    return Behaviors.empty();
                })
                .build();
        });
    }

    /** Best effort, as the kernels' warm-up: a path that fails here fails visibly on real batches. */
    private static void warmPath(ActorSystem<?> system, Duration budget) {
        try {
            PathWarmUp.run(system, budget);
        } catch (RuntimeException e) {
            system.log().warn("the warm-up of the batch path failed; the first batches compile it: {}", e.toString());
        }
    }

    /**
     * Starts this node's region of counters. Cheap: the journal opens only when the first counter
     * starts here ({@link GridJournal}).
     */
    static void startCounters(ActorSystem<?> system, CounterSettings settings) {
        // Unlike worker slots, an idle counter leaves memory: there may be millions, and its
        // journal brings it back.
        Config passivation = ConfigFactory.parseMap(Map.of(
                "passivation.strategy", "default-idle-strategy",
                "passivation.default-idle-strategy.idle-entity.timeout", settings.passivateAfter().toMillis() + "ms"))
            .withFallback(system.settings().config().getConfig("pekko.cluster.sharding"));
        GridJournal journal = GridJournal.get(system);
        ClusterSharding.get(system).init(
            Entity.of(Counters.KEY, entity -> Counter.create(entity.getEntityId(), settings, journal))
                .withSettings(ClusterShardingSettings.fromConfig(passivation))
                .withRole(Roles.WORKER));
    }

    /**
     * Slots moved off over-full nodes per rebalance (every 2 s), as far as other nodes have cores
     * free. Nodes that join together get slots placed before every one of them is seen as up, so
     * some nodes start with more slots than cores; at 2 per round, 64 simulated nodes of 16 cores
     * (`grid bench scale`) still had nodes at 7 and at 21 slots a minute later.
     */
    static final int SLOTS_MOVED_PER_REBALANCE = 32;

    static void startSlots(ActorSystem<?> system, WorkerSettings settings, ComputePool compute, WorkerMetrics metrics) {
        Config config = system.settings().config();
        JarFetcher jars = new JarFetcher(system, org.pekkogrid.workloads.WorkloadJars.of(config),
            config.getDuration("grid.jars.fetch-timeout"));
        system.systemActorOf(JarCache.create(jars.jars()), JarCache.NAME, org.apache.pekko.actor.typed.Props.empty());
        JobBindings bindings = new JobBindings(settings.jobCacheSize(), FileRoots.from(config), jars);
        ClusterSharding.get(system).init(
            Entity.of(WorkerSlots.KEY, entity -> WorkerSlot.create(entity.getEntityId(), compute, bindings,
                    settings.prefetchBatches(), settings.stuckGrace(), metrics))
                .withRole(Roles.WORKER)
                .withMessageExtractor(WorkerSlots.extractor())
                .withAllocationStrategy(new CapacityAllocation(system, SLOTS_MOVED_PER_REBALANCE))
                .withStopMessage(new SlotCommand.Retire()));
    }
}
