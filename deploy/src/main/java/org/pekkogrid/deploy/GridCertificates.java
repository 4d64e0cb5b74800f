package org.pekkogrid.deploy;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.pekkogrid.protocol.ShipCodeProof;

/**
 * A grid's certificate authority and the certificates it issues to nodes, as PEM files that
 * Pekko's {@code RotatingKeysSSLEngineProvider} reads. RSA keys: Pekko's PEM reader loads RSA
 * private keys (PKCS#8) only.
 */
final class GridCertificates {

    static final String CA_CERT = "ca.crt";
    static final String CA_KEY = "ca.key";
    static final String NODE_CERT = "node.crt";
    static final String NODE_KEY = "node.key";

    private static final int KEY_BITS = 2048;
    private static final String SHIP_CODE_OU = "ship-code";
    private static final String SIGNATURE = "SHA256withRSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private GridCertificates() {}

    /** A CA and its key in memory. */
    record Authority(X509Certificate certificate, PrivateKey key) {}

    /** Writes a new CA into {@code dir}; refuses to overwrite one. */
    static Authority init(Path dir, String name, Duration validity) throws IOException {
        if (Files.exists(dir.resolve(CA_KEY)) || Files.exists(dir.resolve(CA_CERT))) {
            throw new IllegalArgumentException(dir + " already holds a CA (" + CA_CERT + ", " + CA_KEY
                + "); remove them first or pick another directory");
        }
        KeyPair keys = newKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "pekko-grid")
            .addRDN(BCStyle.CN, name).build();
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate ca = sign(builder, keys.getPrivate());
            Files.createDirectories(dir);
            writePem(dir.resolve(CA_CERT), ca, false);
            writePem(dir.resolve(CA_KEY), keys.getPrivate(), true);
            return new Authority(ca, keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("could not create a CA: " + e, e);
        }
    }

    /** Reads the CA that {@link #init} wrote. */
    static Authority read(Path dir) {
        X509Certificate ca = TlsFiles.readCertificate(dir.resolve(CA_CERT), "--ca");
        PrivateKey key = TlsFiles.readKey(dir.resolve(CA_KEY), "--ca");
        return new Authority(ca, key);
    }

    /**
     * Issues a node key and certificate signed by {@code ca} into {@code out} ({@code ca.crt},
     * {@code node.crt}, {@code node.key}), valid from {@code notBefore} for {@code validity}.
     */
    static X509Certificate issue(Authority ca, String name, TlsRole role, List<String> hosts, Path out,
                                 Instant notBefore, Duration validity) throws IOException {
        return issue(ca, name, role, false, hosts, out, notBefore, validity);
    }

    /**
     * As {@link #issue(Authority, String, TlsRole, List, Path, Instant, Duration)}; with {@code shipCode}
     * the certificate also grants shipping code (workload jars): a second subject alternative name
     * {@link ShipCodeProof#GRANT_URI}, and a second OU {@code ship-code} for people reading it.
     */
    static X509Certificate issue(Authority ca, String name, TlsRole role, boolean shipCode, List<String> hosts, Path out,
                                 Instant notBefore, Duration validity) throws IOException {
        KeyPair keys = newKeyPair();
        X500NameBuilder subjectName = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "pekko-grid")
            .addRDN(BCStyle.OU, role.label());
        if (shipCode) subjectName.addRDN(BCStyle.OU, SHIP_CODE_OU);
        X500Name subject = subjectName.addRDN(BCStyle.CN, name).build();
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, role.uri()));
        if (shipCode) names.add(new GeneralName(GeneralName.uniformResourceIdentifier, ShipCodeProof.GRANT_URI));
        names.add(new GeneralName(GeneralName.dNSName, name));
        for (String host : hosts) {
            boolean ip = host.matches("[0-9.]+") || host.contains(":");
            names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
        }
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                Date.from(notBefore), Date.from(notBefore.plus(validity)), subject, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                // Every node is a TLS server (others connect to it) and a client (it connects to others).
                .addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
            X509Certificate cert = sign(builder, ca.key());
            Files.createDirectories(out);
            writePem(out.resolve(CA_CERT), ca.certificate(), false);
            writePem(out.resolve(NODE_CERT), cert, false);
            writePem(out.resolve(NODE_KEY), keys.getPrivate(), true);
            return cert;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("could not issue a certificate: " + e, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_BITS, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM);
    }

    /** Writes to a temporary file first and moves it in, so a node re-reading the file never sees half of it. */
    private static void writePem(Path file, Object object, boolean secret) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            if (object instanceof PrivateKey key) {
                // PKCS#8 ("PRIVATE KEY"): the form Pekko's PEM reader takes.
                pem.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
            } else {
                pem.writeObject(object);
            }
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        if (secret) {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions protect it
            }
        }
        try (Writer w = Files.newBufferedWriter(tmp)) {
            w.write(text.toString());
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
