package org.pekkogrid.head;

import org.apache.pekko.actor.typed.ActorRef;
import org.pekkogrid.protocol.JarCommand;
import org.pekkogrid.workloads.WorkloadJars;

/**
 * The workload jars of a head: on its disk and opened for its jobs ({@code jars}), and the actor
 * that takes them from clients and gives them to workers ({@code store}), and who may ship them
 * ({@code shipping}).
 */
record HeadJars(WorkloadJars jars, ActorRef<JarCommand> store, ShipCodeCheck shipping) {

    /** Why a head without jars refuses a job that ships one. */
    static final String NONE_TAKEN = "this grid takes no workload jars (grid.jars.enabled is off); put the workload's "
        + "jar on the class path of the head and the workers instead";
}
