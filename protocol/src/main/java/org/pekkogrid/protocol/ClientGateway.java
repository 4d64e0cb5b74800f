package org.pekkogrid.protocol;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.typed.Cluster;
import org.pekkogrid.protocol.ClientRequest.CounterRequest;
import org.pekkogrid.protocol.ClientRequest.Hello;
import org.pekkogrid.protocol.ClientRequest.Welcome;

/**
 * A head's door for clients, which are not cluster members: it passes their requests to the job
 * coordinator and the counters, wherever in the cluster those run, and answers a client's
 * {@link Hello} (its keep-alive) with the heads it can turn to when this one stops answering. It
 * keeps no state, so every head runs one and a client may use any of them. A client inside a
 * cluster member ({@code GridClient.attach}) runs one of its own.
 */
public final class ClientGateway {

    private static final String NO_JARS = "this grid takes no workload jars (grid.jars.enabled is off); put the "
        + "workload's jar on the class path of the head and the workers instead";

    private ClientGateway() {}

    public static Behavior<ClientRequest> create(ActorRef<CoordinatorCommand> coordinator) {
        return create(coordinator, null);
    }

    /** @param jarStore this head's store of workload jars; null when the grid takes none (see {@link JarCommand}) */
    public static Behavior<ClientRequest> create(ActorRef<CoordinatorCommand> coordinator,
                                                 ActorRef<JarCommand> jarStore) {
        return Behaviors.<ClientRequest>supervise(Behaviors.setup(ctx -> {
                Cluster cluster = Cluster.get(ctx.getSystem());
                // Started on the first counter request: a grid whose clients never count pays nothing for it.
                List<ActorRef<ShardingEnvelope<CounterCommand>>> counters = new ArrayList<>(1);
                return Behaviors.receive(ClientRequest.class)
                    .onMessage(Hello.class, hello -> {
                        hello.replyTo().tell(new Welcome(NodeAddress.of(cluster.selfMember().address()), heads(cluster),
                            ctx.getSelf()));
                        return Behaviors.same();
                    })
                    .onMessage(CounterRequest.class, request -> {
                        if (counters.isEmpty()) counters.add(Counters.proxy(ctx.getSystem()));
                        counters.get(0).tell(new ShardingEnvelope<>(request.counter(), request.command()));
                        return Behaviors.same();
                    })
                    .onMessage(JarCommand.Offer.class, offer -> {
                        if (jarStore != null) toJarStore(ctx, cluster, jarStore, offer);
                        else offer.replyTo().tell(new JarCommand.OfferAnswer(offer.sha256(), false, NO_JARS));
                        return Behaviors.same();
                    })
                    .onMessage(JarCommand.Put.class, put -> {
                        if (jarStore != null) toJarStore(ctx, cluster, jarStore, put);
                        else put.replyTo().tell(new JarCommand.PutAnswer(put.sha256(), put.offset(), false, NO_JARS));
                        return Behaviors.same();
                    })
                    .onAnyMessage(request -> {
                        // The rest of the sealed ClientRequest are the coordinator's own commands.
                        coordinator.tell((CoordinatorCommand) request);
                        return Behaviors.same();
                    })
                    .build();
            }))
            // A request that fails here (a bug) is dropped; the gateway goes on serving the others.
            .onFailure(SupervisorStrategy.resume());
    }

    /**
     * A jar goes to the head that runs the coordinator, which binds the job with it and serves it to
     * the workers: the singleton lives on the oldest head, whichever head the client reached.
     */
    private static void toJarStore(org.apache.pekko.actor.typed.javadsl.ActorContext<ClientRequest> ctx,
                                   Cluster cluster, ActorRef<JarCommand> local, JarCommand command) {
        Member oldest = null;
        for (Member m : cluster.state().getMembers()) {
            boolean up = m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp();
            if (up && m.hasRole(Roles.HEAD) && (oldest == null || m.isOlderThan(oldest))) oldest = m;
        }
        if (oldest == null || oldest.address().equals(cluster.selfMember().address())) {
            local.tell(command);
        } else {
            ctx.getSystem().classicSystem().actorSelection(oldest.address() + "/system/" + JarCommand.STORE_NAME)
                .tell(command, org.apache.pekko.actor.ActorRef.noSender());
        }
    }

    /** Heads that are up, this one first. */
    private static List<String> heads(Cluster cluster) {
        List<String> heads = new ArrayList<>();
        heads.add(NodeAddress.of(cluster.selfMember().address()));
        for (Member m : cluster.state().getMembers()) {
            boolean up = m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp();
            String address = NodeAddress.of(m.address());
            if (up && m.hasRole(Roles.HEAD) && !heads.contains(address)) heads.add(address);
        }
        return heads;
    }
}
