package org.pekkogrid.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.pekkogrid.protocol.JarCommand;
import org.pekkogrid.protocol.ShipCodeProof;

/**
 * Sends a workload jar to the head a client talks to, unless the head has it already: it offers
 * the jar by its SHA-256 and, when the head lacks it, sends it piece by piece, each piece waiting
 * for the head's answer. On a grid with --tls the offer carries the client's {@link ShipCodeProof}.
 */
final class JarUpload {

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private JarUpload() {}

    /**
     * Completes with what was sent, or fails with an {@link IllegalArgumentException} saying why: an
     * unreadable file, or the head's refusal.
     */
    static CompletionStage<GridClient.JarSent> send(ActorSystem<?> system, ActorRef<HeadLink.Command> link, Path jar) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(jar);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("cannot read the jar " + jar + ": " + e));
        }
        if (bytes.length == 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("the jar " + jar + " is empty"));
        }
        String sha = sha256(bytes);
        ShipCodeSigner signer = ShipCodeSigner.of(system.settings().config());
        ShipCodeProof proof;
        try {
            proof = signer == null ? null : signer.sign(sha);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return AskPattern.<HeadLink.Command, JarCommand.OfferAnswer>ask(link,
                replyTo -> new HeadLink.Send(new JarCommand.Offer(sha, bytes.length, replyTo, proof)), ANSWER_TIMEOUT,
                system.scheduler())
            .thenCompose(answer -> {
                if (answer.refusal() != null) throw new CompletionException(new IllegalArgumentException(answer.refusal()));
                if (answer.have()) return CompletableFuture.completedFuture(new GridClient.JarSent(sha, bytes.length, 0));
                return sendFrom(system, link, sha, bytes, 0);
            });
    }

    private static CompletionStage<GridClient.JarSent> sendFrom(ActorSystem<?> system, ActorRef<HeadLink.Command> link, String sha,
                                                  byte[] bytes, int offset) {
        byte[] piece = Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + JarCommand.PIECE_BYTES));
        return AskPattern.<HeadLink.Command, JarCommand.PutAnswer>ask(link,
                replyTo -> new HeadLink.Send(new JarCommand.Put(sha, offset, bytes.length, piece, replyTo)),
                ANSWER_TIMEOUT, system.scheduler())
            .thenCompose(answer -> {
                if (answer.error() != null) {
                    throw new CompletionException(new IllegalArgumentException("the head refused the jar: " + answer.error()));
                }
                int next = offset + piece.length;
                if (answer.stored()) return CompletableFuture.completedFuture(new GridClient.JarSent(sha, bytes.length, next));
                if (next >= bytes.length) {
                    throw new CompletionException(new IllegalStateException("the head took every byte of the jar but did "
                        + "not say it kept it"));
                }
                return sendFrom(system, link, sha, bytes, next);
            });
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
