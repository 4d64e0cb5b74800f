package org.pekkogrid.head;

import com.typesafe.config.Config;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.pekkogrid.protocol.ShipCodeProof;
import org.pekkogrid.workloads.WorkloadJars;

/**
 * Who may ship code (workload jars) to this head. Without TLS anyone who reaches it may, as its
 * own machine's users may (the grid binds loopback unless it runs TLS or --insecure). With --tls,
 * only a client whose certificate from the grid's CA carries {@link ShipCodeProof#GRANT_URI}
 * ({@code grid certs issue --ship-code}), proven by a {@link ShipCodeProof} signed with that
 * certificate's key over the jar, within {@code grid.jars.proof-max-age} of now.
 */
final class ShipCodeCheck {

    /** The check of a head that runs without TLS: every jar may come. */
    static final ShipCodeCheck OPEN = new ShipCodeCheck(null, Duration.ZERO);

    private static final String FIX = "; ship code with a certificate that grants it: grid certs issue --role client "
        + "--ship-code";
    private static final int SAN_URI = 6;

    /** The grid's CA file (PEM, one or more certificates); null when the head runs without TLS. */
    private final Path caCertFile;
    private final Duration maxAge;

    private ShipCodeCheck(Path caCertFile, Duration maxAge) {
        this.caCertFile = caCertFile;
        this.maxAge = maxAge;
    }

    static ShipCodeCheck of(Config config) {
        if (!config.getString("pekko.remote.artery.transport").equals("tls-tcp")) return OPEN;
        return new ShipCodeCheck(Path.of(config.getString("pekko.remote.artery.ssl.rotating-keys-engine.ca-cert-file")),
            config.getDuration("grid.jars.proof-max-age"));
    }

    /** For tests: a check against the CA in {@code caCertFile}. */
    static ShipCodeCheck against(Path caCertFile, Duration maxAge) {
        return new ShipCodeCheck(caCertFile, maxAge);
    }

    /** Whether jars need a proof here (the head runs TLS). */
    boolean required() {
        return caCertFile != null;
    }

    /** Why {@code proof} does not let its sender ship the jar {@code sha256}, or null when it does. */
    String refusal(String sha256, ShipCodeProof proof) {
        if (caCertFile == null) return null;
        String jar = "jar " + WorkloadJars.shortName(sha256);
        if (proof == null) {
            return "this grid runs with --tls and takes the workload " + jar + " only from a client whose certificate "
                + "grants shipping code, and the client sent no proof of one" + FIX;
        }
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(proof.certificate()));
        } catch (CertificateException | ClassCastException e) {
            return "the certificate sent with the " + jar + " cannot be read: " + e.getMessage();
        }
        String subject = cert.getSubjectX500Principal().getName();
        String untrusted = untrusted(cert);
        if (untrusted != null) return "the certificate " + subject + " sent with the " + jar + " " + untrusted;
        if (!grantsShipCode(cert)) {
            return "refused the workload " + jar + ": the client's certificate " + subject + " does not grant shipping "
                + "code" + FIX;
        }
        long ageMillis = Math.abs(System.currentTimeMillis() - proof.signedAtMillis());
        if (ageMillis > maxAge.toMillis()) {
            return "the proof sent with the " + jar + " was signed " + Duration.ofMillis(ageMillis).toSeconds()
                + " s from the head's time, more than grid.jars.proof-max-age (" + maxAge.toSeconds()
                + " s): are the client's and the head's clocks set?";
        }
        try {
            Signature signature = Signature.getInstance(algorithm(cert.getPublicKey().getAlgorithm()));
            signature.initVerify(cert.getPublicKey());
            signature.update(ShipCodeProof.signedText(sha256, proof.signedAtMillis()));
            if (!signature.verify(proof.signature())) {
                return "the signature sent with the " + jar + " is not " + subject + "'s over this jar";
            }
        } catch (GeneralSecurityException e) {
            return "the signature sent with the " + jar + " cannot be checked: " + e.getMessage();
        }
        return null;
    }

    /** Why the grid's CA does not vouch for {@code cert} now, or null when it does. */
    private String untrusted(X509Certificate cert) {
        Collection<? extends Certificate> authorities;
        try (InputStream in = Files.newInputStream(caCertFile)) {
            authorities = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | CertificateException e) {
            return "cannot be checked: the head cannot read its CA " + caCertFile + ": " + e.getMessage();
        }
        boolean signed = false;
        for (Certificate ca : authorities) {
            if (!(ca instanceof X509Certificate x) || !x.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                continue;
            }
            try {
                cert.verify(x.getPublicKey());
                signed = true;
                break;
            } catch (GeneralSecurityException e) {
                // another CA of the same name (a rotation): try the next
            }
        }
        if (!signed) return "was not issued by this grid's CA";
        try {
            cert.checkValidity();
        } catch (CertificateException e) {
            return "is not valid now (" + e.getMessage() + ")";
        }
        return null;
    }

    private static boolean grantsShipCode(X509Certificate cert) {
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names == null) return false;
            for (List<?> name : names) {
                if (((Integer) name.get(0)) == SAN_URI && ShipCodeProof.GRANT_URI.equals(String.valueOf(name.get(1)))) {
                    return true;
                }
            }
        } catch (CertificateParsingException e) {
            // an unparsable extension grants nothing
        }
        return false;
    }

    private static String algorithm(String keyAlgorithm) {
        return keyAlgorithm.equals("EC") ? "SHA256withECDSA" : "SHA256with" + keyAlgorithm;
    }
}
