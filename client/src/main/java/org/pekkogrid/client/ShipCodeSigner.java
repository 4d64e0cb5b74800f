package org.pekkogrid.client;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.pekkogrid.protocol.ShipCodeProof;

/**
 * Signs a {@link ShipCodeProof} with the key and certificate this client's TLS uses (the
 * rotating-keys-engine files {@code --tls NODEDIR} sets), read again for each proof so that a
 * rotated key is the one used. Without TLS there is nothing to sign with, and nothing is asked.
 */
final class ShipCodeSigner {

    private static final String KEYS = "pekko.remote.artery.ssl.rotating-keys-engine.";

    private final Path keyFile;
    private final Path certFile;

    private ShipCodeSigner(Path keyFile, Path certFile) {
        this.keyFile = keyFile;
        this.certFile = certFile;
    }

    /** The signer of a client with this config; null when it does not run TLS. */
    static ShipCodeSigner of(Config config) {
        if (!config.getString("pekko.remote.artery.transport").equals("tls-tcp")) return null;
        return new ShipCodeSigner(Path.of(config.getString(KEYS + "key-file")), Path.of(config.getString(KEYS + "cert-file")));
    }

    /** A proof for the jar {@code sha256}, signed now; an {@link IllegalArgumentException} when the files do not do. */
    ShipCodeProof sign(String sha256) {
        try {
            X509Certificate cert;
            try (InputStream in = Files.newInputStream(certFile)) {
                cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            PrivateKey key = readKey(keyFile);
            long now = System.currentTimeMillis();
            Signature signature = Signature.getInstance(algorithm(key.getAlgorithm()));
            signature.initSign(key);
            signature.update(ShipCodeProof.signedText(sha256, now));
            return new ShipCodeProof(cert.getEncoded(), now, signature.sign());
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("cannot sign the jar with this client's TLS key " + keyFile + " and "
                + "certificate " + certFile + ": " + e.getMessage(), e);
        }
    }

    /** The signature algorithm for a key of {@code keyAlgorithm} ("RSA", "EC"). */
    static String algorithm(String keyAlgorithm) {
        return keyAlgorithm.equals("EC") ? "SHA256withECDSA" : "SHA256with" + keyAlgorithm;
    }

    /** A PKCS#8 PEM private key ("BEGIN PRIVATE KEY"), the form grid certs writes. */
    private static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) throw new GeneralSecurityException("not a PKCS#8 PEM key (BEGIN PRIVATE KEY)");
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        }
    }
}
