package org.pekkogrid.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A client's proof that it may ship code to a grid that runs with {@code --tls}: its certificate,
 * and its signature, made with the certificate's private key, over the jar's SHA-256 and the time
 * of signing ({@link #signedText}). A head cannot tell which TLS connection a remote message came
 * by (Artery hides it, and a message's addresses are whatever its sender wrote), so the grant
 * travels with the message that needs it: the head checks that the certificate comes from the
 * grid's CA and carries {@link #GRANT_URI}, that the signature is the certificate holder's, and
 * that it is recent.
 *
 * @param certificate    the signer's X.509 certificate, DER-encoded
 * @param signedAtMillis when it was signed (epoch milliseconds)
 * @param signature      over {@link #signedText}, with the certificate's key (SHA256withRSA or SHA256withECDSA)
 */
public record ShipCodeProof(byte[] certificate, long signedAtMillis, byte[] signature) {

    /**
     * The subject alternative name ({@code grid certs issue --ship-code}) by which a certificate
     * grants shipping code (workload jars, {@code grid submit --jar}).
     */
    public static final String GRANT_URI = "urn:pekko-grid:grant:ship-code";

    public ShipCodeProof {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(signature, "signature");
    }

    /** What the client signs for the jar {@code sha256} at {@code signedAtMillis}. */
    public static byte[] signedText(String sha256, long signedAtMillis) {
        return ("pekko-grid ship-code " + sha256 + " " + signedAtMillis).getBytes(StandardCharsets.US_ASCII);
    }
}
