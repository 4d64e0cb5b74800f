package org.pekkogrid.worker;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.pekkogrid.protocol.JarCommand;
import org.pekkogrid.workloads.JarPieces;
import org.pekkogrid.workloads.WorkloadJars;

/**
 * Serves the workload jars this worker fetched, piece by piece, to a standby head that resumes a
 * job whose jar it lacks (the head that took the jar from the client died with it). It takes no
 * jars: clients send jars to heads only.
 */
final class JarCache {

    /** Name of the cache, a system actor on every worker. */
    static final String NAME = "jar-cache";

    private JarCache() {}

    static Behavior<JarCommand> create(WorkloadJars jars) {
        return Behaviors.<JarCommand>supervise(Behaviors.setup(ctx -> {
                ctx.getSystem().receptionist().tell(Receptionist.register(JarCommand.HOLDERS, ctx.getSelf()));
                JarPieces pieces = new JarPieces(jars);
                return Behaviors.receive(JarCommand.class)
                    .onMessage(JarCommand.Get.class, get -> {
                        JarCommand.Piece piece = pieces.piece(get);
                        get.replyTo().tell(piece);
                        if (JarPieces.last(piece)) {
                            ctx.getLog().info("served workload jar {} ({} bytes) to {}", get.sha256(), piece.sizeBytes(),
                                org.pekkogrid.protocol.NodeAddress.of(get.replyTo().path().address()));
                        }
                        return Behaviors.same();
                    })
                    .onMessage(JarCommand.Offer.class, offer -> {
                        offer.replyTo().tell(new JarCommand.OfferAnswer(offer.sha256(), false, NOT_A_HEAD));
                        return Behaviors.same();
                    })
                    .onMessage(JarCommand.Put.class, put -> {
                        put.replyTo().tell(new JarCommand.PutAnswer(put.sha256(), put.offset(), false, NOT_A_HEAD));
                        return Behaviors.same();
                    })
                    .build();
            }))
            .onFailure(SupervisorStrategy.resume());
    }

    private static final String NOT_A_HEAD = "a worker takes no jars from clients: send them to a head";
}
