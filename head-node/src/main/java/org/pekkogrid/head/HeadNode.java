package org.pekkogrid.head;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.pekkogrid.protocol.ClientGateway;
import org.pekkogrid.protocol.ClientRequest;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.CoordinatorSingleton;
import org.pekkogrid.protocol.JarCommand;
import org.pekkogrid.protocol.Roles;
import org.pekkogrid.protocol.SlotCommand;
import org.pekkogrid.protocol.WorkerSlots;
import org.pekkogrid.workloads.WorkloadJars;

/**
 * What a node with role {@code head} hosts: a proxy to the worker slots, the coordinator singleton,
 * and the gateway through which clients reach them.
 */
public final class HeadNode {

    private HeadNode() {}

    /** Starts the head side of this node and returns a proxy to the coordinator (wherever it runs). */
    public static ActorRef<CoordinatorCommand> start(ActorSystem<?> system, HeadSettings settings) {
        return start(system, settings, HeadMetrics.OFF);
    }

    /** As {@link #start(ActorSystem, HeadSettings)}, the coordinator reporting to {@code metrics} while it runs here. */
    public static ActorRef<CoordinatorCommand> start(ActorSystem<?> system, HeadSettings settings, HeadMetrics metrics) {
        return start(system, settings, metrics, JobJournalSettings.OFF, null);
    }


    /**
     * As {@link #start(ActorSystem, HeadSettings, HeadMetrics)}, with the job journal that
     * {@code journalSettings} asks for (none when it is off), in the grid's journal database.
     */
    public static ActorRef<CoordinatorCommand> start(ActorSystem<?> system, HeadSettings settings, HeadMetrics metrics,
                                                     JobJournalSettings journalSettings) {
        return start(system, settings, metrics, journalSettings,
            journalSettings.enabled() ? JobJournalAccess.of(system) : null);
    }

    /**
     * The jars of this head and the store clients send them to; null when jobs may not ship jars
     * (grid.jars.enabled off). With TLS, only clients whose certificate grants it may ship one.
     */
    private static HeadJars jars(ActorSystem<?> system) {
        com.typesafe.config.Config config = system.settings().config();
        if (!config.getBoolean("grid.jars.enabled")) return null;
        WorkloadJars jars = WorkloadJars.of(config);
        ShipCodeCheck shipping = ShipCodeCheck.of(config);
        return new HeadJars(jars, system.systemActorOf(JarStore.create(jars, shipping), JarCommand.STORE_NAME,
            Props.empty()), shipping);
    }

    private static ActorRef<CoordinatorCommand> start(ActorSystem<?> system, HeadSettings settings, HeadMetrics metrics,
                                                      JobJournalSettings journalSettings, JobJournalAccess journal) {
        // A head node holds no slots: this only starts a proxy to the worker nodes' regions.
        ActorRef<ShardingEnvelope<SlotCommand>> slots = ClusterSharding.get(system).init(
            Entity.of(WorkerSlots.KEY, entity -> {
                    throw new IllegalStateException("worker slots never run on a head node");
                })
                .withRole(Roles.WORKER)
                .withMessageExtractor(WorkerSlots.extractor()));
        HeadJars jars = jars(system);
        ActorRef<CoordinatorCommand> coordinator = ClusterSingleton.get(system).init(
            SingletonActor.of(JobCoordinator.create(settings, slots, metrics, journalSettings, journal, jars),
                    CoordinatorSingleton.NAME)
                .withSettings(ClusterSingletonSettings.create(system).withRole(Roles.HEAD)));
        system.systemActorOf(ClientGateway.create(coordinator, jars == null ? null : jars.store()),
            ClientRequest.GATEWAY_NAME, Props.empty());
        if (metrics != HeadMetrics.OFF) system.systemActorOf(SlotsGauge.create(metrics), "slots-gauge", Props.empty());
        return coordinator;
    }
}
