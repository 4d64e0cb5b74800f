package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.FileRoots;
import org.pekkogrid.workloads.WorkloadJars;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

/**
 * A grid over mutual TLS made with {@code grid certs}: a head and a worker as JVMs of their own,
 * clients in this JVM through {@code grid submit --tls}. Nodes without the grid's certificates
 * never become members, and the head says why; only a client whose certificate grants it ships a
 * workload jar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TlsGridTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Path EXAMPLE_JAR = Path.of("..", "examples", "mandelbrot", "target", "mandelbrot-1.0.jar");

    @TempDir
    static Path dir;

    private final List<ChildNode> nodes = new ArrayList<>();
    private ChildNode head;
    private String seed;
    private String workerAddress;
    private Path shortJoin;

    @BeforeAll
    void startGrid() throws Exception {
        Path ca = dir.resolve("ca");
        assertEquals(0, CliTest.grid("certs", "init", ca.toString()).status());
        for (String role : List.of("head", "worker", "client")) {
            assertEquals(0, CliTest.grid("certs", "issue", "--ca", ca.toString(), "--name", role + "-1", "--role", role,
                "--host", "127.0.0.1", "--out", dir.resolve(role).toString()).status());
        }
        assertEquals(0, CliTest.grid("certs", "issue", "--ca", ca.toString(), "--name", "shipper", "--role", "client",
            "--ship-code", "--out", dir.resolve("shipper").toString()).status());
        Path otherCa = dir.resolve("other-ca");
        assertEquals(0, CliTest.grid("certs", "init", otherCa.toString(), "--name", "another grid").status());
        assertEquals(0, CliTest.grid("certs", "issue", "--ca", otherCa.toString(), "--name", "intruder", "--role", "worker",
            "--out", dir.resolve("intruder").toString()).status());
        shortJoin = Files.writeString(dir.resolve("short-join.conf"), "grid.join-timeout = 10s\n");

        int port = ChildNode.freePort();
        seed = "127.0.0.1:" + port;
        head = startWithJarsIn("tls-head", "head", "--port", String.valueOf(port), "--no-http", "--no-metrics", "--no-journal",
            "--tls", dir.resolve("head").toString(), "--exit-on-stdin-eof");
        ChildNode worker = startWithJarsIn("tls-worker", "worker", "--seed", seed, "--cores", "1", "--no-metrics",
            "--tls", dir.resolve("worker").toString(), "--exit-on-stdin-eof");
        head.awaitLine("head ready", READY);
        workerAddress = ChildGrid.readyAddress(worker, "worker");
    }

    private ChildNode start(String name, String... args) throws Exception {
        ChildNode node = ChildNode.start(name, args);
        nodes.add(node);
        return node;
    }

    /** A node that keeps workload jars in a directory of this test's own, empty at first. */
    private ChildNode startWithJarsIn(String name, String... args) throws Exception {
        ChildNode node = ChildNode.start(name, List.of("-Dgrid.jars.directory=" + dir.resolve("jars-" + name)), args);
        nodes.add(node);
        return node;
    }

    @AfterAll
    void stopGrid() {
        ChildNode.stopAll(nodes);
    }

    @Test
    void aJobOverMutualTlsCompletesExactly() throws Exception {
        CliTest.Outcome o = CliTest.grid("submit", "--seed", seed, "--tls", dir.resolve("client").toString(),
            "leibniz-pi", "--param", "terms=2000000", "--chunks", "8", "--json", "--no-progress");

        assertEquals(GridMain.COMPLETED, o.status(), o.err());
        JsonNode j = JSON.readTree(o.out());
        assertEquals(LeibnizPi.expected(2_000_000), j.path("result").asDouble(), 1e-12, o.out());
    }

    @Test
    void onlyACertificateThatGrantsItShipsCode() throws Exception {
        assertTrue(Files.isRegularFile(EXAMPLE_JAR), "the reactor builds " + EXAMPLE_JAR + " before these tests");
        // Another jar than the granted client's, so that "nothing stored" is not hidden by its upload.
        Path refusedJar = withExtraEntry(EXAMPLE_JAR, dir.resolve("refused.jar"));
        String refusedSha = WorkloadJars.sha256(Files.readAllBytes(refusedJar));

        CliTest.Outcome refused = CliTest.grid("submit", "--seed", seed, "--tls", dir.resolve("client").toString(),
            "--jar", refusedJar.toString(), "mandelbrot", "--param", "width=64", "--param", "height=48", "--no-progress");
        assertEquals(GridMain.BAD_INPUT, refused.status(), refused.err());
        assertTrue(refused.err().contains("the client's certificate CN=client-1,OU=client,O=pekko-grid does not grant "
            + "shipping code; ship code with a certificate that grants it: grid certs issue --role client --ship-code"),
            refused.err());

        CliTest.Outcome granted = CliTest.grid("submit", "--seed", seed, "--tls", dir.resolve("shipper").toString(),
            "--jar", EXAMPLE_JAR.toString(), "mandelbrot", "--param", "width=160", "--param", "height=120",
            "--chunks", "6", "--json", "--no-progress");
        assertEquals(GridMain.COMPLETED, granted.status(), granted.err());
        JsonNode answer = JSON.readTree(granted.out()).get("result");
        JsonNode expected = mandelbrotAnswer(Map.of("width", "160", "height", "120"));
        for (String field : List.of("insidePixels", "iterations", "shadesCrc32")) {
            assertEquals(expected.get(field).asLong(), answer.get(field).asLong(), field + " of " + answer);
        }

        // The jar is on the head now; a job naming it still needs the grant.
        String exampleSha = WorkloadJars.sha256(Files.readAllBytes(EXAMPLE_JAR));
        NodeOptions plainClient = new NodeOptions();
        plainClient.seeds = List.of(seed);
        plainClient.tlsDir = dir.resolve("client");
        JobResult named;
        try (GridClient client = plainClient.connect()) {
            named = client.submit(JobSpec.of("mandelbrot").param("width", 64).param("height", 48).withJar(exampleSha))
                .result().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        assertEquals(JobResult.Status.REJECTED, named.status(), String.valueOf(named.error()));
        assertTrue(named.error().contains("CN=client-1,OU=client,O=pekko-grid does not grant shipping code"),
            named.error());

        assertTrue(head.stderrContains("stored workload jar " + exampleSha), "the granted client's jar was kept");
        assertFalse(head.stderrContains("stored workload jar " + refusedSha), "the refused jar was not");
        assertTrue(head.stderrContains("refused workload jar " + refusedSha), "the head says whose jar it refused");
    }

    /** The jar {@code from} with one more entry: the same workload under another SHA-256. */
    private static Path withExtraEntry(Path from, Path to) throws Exception {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("refused.txt"));
            out.write("another jar".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.closeEntry();
        }
        return to;
    }

    /** The example's own baseline, run here from its jar: the answer the grid must give. */
    private static JsonNode mandelbrotAnswer(Map<String, String> params) throws Exception {
        WorkloadJars local = new WorkloadJars(dir.resolve("jars-test"), Long.MAX_VALUE);
        byte[] bytes = Files.readAllBytes(EXAMPLE_JAR);
        String sha = WorkloadJars.sha256(bytes);
        local.store(sha, bytes);
        try {
            BoundJob<?, ?, ?, ?> job = BoundJob.bind(local.use(sha, "mandelbrot", "expected"), params, 0, Long.MAX_VALUE,
                FileRoots.UNRESTRICTED);
            return job.answerJson(job.runSequential());
        } finally {
            local.release("expected");
        }
    }

    @Test
    void workersWithoutTlsOrWithAnotherGridsCertificateNeverJoinAndBothSidesSaySo() throws Exception {
        ChildNode plain = start("tls-plain-worker", "worker", "--seed", seed, "--cores", "1", "--no-metrics",
            "--config", shortJoin.toString(), "--exit-on-stdin-eof");
        ChildNode intruder = start("tls-intruder", "worker", "--seed", seed, "--cores", "1", "--no-metrics",
            "--config", shortJoin.toString(), "--tls", dir.resolve("intruder").toString(), "--exit-on-stdin-eof");

        assertEquals(GridMain.BAD_INPUT, plain.awaitExit(Duration.ofSeconds(60)), "the plain worker never joined");
        assertEquals(GridMain.BAD_INPUT, intruder.awaitExit(Duration.ofSeconds(60)), "the intruder never joined");
        assertFalse(plain.printed("worker ready") || intruder.printed("worker ready"));
        assertTrue(plain.stderrContains("if the grid runs with --tls, this node needs --tls too"), "the plain worker's hint");
        assertTrue(head.stderrContains("WARN  GridSslEngineProvider - TLS: handshake failed on an inbound connection to "
            + seed + ": the peer does not speak TLS (a node started without --tls?)"), "the head says why");
        assertTrue(intruder.stderrContains("WARN  GridSslEngineProvider - TLS: handshake failed on the connection to " + seed
            + ": the peer's certificate was not issued by this grid's CA (untrusted CA)"), "the refused node says why");
        assertTrue(head.stderrContains("WARN  GridSslEngineProvider - TLS: handshake failed on an inbound connection to "
            + seed + ": the peer refused this node's certificate"), "the head says why");
    }

    @Test
    void aMemberWhoseClusterRolesItsCertificateDoesNotGrantIsDowned() throws Exception {
        // An impostor: a node with a worker's certificate that says it is a head. grid head refuses
        // to start so; this one is made by hand, as a modified build could.
        TlsFiles files = TlsFiles.in(dir.resolve("worker"));
        java.util.Map<String, Object> settings = new java.util.HashMap<>(NodeTls.settings(files, TlsRole.WORKER));
        settings.put("grid.seeds", List.of(seed));
        com.typesafe.config.Config config = GridConfig.forNode(
            com.typesafe.config.ConfigFactory.parseMap(settings).withFallback(GridConfig.defaults()), List.of("head"));
        ActorSystem<Void> impostor = ActorSystem.create(Behaviors.empty(), "grid", config);
        try {
            impostor.getWhenTerminated().toCompletableFuture().get(45, TimeUnit.SECONDS);
        } finally {
            impostor.terminate();
        }

        assertTrue(head.stderrContains("TLS: downing member pekko://grid@" + impostor.address().getHost().get() + ":"
            + impostor.address().getPort().get() + ": it has cluster role head and its certificate grants worker"),
            "the head says why");
    }

    @Test
    void aClientCertificateGetsNothingFromAWorker() throws Exception {
        Path fast = Files.writeString(dir.resolve("fast-connect.conf"), "grid.client.connect-timeout = 4s\n");

        CliTest.Outcome o = CliTest.grid("status", "--seed", workerAddress, "--config", fast.toString(),
            "--tls", dir.resolve("client").toString());

        assertEquals(GridMain.BAD_INPUT, o.status(), o.err());
        assertTrue(o.err().contains("no grid head answered at " + workerAddress), o.err());
    }
}
