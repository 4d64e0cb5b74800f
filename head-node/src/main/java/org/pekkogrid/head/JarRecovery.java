package org.pekkogrid.head;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.pekkogrid.protocol.JarCommand;
import org.pekkogrid.protocol.LocalOnly;
import org.pekkogrid.protocol.NodeAddress;
import org.pekkogrid.workloads.WorkloadJars;

/**
 * Brings a workload jar this head lacks from the nodes that hold one ({@link JarCommand#HOLDERS}:
 * workers that ran a chunk of a job of it, other heads), for a job the journal says to resume
 * here after the head that took the jar died. It asks the holders one after the other, piece by
 * piece, keeps the jar once its SHA-256 is right, answers once and stops.
 */
final class JarRecovery extends AbstractBehavior<JarRecovery.Command> {

    /** The answer: {@code problem} is null when the jar is now in this head's store. */
    record Recovered(String sha256, String problem) implements LocalOnly {}

    sealed interface Command extends LocalOnly permits Found, Answered {}

    private record Found(Receptionist.Listing listing) implements Command {}

    private record Answered(JarCommand.Piece piece, Throwable failure) implements Command {}

    private final WorkloadJars jars;
    private final ActorRef<JarCommand> ownStore;
    private final String sha;
    private final Duration pieceTimeout;
    private final ActorRef<Recovered> replyTo;
    private final Deque<ActorRef<JarCommand>> holders = new ArrayDeque<>();
    private final List<String> tried = new ArrayList<>();
    private ActorRef<JarCommand> holder;
    private ByteArrayOutputStream bytes;

    /** @param ownStore this head's jar store, which lacks the jar (that is why we ask) */
    static Behavior<Command> create(WorkloadJars jars, String sha256, Duration pieceTimeout, ActorRef<JarCommand> ownStore,
                                    ActorRef<Recovered> replyTo) {
        return Behaviors.setup(ctx -> new JarRecovery(ctx, jars, sha256, pieceTimeout, ownStore, replyTo));
    }

    private JarRecovery(ActorContext<Command> ctx, WorkloadJars jars, String sha256, Duration pieceTimeout,
                        ActorRef<JarCommand> ownStore, ActorRef<Recovered> replyTo) {
        super(ctx);
        this.ownStore = ownStore;
        this.jars = jars;
        this.sha = sha256;
        this.pieceTimeout = pieceTimeout;
        this.replyTo = replyTo;
        ctx.getSystem().receptionist().tell(Receptionist.find(JarCommand.HOLDERS,
            ctx.messageAdapter(Receptionist.Listing.class, Found::new)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Found.class, this::onFound)
            .onMessage(Answered.class, this::onAnswered)
            .build();
    }

    private Behavior<Command> onFound(Found found) {
        for (ActorRef<JarCommand> h : found.listing().getServiceInstances(JarCommand.HOLDERS)) {
            if (!h.equals(ownStore)) holders.add(h);
        }
        return next();
    }

    private Behavior<Command> next() {
        holder = holders.poll();
        if (holder == null) {
            String asked = tried.isEmpty() ? "no other node serves jars" : "asked " + String.join(", ", tried);
            replyTo.tell(new Recovered(sha, "no node this head reaches keeps the workload jar " + WorkloadJars.shortName(sha)
                + " (" + asked + "): the head that took it from the client is gone and no worker ran a chunk of it. "
                + "Give the heads one shared grid.jars.directory (GRID_DATA_DIR on shared storage, say) so that a "
                + "standby head has every jar"));
            return Behaviors.stopped();
        }
        tried.add(NodeAddress.of(holder.path().address()));
        bytes = new ByteArrayOutputStream();
        return ask(0);
    }

    private Behavior<Command> ask(long offset) {
        getContext().ask(JarCommand.Piece.class, holder, pieceTimeout,
            ref -> new JarCommand.Get(sha, offset, ref), Answered::new);
        return this;
    }

    private Behavior<Command> onAnswered(Answered answered) {
        JarCommand.Piece piece = answered.piece();
        if (answered.failure() != null || piece == null || piece.error() != null || piece.bytes() == null
            || piece.offset() != bytes.size() || piece.sizeBytes() < 1 || piece.sizeBytes() > jars.maxJarBytes()) {
            return next();
        }
        bytes.writeBytes(piece.bytes());
        if (bytes.size() < piece.sizeBytes()) return ask(bytes.size());
        try {
            jars.store(sha, bytes.toByteArray());
        } catch (IllegalArgumentException | IOException e) {
            getContext().getLog().warn("workload jar {} from {} not kept: {}", sha, tried.get(tried.size() - 1),
                e.getMessage());
            return next();
        }
        getContext().getLog().info("recovered workload jar {} ({} bytes) from {}", sha, bytes.size(),
            tried.get(tried.size() - 1));
        replyTo.tell(new Recovered(sha, null));
        return Behaviors.stopped();
    }
}
