package org.pekkogrid.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Set;

/**
 * A node's TLS directory ({@code --tls DIR}: {@code ca.crt}, {@code node.crt}, {@code node.key},
 * as {@code grid certs issue} writes them), checked before the node starts: a mistake here
 * otherwise shows only when the first peer connects, as a failed handshake on both sides.
 */
record TlsFiles(Path dir, Path caCert, Path nodeCert, Path nodeKey) {

    static TlsFiles in(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        return new TlsFiles(d, d.resolve(GridCertificates.CA_CERT), d.resolve(GridCertificates.NODE_CERT),
            d.resolve(GridCertificates.NODE_KEY));
    }

    /**
     * Checks that the files are there and readable, the key belongs to the certificate, the
     * certificate is valid now, was signed by the CA and grants {@code role}; throws an
     * IllegalArgumentException that names the problem and the fix.
     */
    X509Certificate check(TlsRole role, Instant now) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--tls " + dir + ": no such directory; make one with grid certs issue");
        }
        X509Certificate ca = readCertificate(caCert, "--tls");
        X509Certificate node = readCertificate(nodeCert, "--tls");
        PrivateKey key = readKey(nodeKey, "--tls");
        if (!matches(key, node)) {
            throw new IllegalArgumentException("--tls " + dir + ": " + nodeKey.getFileName() + " is not the key of "
                + nodeCert.getFileName() + " (" + node.getSubjectX500Principal().getName()
                + "); copy the node.key issued with that certificate");
        }
        checkValidity(ca, caCert, now);
        checkValidity(node, nodeCert, now);
        try {
            node.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("--tls " + dir + ": " + nodeCert.getFileName() + " was not issued by the CA in "
                + caCert.getFileName() + " (issuer " + node.getIssuerX500Principal().getName() + ", CA "
                + ca.getSubjectX500Principal().getName() + "); issue it again with grid certs issue --ca <the grid's CA>");
        }
        Set<TlsRole> granted = TlsRole.of(node);
        if (!granted.contains(role)) {
            throw new IllegalArgumentException("--tls " + dir + ": the certificate " + node.getSubjectX500Principal().getName()
                + " grants role " + (granted.isEmpty() ? "none (not issued by grid certs)" : describe(granted))
                + ", not " + role.label() + "; issue one with grid certs issue --role " + role.label());
        }
        return node;
    }

    private static String describe(Set<TlsRole> roles) {
        return String.join(", ", roles.stream().map(TlsRole::label).toList());
    }

    private void checkValidity(X509Certificate cert, Path file, Instant now) {
        Date at = Date.from(now);
        if (at.after(cert.getNotAfter())) {
            throw new IllegalArgumentException("--tls " + dir + ": " + file.getFileName() + " expired on "
                + cert.getNotAfter().toInstant() + "; issue a new one with grid certs issue");
        }
        if (at.before(cert.getNotBefore())) {
            throw new IllegalArgumentException("--tls " + dir + ": " + file.getFileName() + " is not valid before "
                + cert.getNotBefore().toInstant() + " (is this machine's clock right?)");
        }
    }

    /** Whether {@code key} signs what {@code cert}'s public key verifies. */
    static boolean matches(PrivateKey key, X509Certificate cert) {
        try {
            byte[] probe = "pekko-grid key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static X509Certificate readCertificate(Path file, String option) {
        readable(file, option);
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | CertificateException | ClassCastException e) {
            throw new IllegalArgumentException(option + ": " + file + " is not a PEM certificate (" + e.getMessage() + ")");
        }
    }

    /** An RSA private key in PKCS#8 PEM ("BEGIN PRIVATE KEY"), the form Pekko's PEM reader takes. */
    static PrivateKey readKey(Path file, String option) {
        readable(file, option);
        try {
            String pem = Files.readString(file);
            int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
            int end = pem.indexOf("-----END PRIVATE KEY-----");
            if (begin < 0 || end < begin) {
                throw new IllegalArgumentException(option + ": " + file + " is not a PKCS#8 PEM private key "
                    + "(-----BEGIN PRIVATE KEY-----)");
            }
            String body = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith(option)) throw iae;
            throw new IllegalArgumentException(option + ": " + file + " is not an RSA private key (" + e.getMessage() + ")");
        }
    }

    private static void readable(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file.getParent() + ": " + file.getFileName()
                + " is missing; grid certs issue writes ca.crt, node.crt and node.key");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(option + " " + file.getParent() + ": " + file.getFileName()
                + " is not readable by this user");
        }
    }
}
