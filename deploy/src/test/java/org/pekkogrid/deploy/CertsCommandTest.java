package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code grid certs init} and {@code grid certs issue}: what the files hold. */
class CertsCommandTest {

    @TempDir
    Path dir;

    @Test
    void initMakesACaAndIssueMakesANodeCertificateThatChainsToItWithItsRole() throws Exception {
        Path ca = dir.resolve("ca");
        Path node = dir.resolve("worker-1");

        CliTest.Outcome init = CliTest.grid("certs", "init", ca.toString());
        CliTest.Outcome issue = CliTest.grid("certs", "issue", "--ca", ca.toString(), "--name", "worker-1",
            "--role", "worker", "--host", "10.0.0.7", "--host", "w1.grid", "--out", node.toString());

        assertEquals(0, init.status(), init.err());
        assertEquals(0, issue.status(), issue.err());
        X509Certificate caCert = TlsFiles.readCertificate(ca.resolve("ca.crt"), "test");
        X509Certificate cert = TlsFiles.readCertificate(node.resolve("node.crt"), "test");
        PrivateKey key = TlsFiles.readKey(node.resolve("node.key"), "test");
        cert.verify(caCert.getPublicKey());
        caCert.verify(caCert.getPublicKey());
        assertTrue(caCert.getBasicConstraints() >= 0, "the CA is a CA");
        assertEquals(-1, cert.getBasicConstraints(), "a node certificate is no CA");
        assertEquals(Set.of(TlsRole.WORKER), TlsRole.of(cert));
        assertTrue(cert.getSubjectX500Principal().getName().contains("OU=worker"), cert.getSubjectX500Principal().getName());
        assertTrue(TlsFiles.matches(key, cert), "node.key is node.crt's key");
        assertEquals(Files.readString(ca.resolve("ca.crt")), Files.readString(node.resolve("ca.crt")), "the CA travels along");
        String sans = String.valueOf(cert.getSubjectAlternativeNames());
        assertTrue(sans.contains("10.0.0.7") && sans.contains("w1.grid") && sans.contains("urn:pekko-grid:role:worker"), sans);
        assertTrue(cert.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(800))), "825 days by default");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(node.resolve("node.key")));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(ca.resolve("ca.key")));
        assertEquals(cert, TlsFiles.in(node).check(TlsRole.WORKER, Instant.now()));
        assertTrue(!sans.contains(org.pekkogrid.protocol.ShipCodeProof.GRANT_URI), "no grant to ship code unless asked");

        Path shipper = dir.resolve("shipper");
        CliTest.Outcome granted = CliTest.grid("certs", "issue", "--ca", ca.toString(), "--name", "shipper",
            "--role", "client", "--ship-code", "--out", shipper.toString());
        assertEquals(0, granted.status(), granted.err());
        assertTrue(granted.out().contains("client certificate (may ship code)"), granted.out());
        X509Certificate shipperCert = TlsFiles.readCertificate(shipper.resolve("node.crt"), "test");
        assertEquals(Set.of(TlsRole.CLIENT), TlsRole.of(shipperCert), "the grant is no role");
        assertTrue(String.valueOf(shipperCert.getSubjectAlternativeNames())
            .contains("urn:pekko-grid:grant:ship-code"), String.valueOf(shipperCert.getSubjectAlternativeNames()));
        assertTrue(shipperCert.getSubjectX500Principal().getName().contains("OU=ship-code"));
    }

    @Test
    void initRefusesToOverwriteACaAndIssueRefusesAnUnknownRole() {
        Path ca = dir.resolve("ca");
        assertEquals(0, CliTest.grid("certs", "init", ca.toString()).status());

        CliTest.Outcome again = CliTest.grid("certs", "init", ca.toString());
        CliTest.Outcome role = CliTest.grid("certs", "issue", "--ca", ca.toString(), "--name", "n", "--role", "boss",
            "--out", dir.resolve("n").toString());

        assertEquals(GridMain.BAD_INPUT, again.status());
        assertTrue(again.err().contains("already holds a CA"), again.err());
        assertEquals(GridMain.BAD_INPUT, role.status());
        assertTrue(role.err().contains("unknown role \"boss\"; known: head, worker, client"), role.err());
    }

    @Test
    void aWorkerTalksOnlyWithMembersAndAClientOnlyWithHeads() {
        assertTrue(TlsRole.HEAD.talksWith(TlsRole.CLIENT));
        assertTrue(TlsRole.WORKER.talksWith(TlsRole.HEAD) && TlsRole.WORKER.talksWith(TlsRole.WORKER));
        assertFalse(TlsRole.WORKER.talksWith(TlsRole.CLIENT));
        assertTrue(TlsRole.CLIENT.talksWith(TlsRole.HEAD));
        assertFalse(TlsRole.CLIENT.talksWith(TlsRole.WORKER));
        assertFalse(TlsRole.CLIENT.talksWith(TlsRole.CLIENT));
        assertEquals(List.of(TlsRole.HEAD, TlsRole.WORKER, TlsRole.CLIENT), List.of(TlsRole.values()));
    }
}
