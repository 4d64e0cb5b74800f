package org.pekkogrid.head;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.pekkogrid.protocol.JarCommand;
import org.pekkogrid.protocol.JarCommand.Get;
import org.pekkogrid.protocol.JarCommand.Offer;
import org.pekkogrid.protocol.JarCommand.OfferAnswer;
import org.pekkogrid.protocol.JarCommand.Piece;
import org.pekkogrid.protocol.JarCommand.Put;
import org.pekkogrid.protocol.JarCommand.PutAnswer;
import org.pekkogrid.protocol.NodeAddress;
import org.pekkogrid.workloads.JarPieces;
import org.pekkogrid.workloads.WorkloadJars;

/**
 * A head's store of workload jars, content-addressed by SHA-256: clients offer a jar and send it
 * piece by piece only when the head lacks it; workers fetch it piece by piece. It logs each jar it
 * stores ("stored workload jar ...") and each it serves whole to a node ("served workload jar ..."),
 * so that a jar's travels can be counted.
 */
final class JarStore extends AbstractBehavior<JarCommand> {

    /** Jars being received at once; a client beyond that is told to wait and try again. */
    private static final int MAX_UPLOADS = 8;
    /** Jars offered with a valid proof and not yet whole that the store remembers; the oldest is forgotten first. */
    private static final int MAX_GRANTED = 64;

    private final WorkloadJars jars;
    private final ShipCodeCheck shipping;
    private final Map<String, Upload> uploads = new HashMap<>();
    /**
     * With TLS, the jars a client that may ship code offered: only their pieces are taken. Whoever
     * sends the pieces, what is kept is the jar of that SHA-256, the one the proof was signed over.
     */
    private final Set<String> granted = new LinkedHashSet<>();
    private final JarPieces pieces;

    private static final class Upload {
        final long sizeBytes;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Upload(long sizeBytes) {
            this.sizeBytes = sizeBytes;
        }
    }

    /** Started only on a head that takes jars (see {@code HeadNode}); the gateway answers for one that does not. */
    static Behavior<JarCommand> create(WorkloadJars jars) {
        return create(jars, ShipCodeCheck.OPEN);
    }

    /** @param shipping who may send jars: with TLS, a jar's pieces are taken only after an offer with a valid proof */
    static Behavior<JarCommand> create(WorkloadJars jars, ShipCodeCheck shipping) {
        return Behaviors.<JarCommand>supervise(Behaviors.setup(ctx -> new JarStore(ctx, jars, shipping)))
            .onFailure(SupervisorStrategy.resume());
    }

    private JarStore(ActorContext<JarCommand> ctx, WorkloadJars jars, ShipCodeCheck shipping) {
        super(ctx);
        this.jars = jars;
        this.shipping = shipping;
        this.pieces = new JarPieces(jars);
        // A standby head that resumes a job whose jar it lacks asks the holders: other heads, and workers.
        ctx.getSystem().receptionist().tell(Receptionist.register(JarCommand.HOLDERS, ctx.getSelf()));
    }

    @Override
    public Receive<JarCommand> createReceive() {
        return newReceiveBuilder()
            .onMessage(Offer.class, this::onOffer)
            .onMessage(Put.class, this::onPut)
            .onMessage(Get.class, this::onGet)
            .build();
    }

    private Behavior<JarCommand> onOffer(Offer offer) {
        String problem = problemWith(offer.sha256(), offer.sizeBytes());
        if (problem == null) problem = shipping.refusal(offer.sha256(), offer.proof());
        if (problem != null && shipping.required()) {
            getContext().getLog().warn("refused workload jar {} from {}: {}", offer.sha256(),
                NodeAddress.of(offer.replyTo().path().address()), problem);
        }
        if (problem == null && shipping.required() && !jars.has(offer.sha256())) {
            if (granted.size() >= MAX_GRANTED) granted.remove(granted.iterator().next());
            granted.add(offer.sha256());
        }
        if (problem != null) {
            offer.replyTo().tell(new OfferAnswer(offer.sha256(), false, problem));
        } else {
            offer.replyTo().tell(new OfferAnswer(offer.sha256(), jars.has(offer.sha256()), null));
        }
        return this;
    }

    private Behavior<JarCommand> onPut(Put put) {
        String sha = put.sha256();
        String problem = problemWith(sha, put.sizeBytes());
        if (problem != null) return answer(put, false, problem);
        if (jars.has(sha)) return answer(put, true, null);
        if (shipping.required() && !granted.contains(sha)) {
            return answer(put, false, "this grid runs with --tls: offer the jar " + WorkloadJars.shortName(sha)
                + " with a proof that the client may ship code before sending its pieces");
        }
        Upload upload = uploads.get(sha);
        if (put.offset() == 0 && (upload == null || upload.sizeBytes != put.sizeBytes() || upload.bytes.size() > 0)) {
            if (upload == null && uploads.size() >= MAX_UPLOADS) {
                return answer(put, false, "the head receives " + MAX_UPLOADS + " jars at once already; try again shortly");
            }
            upload = new Upload(put.sizeBytes());
            uploads.put(sha, upload);
        }
        if (upload == null || put.offset() != upload.bytes.size() || upload.sizeBytes != put.sizeBytes()) {
            uploads.remove(sha);
            return answer(put, false, "piece at byte " + put.offset() + " of jar " + WorkloadJars.shortName(sha)
                + " came out of order; send the jar again from its start");
        }
        if (upload.bytes.size() + (long) put.bytes().length > upload.sizeBytes) {
            uploads.remove(sha);
            return answer(put, false, "the jar is longer than the " + upload.sizeBytes + " bytes offered");
        }
        upload.bytes.writeBytes(put.bytes());
        if (upload.bytes.size() < upload.sizeBytes) return answer(put, false, null);
        uploads.remove(sha);
        granted.remove(sha);
        try {
            jars.store(sha, upload.bytes.toByteArray());
        } catch (IllegalArgumentException e) {
            return answer(put, false, e.getMessage());
        } catch (IOException e) {
            getContext().getLog().error("cannot keep workload jar {}: {}", sha, e.toString());
            return answer(put, false, "the head cannot keep the jar on its disk: " + e.getMessage());
        }
        getContext().getLog().info("stored workload jar {} ({} bytes) from {}", sha, upload.sizeBytes,
            NodeAddress.of(put.replyTo().path().address()));
        return answer(put, true, null);
    }

    private Behavior<JarCommand> answer(Put put, boolean stored, String error) {
        put.replyTo().tell(new PutAnswer(put.sha256(), put.offset(), stored, error));
        return this;
    }

    private Behavior<JarCommand> onGet(Get get) {
        Piece piece = pieces.piece(get);
        get.replyTo().tell(piece);
        if (JarPieces.last(piece)) {
            getContext().getLog().info("served workload jar {} ({} bytes) to {}", get.sha256(), piece.sizeBytes(),
                NodeAddress.of(get.replyTo().path().address()));
        }
        return this;
    }

    private String problemWith(String sha256, long sizeBytes) {
        try {
            WorkloadJars.checkSha256(sha256);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (sizeBytes < 1) return "a jar of " + sizeBytes + " bytes is no jar";
        if (sizeBytes > jars.maxJarBytes()) {
            return "the jar has " + sizeBytes + " bytes; this grid takes at most " + jars.maxJarBytes()
                + " (grid.jars.max-bytes)";
        }
        return null;
    }
}
