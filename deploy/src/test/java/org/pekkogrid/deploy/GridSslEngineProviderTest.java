package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer check after a handshake, and the words for a failed one. */
class GridSslEngineProviderTest {

    @TempDir
    static Path dir;

    static X509Certificate head;
    static X509Certificate worker;
    static X509Certificate client;

    @BeforeAll
    static void certificates() {
        assertEquals(0, CliTest.grid("certs", "init", dir.resolve("ca").toString()).status());
        for (String role : List.of("head", "worker", "client")) {
            assertEquals(0, CliTest.grid("certs", "issue", "--ca", dir.resolve("ca").toString(), "--name", role + "-1",
                "--role", role, "--out", dir.resolve(role).toString()).status());
        }
        head = TlsFiles.readCertificate(dir.resolve("head/node.crt"), "test");
        worker = TlsFiles.readCertificate(dir.resolve("worker/node.crt"), "test");
        client = TlsFiles.readCertificate(dir.resolve("client/node.crt"), "test");
    }

    /** A session whose peer presented {@code chain}; null for none. */
    private static SSLSession peer(X509Certificate... chain) {
        return (SSLSession) Proxy.newProxyInstance(SSLSession.class.getClassLoader(), new Class<?>[] {SSLSession.class},
            (proxy, method, args) -> {
                if (method.getName().equals("getPeerCertificates")) {
                    if (chain.length == 0) throw new SSLPeerUnverifiedException("none");
                    return (Certificate[]) chain;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    }

    @Test
    void aWorkerRefusesAClientCertificateNamingTheWrongRole() {
        assertEquals("wrong role: its certificate CN=client-1,OU=client,O=pekko-grid is a client's, and a worker "
            + "does not talk with a client", GridSslEngineProvider.refusal(TlsRole.WORKER, peer(client)));
    }

    @Test
    void aClientTalksOnlyWithHeadsAndAHeadWithEveryone() {
        assertNull(GridSslEngineProvider.refusal(TlsRole.CLIENT, peer(head)));
        assertEquals("wrong role: its certificate CN=worker-1,OU=worker,O=pekko-grid is a worker's, and a client "
            + "does not talk with a worker", GridSslEngineProvider.refusal(TlsRole.CLIENT, peer(worker)));
        for (X509Certificate c : List.of(head, worker, client)) assertNull(GridSslEngineProvider.refusal(TlsRole.HEAD, peer(c)));
        assertEquals("the peer presented no certificate", GridSslEngineProvider.refusal(TlsRole.HEAD, peer()));
    }

    @Test
    void aFailedHandshakeIsNamedInAnOperatorsWords() {
        assertEquals("the peer does not speak TLS (a node started without --tls?)",
            HandshakeReportingEngine.reason(new SSLHandshakeException("Unsupported or unrecognized SSL message")));
        assertEquals("the peer's certificate was not issued by this grid's CA (untrusted CA)",
            HandshakeReportingEngine.reason(new SSLHandshakeException("PKIX path building failed: unable to find valid "
                + "certification path to requested target")));
        assertEquals("the peer refused this node's certificate (is this node's CA the peer's grid CA?)",
            HandshakeReportingEngine.reason(new SSLHandshakeException("Received fatal alert: certificate_unknown")));
    }
}
