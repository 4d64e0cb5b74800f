package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates replaced on disk are used without a restart: a running head moved to a new CA
 * (key, certificate and ca.crt) lets in a worker of that CA that it refused before.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TlsRotationTest {

    @TempDir
    Path dir;

    private Path issue(Path ca, String name, String role) {
        Path out = dir.resolve(name);
        assertEquals(0, CliTest.grid("certs", "issue", "--ca", ca.toString(), "--name", name, "--role", role,
            "--out", out.toString()).status());
        return out;
    }

    @Test
    void aHeadPicksUpANewCertificateAndCaFromDiskWithoutRestart() throws Exception {
        Path oldCa = dir.resolve("old-ca");
        Path newCa = dir.resolve("new-ca");
        assertEquals(0, CliTest.grid("certs", "init", oldCa.toString()).status());
        assertEquals(0, CliTest.grid("certs", "init", newCa.toString(), "--name", "the new CA").status());
        Path headDir = issue(oldCa, "head", "head");
        Path newHead = issue(newCa, "head-renewed", "head");
        Path worker = issue(newCa, "worker", "worker");
        int port = ChildNode.freePort();
        String seed = "127.0.0.1:" + port;
        // The head reads its PEM files again after 2 s instead of 30.
        List<String> fastRotation = List.of("-Dpekko.remote.artery.ssl.rotating-keys-engine.ssl-context-cache-ttl=2s");
        List<ChildNode> nodes = new ArrayList<>();
        try {
            ChildNode head = ChildNode.start("rotation-head", fastRotation, "head", "--port", String.valueOf(port),
                "--no-http", "--no-metrics", "--no-journal", "--tls", headDir.toString(), "--exit-on-stdin-eof");
            nodes.add(head);
            head.awaitLine("head ready", Duration.ofSeconds(90));
            ChildNode w = ChildNode.start("rotation-worker", "worker", "--seed", seed, "--cores", "1", "--no-metrics",
                "--tls", worker.toString(), "--exit-on-stdin-eof");
            nodes.add(w);
            awaitLog(w, "the peer's certificate was not issued by this grid's CA (untrusted CA)");

            for (String file : List.of("ca.crt", "node.key", "node.crt")) {
                Files.copy(newHead.resolve(file), headDir.resolve(file + ".new"), StandardCopyOption.REPLACE_EXISTING);
                Files.move(headDir.resolve(file + ".new"), headDir.resolve(file), StandardCopyOption.ATOMIC_MOVE);
            }

            String ready = w.awaitLine("worker ready", Duration.ofSeconds(60));
            assertTrue(ready.startsWith("worker ready at 127.0.0.1:"), ready);
        } finally {
            ChildNode.stopAll(nodes);
        }
    }

    private static void awaitLog(ChildNode node, String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!node.stderrContains(fragment)) {
            assertTrue(System.nanoTime() < deadline, node.name() + " never logged: " + fragment);
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }
}
