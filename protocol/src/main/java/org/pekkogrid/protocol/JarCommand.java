package org.pekkogrid.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * Messages of a head's jar store, which keeps the workload jars that jobs ship
 * ({@code grid submit --jar}) by their SHA-256. A client offers a jar and sends it in pieces only
 * when the head lacks it; a worker fetches it in pieces the first time it runs a chunk of a job
 * that ships it. Pieces stay well below Artery's 256 KiB frame.
 */
public sealed interface JarCommand extends GridMessage permits JarCommand.Offer, JarCommand.Put, JarCommand.Get {

    /** Name of the jar store, a system actor on every head. */
    String STORE_NAME = "jar-store";

    /**
     * Nodes that serve the jars they keep ({@link Get}): every head's store and every worker's cache.
     * A standby head that resumes a job whose jar it lacks fetches it from one of them.
     */
    ServiceKey<JarCommand> HOLDERS = ServiceKey.create(JarCommand.class, "jar-holders");

    /** Bytes in one piece of a jar on the wire. */
    int PIECE_BYTES = 128 * 1024;

    /**
     * From a client: does the head have this jar? The answer is {@link OfferAnswer}.
     *
     * @param proof that the client may ship code, which a grid with --tls asks for; null without TLS
     */
    record Offer(String sha256, long sizeBytes, ActorRef<OfferAnswer> replyTo,
                 @JsonInclude(JsonInclude.Include.NON_NULL) ShipCodeProof proof) implements JarCommand, ClientRequest {
        public Offer {
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(replyTo, "replyTo");
        }

        public Offer(String sha256, long sizeBytes, ActorRef<OfferAnswer> replyTo) {
            this(sha256, sizeBytes, replyTo, null);
        }
    }

    /**
     * @param have    the head keeps this jar already: send nothing
     * @param refusal why the head takes no such jar (too large, no grant to ship code); null when it does
     */
    record OfferAnswer(String sha256, boolean have, String refusal) implements GridMessage {}

    /**
     * From a client: the piece at {@code offset} of an offered jar; pieces come in order, one at a
     * time (each waits for its answer). On a grid with --tls, only pieces of a jar whose {@link Offer}
     * carried a valid {@link ShipCodeProof} are taken. The answer is {@link PutAnswer}.
     */
    record Put(String sha256, long offset, long sizeBytes, byte[] bytes, ActorRef<PutAnswer> replyTo)
        implements JarCommand, ClientRequest {
        public Put {
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(bytes, "bytes");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /**
     * @param stored the jar is complete, checked against its SHA-256 and kept
     * @param error  why the piece, or the whole jar, was refused; null when it was taken
     */
    record PutAnswer(String sha256, long offset, boolean stored, String error) implements GridMessage {}

    /**
     * From a worker to a head's store, or from a standby head to any {@link #HOLDERS holder}: the
     * piece of a jar at {@code offset}. The answer is {@link Piece}.
     */
    record Get(String sha256, long offset, ActorRef<Piece> replyTo) implements JarCommand {
        public Get {
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** @param error why there is no such piece; null when {@code bytes} holds it */
    record Piece(String sha256, long offset, long sizeBytes, byte[] bytes, String error) implements GridMessage {}
}
