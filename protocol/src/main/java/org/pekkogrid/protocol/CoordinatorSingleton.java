package org.pekkogrid.protocol;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

/** Where the job coordinator lives: a cluster singleton on the oldest node with role {@code head}. */
public final class CoordinatorSingleton {

    public static final String NAME = "JobCoordinator";

    private CoordinatorSingleton() {}

    /**
     * A proxy to the coordinator from a node that does not host it (a client). On a head node,
     * use the ref returned when the head started the singleton instead.
     */
    public static ActorRef<CoordinatorCommand> proxy(ActorSystem<?> system) {
        return ClusterSingleton.get(system).init(
            SingletonActor.of(Behaviors.<CoordinatorCommand>empty(), NAME)
                .withSettings(ClusterSingletonSettings.create(system).withRole(Roles.HEAD)));
    }
}
