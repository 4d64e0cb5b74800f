package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.GridConfig;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

/**
 * Bytes that are not Artery's, written over plain sockets to the Artery ports of a head and a
 * worker (JVMs of their own): each bad connection is closed, and the nodes neither starve, nor
 * leave the cluster, nor fill their logs, not even with a flood of empty frames that cost a
 * warning each. Pekko 1.7.0's framing looped forever on the first packet below
 * (artery-framing-patch).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ArteryGarbageTest {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern HTTP_PORT = Pattern.compile("HTTP API at http://127\\.0\\.0\\.1:(\\d+)");
    private static final long LOG_GROWTH_LIMIT_BYTES = 64 * 1024;

    private ChildNode head;
    private ChildNode worker;
    private GridClient client;

    @AfterEach
    void stop() {
        try {
            if (client != null) client.close();
        } finally {
            ChildNode.stopAll(Stream.of(worker, head).filter(Objects::nonNull).toList());
        }
    }

    @Test
    void garbageOnTheArteryPortsClosesThoseConnectionsAndNeitherStarvesNorFloodsTheNodes() throws Exception {
        int headPort = ChildNode.freePort();
        int workerPort = ChildNode.freePort();
        String seed = "127.0.0.1:" + headPort;
        head = ChildNode.start("garbage-head", "head", "--port", String.valueOf(headPort), "--http-port", "0",
            "--no-metrics", "--exit-on-stdin-eof");
        worker = ChildNode.start("garbage-worker", "worker", "--seed", seed, "--port", String.valueOf(workerPort),
            "--cores", "1", "--no-metrics", "--exit-on-stdin-eof");
        String ready = head.awaitLine("head ready at " + seed, READY_TIMEOUT);
        worker.awaitLine("worker ready at 127.0.0.1:" + workerPort, READY_TIMEOUT);
        Matcher http = HTTP_PORT.matcher(ready);
        assertTrue(http.find(), ready);
        URI cluster = URI.create("http://127.0.0.1:" + http.group(1) + "/cluster");
        client = GridClient.connect(ConfigFactory.parseMap(Map.of("grid.seeds", List.of(seed)))
            .withFallback(GridConfig.defaults()));
        assertLeibnizPiRuns(10_000_000);
        long headLogBefore = head.stderrBytes();
        long workerLogBefore = worker.stderrBytes();
        int headLinesBefore = head.stderrLines().size();
        int workerLinesBefore = worker.stderrLines().size();

        for (int port : List.of(headPort, workerPort)) {
            // The 9 bytes of the issue: magic, control stream, frame length -4; then a megabyte.
            assertClosedAfter(port, concat(header(1, -4), randomBytes(1 << 20)));
            assertClosedAfter(port, randomBytes(1 << 20));
            assertClosedAfter(port, header(2, Integer.MAX_VALUE));
            assertClosedAfter(port, header(3, Integer.MAX_VALUE));
        }
        long sentAt = System.nanoTime();
        HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(cluster).timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
        double answeredAfterSeconds = (System.nanoTime() - sentAt) / 1e9;

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(answeredAfterSeconds < 1, "the HTTP API answered " + answeredAfterSeconds + " s after the packets");
        assertAtMostAFewLinesAboutBadConnections(head, headLinesBefore);
        assertAtMostAFewLinesAboutBadConnections(worker, workerLinesBefore);
        // Well-formed but empty frames, each of which the node drops with a warning (RepeatedWarningFilter).
        for (int port : List.of(headPort, workerPort)) send(port, concat(header(2, 0), new byte[256 * 1024]));
        assertLeibnizPiRuns(50_000_000);
        ClusterStatus status = client.status().toCompletableFuture().get(20, TimeUnit.SECONDS);
        for (String node : List.of(seed, "127.0.0.1:" + workerPort)) {
            ClusterStatus.Member member = status.members().stream().filter(m -> m.address().endsWith("@" + node))
                .findFirst().orElseThrow(() -> new AssertionError(node + " left the cluster: " + status.members()));
            assertEquals("Up", member.status(), member::toString);
            assertTrue(member.reachable(), member::toString);
        }
        for (ChildNode node : List.of(head, worker)) {
            assertTrue(node.isAlive(), node.stderrTail());
            List<String> log = node.stderrLines();
            assertTrue(log.stream().noneMatch(l -> l.contains("DOWN")), () -> String.join("\n", log));
        }
        assertLogGrewLittle(head, headLogBefore);
        assertLogGrewLittle(worker, workerLogBefore);
    }

    private void assertLeibnizPiRuns(long terms) throws Exception {
        JobResult r = client.submit(JobSpec.of("leibniz-pi").param("terms", terms).withChunks(4)).result()
            .toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals(JobResult.Status.COMPLETED, r.status(), () -> "error: " + r.error());
        assertEquals(LeibnizPi.expected(terms), r.result().asDouble(), 1e-12);
    }

    private static void assertAtMostAFewLinesAboutBadConnections(ChildNode node, int linesBefore) throws IOException {
        List<String> log = node.stderrLines();
        List<String> about = log.subList(linesBefore, log.size()).stream()
            .filter(l -> l.contains("Dropping message") || l.contains("Framing") || l.contains("magic bytes"))
            .toList();
        assertTrue(about.size() <= 4, about.size() + " lines about the bad connections:\n" + String.join("\n", about));
    }

    /** 65,536 empty frames were sent: a few lines each 10 s (RepeatedWarningFilter), and under 64 KiB in all. */
    private static void assertLogGrewLittle(ChildNode node, long bytesBefore) throws IOException {
        long grown = node.stderrBytes() - bytesBefore;
        assertTrue(grown < LOG_GROWTH_LIMIT_BYTES, "the log grew by " + grown + " bytes:\n" + node.stderrTail());
        long dropped = node.stderrLines().stream().filter(l -> l.contains("Dropping message")).count();
        assertTrue(dropped <= 30, dropped + " lines about dropped messages:\n" + node.stderrTail());
    }

    /** Writes the bytes and waits for the node to close the connection (a reset counts). */
    private static void assertClosedAfter(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(bytes);
                out.flush();
                InputStream in = socket.getInputStream();
                while (in.read() != -1) {
                    // a node never answers on an inbound Artery connection; wait for its end
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("port " + port + " kept a connection open 5 s after "
                    + bytes.length + " bytes of garbage", e);
            } catch (IOException e) {
                // reset by the node while the rest was still being written: closed too
            }
        }
    }

    /** Writes the bytes on a connection of its own and closes it. */
    private static void send(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(bytes);
        }
    }

    /** What a connection starts with (magic, stream id), then one frame's length. */
    private static byte[] header(int streamId, int frameLength) {
        return ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN)
            .put("AKKA".getBytes(StandardCharsets.US_ASCII)).put((byte) streamId).putInt(frameLength).array();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }
}
