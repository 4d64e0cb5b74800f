package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with --tls checks its certificate before it starts, and a node reachable from other
 * hosts needs --tls (or --insecure): mistakes end the command with status 2 and one line naming
 * them, before any actor system starts.
 */
class TlsStartTest {

    @TempDir
    static Path dir;

    static Path ca;
    static Path otherCa;

    @BeforeAll
    static void certificates() {
        ca = dir.resolve("ca");
        otherCa = dir.resolve("other-ca");
        assertEquals(0, CliTest.grid("certs", "init", ca.toString()).status());
        assertEquals(0, CliTest.grid("certs", "init", otherCa.toString(), "--name", "another grid").status());
    }

    private static Path issue(Path authority, String name, String role, String... more) {
        Path out = dir.resolve(name);
        List<String> args = new java.util.ArrayList<>(List.of("certs", "issue", "--ca", authority.toString(), "--name", name,
            "--role", role, "--out", out.toString()));
        args.addAll(List.of(more));
        assertEquals(0, CliTest.grid(args.toArray(String[]::new)).status());
        return out;
    }

    private static void assertRefused(CliTest.Outcome o, String... named) {
        assertEquals(GridMain.BAD_INPUT, o.status(), o.err());
        assertEquals("", o.out(), "no ready line");
        String first = o.errLines().get(0);
        for (String n : named) assertTrue(first.contains(n), "\"" + first + "\" should name " + n);
    }

    private static CliTest.Outcome worker(Path tls, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("worker", "--seed", "127.0.0.1:1", "--no-metrics",
            "--cores", "1", "--tls", tls.toString()));
        args.addAll(List.of(more));
        return CliTest.grid(args.toArray(String[]::new));
    }

    @Test
    void aMissingKeyFileIsNamed() throws Exception {
        Path node = issue(ca, "no-key", "worker");
        Files.delete(node.resolve("node.key"));

        assertRefused(worker(node), "node.key is missing");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsNamed() throws Exception {
        Path node = issue(ca, "mixed", "worker");
        Path other = issue(ca, "mixed-other", "worker");
        Files.copy(other.resolve("node.key"), node.resolve("node.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertRefused(worker(node), "node.key is not the key of node.crt");
    }

    @Test
    void anExpiredCertificateIsNamed() {
        Path node = issue(ca, "expired", "worker", "--days", "1", "--backdate-days", "3");

        assertRefused(worker(node), "node.crt expired on");
    }

    @Test
    void aCertificateFromAnotherCaIsNamed() throws Exception {
        Path node = issue(otherCa, "foreign", "worker");
        Files.copy(ca.resolve("ca.crt"), node.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertRefused(worker(node), "node.crt was not issued by the CA in ca.crt");
    }

    @Test
    void aWorkerWithAClientCertificateAndAHeadWithAWorkerCertificateRefuseToStart() {
        Path client = issue(ca, "a-client", "client");
        Path worker = issue(ca, "a-worker", "worker");

        assertRefused(worker(client), "grants role client, not worker", "--role worker");
        assertRefused(CliTest.grid("head", "--port", "0", "--no-metrics", "--no-http", "--tls", worker.toString()),
            "grants role worker, not head");
        assertRefused(CliTest.grid("submit", "--seed", "127.0.0.1:1", "--tls", worker.toString(), "noop"),
            "grants role worker, not client");
        assertRefused(CliTest.grid("bench", "baseline", "--seed", "127.0.0.1:1", "--tls", worker.toString(),
            "--out", dir.resolve("bench").toString()), "grants role worker, not client");
        assertRefused(CliTest.grid("bench", "baseline", "--tls", client.toString(), "--out", dir.resolve("bench").toString()),
            "--tls goes with --seed");
    }

    @Test
    void bindingANonLoopbackAddressWithoutTlsIsRefusedNamingTlsAndInsecure() {
        assertRefused(CliTest.grid("head", "--host", "192.0.2.10", "--no-metrics", "--no-http"),
            "refusing to bind 192.0.2.10 without TLS", "--tls NODEDIR", "--insecure");
        assertRefused(CliTest.grid("worker", "--seed", "127.0.0.1:1", "--bind-host", "0.0.0.0", "--no-metrics"),
            "0.0.0.0", "--tls", "--insecure");
    }

    @Test
    void insecureOrTlsLetANodeBindANonLoopbackAddress() {
        Config open = NodeConfig.load(null, Map.of(), Map.of("grid.host", "192.0.2.10"));
        Config tls = NodeConfig.load(null, Map.of(), Map.of("grid.host", "192.0.2.10",
            "pekko.remote.artery.transport", "tls-tcp"));

        NodeTls.checkExposure(open, true);
        NodeTls.checkExposure(tls, false);
        NodeTls.checkExposure(NodeConfig.load(null, Map.of(), Map.of()), false);
    }

    @Test
    void httpAndMetricsOffLoopbackNeedATokenOrInsecure() {
        for (String path : java.util.List.of("grid.http", "grid.metrics")) {
            Map<String, Object> exposed = Map.of(path + ".enabled", true, path + ".host", "0.0.0.0",
                "pekko.remote.artery.transport", "tls-tcp");
            IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> NodeTls.checkExposure(NodeConfig.load(null, Map.of(), exposed), false), path);
            org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains(path + ".host")
                && refused.getMessage().contains("GRID_HTTP_TOKEN") && refused.getMessage().contains("--insecure"),
                refused.getMessage());
            Map<String, Object> withToken = new java.util.HashMap<>(exposed);
            withToken.put(path + ".token", "a-token-of-sixteen-or-more");
            NodeTls.checkExposure(NodeConfig.load(null, Map.of(), withToken), false);
            NodeTls.checkExposure(NodeConfig.load(null, Map.of(), exposed), true);
        }
    }
}
