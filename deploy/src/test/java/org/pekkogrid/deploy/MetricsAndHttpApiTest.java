package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.JobDetail;
import org.pekkogrid.protocol.JobLookup;
import org.pekkogrid.protocol.JobSpec;

/**
 * A head and a worker node in this JVM with metrics and the HTTP API on (ports 0), after a
 * clean job, a job whose chunks fail and are retried, and a rejected one.
 */
class MetricsAndHttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration SCRAPE_WAIT = Duration.ofSeconds(20);
    private static final int LEIBNIZ_CHUNKS = 40;
    private static final int FLAKY_CHUNKS = 30;

    private static EmbeddedGrid grid;
    private static int metricsPort;
    private static int httpPort;
    private static JobResult leibniz;
    private static JobResult flaky;

    @BeforeAll
    static void startGridAndRunJobs() {
        Map<String, Object> flags = new HashMap<>();
        flags.put("grid.metrics.enabled", true);
        flags.put("grid.metrics.port", 0);
        // Fresh scrapes within the test's patience; daemons use 10s.
        flags.put("grid.metrics.tick-interval", "250ms");
        flags.put("kamon.modules.jvm-metrics.interval", "250ms");
        flags.put("grid.http.enabled", true);
        flags.put("grid.http.port", 0);
        flags.put("grid.worker.warm-up", "0s");
        grid = EmbeddedGrid.start(NodeConfig.load(null, Map.of(), flags), 1, 2);
        metricsPort = grid.head().endpoints().metricsPort();
        httpPort = grid.head().endpoints().httpPort();
        leibniz = grid.client().run(JobSpec.of("leibniz-pi").param("terms", 4_000_000).withChunks(LEIBNIZ_CHUNKS));
        flaky = grid.client().run(JobSpec.of("flaky").param("rate", 0.3).param("seed", 7).withChunks(FLAKY_CHUNKS)
            .withMaxRetries(20));
        JobResult rejected = grid.client().run(JobSpec.of("no-such-workload"));
        assertEquals(JobResult.Status.COMPLETED, leibniz.status(), () -> "leibniz-pi: " + leibniz.error());
        assertEquals(JobResult.Status.COMPLETED, flaky.status(), () -> "flaky: " + flaky.error());
        assertEquals(JobResult.Status.REJECTED, rejected.status());
    }

    @AfterAll
    static void stopGrid() {
        if (grid != null) grid.close();
    }

    @Test
    void everyNodeAdvertisesItsPortsAndTheyAreBound() {
        assertTrue(metricsPort > 0, "metrics port " + metricsPort);
        assertTrue(httpPort > 0, "HTTP port " + httpPort);
        // One JVM, one Kamon: the embedded worker shares the head's endpoint.
        assertEquals(metricsPort, grid.workers().get(0).endpoints().metricsPort());
        assertEquals(0, grid.workers().get(0).endpoints().httpPort());
    }

    @Test
    void halfOpenRequestsSilenceNeitherMetricsNorTheApi() throws Exception {
        List<java.net.Socket> slow = new java.util.ArrayList<>();
        try {
            for (int port : List.of(metricsPort, httpPort)) {
                for (int i = 0; i < 60; i++) {
                    java.net.Socket socket = new java.net.Socket("127.0.0.1", port);
                    // A request line and no end of headers: the server waits for the rest.
                    socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes());
                    socket.getOutputStream().flush();
                    slow.add(socket);
                }
            }
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(java.time.Duration.ofSeconds(3)).build();
            for (String url : List.of("http://127.0.0.1:" + metricsPort + "/metrics",
                    "http://127.0.0.1:" + httpPort + "/v1/cluster")) {
                long started = System.nanoTime();
                java.net.http.HttpResponse<String> answer = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url)).timeout(java.time.Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), url);
                System.out.printf("MEASURED %s answered in %.0f ms with 120 half-open requests held%n", url,
                    (System.nanoTime() - started) / 1e6);
            }
        } finally {
            for (java.net.Socket socket : slow) socket.close();
        }
    }

    @Test
    void prometheusEndpointCountsTheChunksOfTheCleanJob() throws Exception {
        Map<String, String> leibnizTags = Map.of("workload", "leibniz-pi");
        Scrape scrape = awaitScrape("grid_head_chunks_completed_total", leibnizTags, LEIBNIZ_CHUNKS);
        assertEquals(LEIBNIZ_CHUNKS, scrape.require("grid_head_chunks_completed_total", leibnizTags));
        assertEquals(0, scrape.require("grid_head_chunks_retried_total", leibnizTags));
        assertEquals(LEIBNIZ_CHUNKS, scrape.require("grid_head_chunk_latency_seconds_count", leibnizTags));
        assertEquals(LEIBNIZ_CHUNKS, scrape.require("grid_worker_chunks_total", Map.of("workload", "leibniz-pi",
            "outcome", "ok")));
        assertEquals(LEIBNIZ_CHUNKS, scrape.require("grid_worker_chunk_run_time_seconds_count", leibnizTags));
        assertTrue(scrape.require("grid_worker_chunk_run_time_seconds_sum", leibnizTags) > 0);
        assertEquals(LEIBNIZ_CHUNKS, scrape.require("grid_head_chunk_latency_seconds_bucket",
            Map.of("workload", "leibniz-pi", "le", "+Inf")));
    }

    @Test
    void prometheusEndpointCountsFailuresAndRetriesAsTheReportDoes() throws Exception {
        Map<String, String> flakyTags = Map.of("workload", "flaky");
        Scrape scrape = awaitScrape("grid_head_chunks_completed_total", flakyTags, FLAKY_CHUNKS);
        long failedAttempts = flaky.report().failedAttempts();
        assertTrue(failedAttempts > 0, "seed 7 at rate 0.3 fails some attempts");
        assertEquals(FLAKY_CHUNKS, scrape.require("grid_head_chunks_completed_total", flakyTags));
        assertEquals(flaky.report().retries(), scrape.require("grid_head_chunks_retried_total", flakyTags));
        assertEquals(failedAttempts, scrape.require("grid_head_chunks_failed_total", flakyTags));
        assertEquals(0, scrape.require("grid_head_chunks_timed_out_total", flakyTags));
        assertEquals(0, scrape.require("grid_head_chunks_duplicates_total", flakyTags));
        assertEquals(failedAttempts, scrape.require("grid_worker_chunks_total", Map.of("workload", "flaky",
            "outcome", "failed")));
        assertEquals(FLAKY_CHUNKS, scrape.require("grid_worker_chunks_total", Map.of("workload", "flaky",
            "outcome", "ok")));
    }

    @Test
    void prometheusEndpointShowsJobsByStateSlotsAndAnEmptyQueue() throws Exception {
        Scrape scrape = awaitScrape("grid_head_jobs_total", Map.of("state", "completed"), 2);
        assertEquals(2, scrape.require("grid_head_jobs_total", Map.of("state", "accepted")));
        assertEquals(2, scrape.require("grid_head_jobs_total", Map.of("state", "completed")));
        assertEquals(0, scrape.require("grid_head_jobs_total", Map.of("state", "failed")));
        assertEquals(1, scrape.require("grid_head_jobs_total", Map.of("state", "rejected")));
        assertEquals(0, scrape.require("grid_head_jobs_running", Map.of()));
        assertEquals(0, scrape.require("grid_head_queue_chunks", Map.of("state", "waiting")));
        assertEquals(0, scrape.require("grid_head_queue_chunks", Map.of("state", "in-flight")));
        assertEquals(2, scrape.require("grid_worker_slots", Map.of()));
        assertEquals(0, scrape.require("grid_worker_slots_busy", Map.of()));
        assertEquals(0, scrape.require("grid_worker_batches_queued", Map.of()));
        assertEquals(0, scrape.require("grid_worker_stuck_threads", Map.of()));
    }

    @Test
    void prometheusEndpointServesJvmAndProcessCpuAndHeap() throws Exception {
        // Kamon samples process CPU on its own period, which can end after the first JVM sample.
        Scrape scrape = awaitScrape(s -> s.value("jvm_memory_max_bytes", Map.of("region", "heap")).orElse(-1) > 0
            && s.has("process_cpu_usage_bucket"));
        assertTrue(scrape.require("jvm_memory_max_bytes", Map.of("region", "heap")) > 0, "heap max");
        assertTrue(scrape.has("jvm_memory_used_bytes_bucket"), "heap used");
        assertTrue(scrape.has("process_cpu_usage_bucket"), "process CPU");
        assertFalse(scrape.has("host_cpu_usage_bucket"), "host metrics are off unless grid.metrics.host-metrics");
    }

    @Test
    void metricsAndHttpApiListenOnLoopbackOnly() throws Exception {
        for (int port : List.of(metricsPort, httpPort)) {
            List<InetAddress> listening = listeningAddresses(port);
            assertFalse(listening.isEmpty(), "nothing listens on port " + port);
            for (InetAddress a : listening) assertTrue(a.isLoopbackAddress(), port + " listens on " + a);
            Optional<InetAddress> outside = nonLoopbackAddress();
            if (outside.isPresent()) {
                try (Socket socket = new Socket()) {
                    assertThrows(ConnectException.class,
                        () -> socket.connect(new InetSocketAddress(outside.get(), port), 2000),
                        "port " + port + " answered on " + outside.get());
                }
            }
        }
    }

    @Test
    void httpApiListsTheMembersWithTheirPorts() throws Exception {
        HttpResponse<String> response = get("/cluster");
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode members = JSON.readTree(response.body()).get("members");
        assertEquals(2, members.size(), response.body());
        JsonNode head = member(members, "head");
        JsonNode worker = member(members, "worker");
        assertEquals(httpPort, head.get("httpPort").asInt());
        assertEquals(metricsPort, head.get("metricsPort").asInt());
        assertEquals(metricsPort, worker.get("metricsPort").asInt());
        assertEquals(0, worker.get("httpPort").asInt());
        assertEquals(2, worker.get("slots").asInt());
        assertEquals("Up", worker.get("status").asText());
        assertEquals(0, worker.get("stuckThreads").asInt(-1));
    }

    @Test
    void httpApiListsTheFinishedJobs() throws Exception {
        HttpResponse<String> response = get("/jobs");
        assertEquals(200, response.statusCode());
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode job : JSON.readTree(response.body()).get("jobs")) byId.put(job.get("job").asText(), job);
        JsonNode job = byId.get(leibniz.jobId());
        assertNotNull(job, response.body());
        assertEquals("COMPLETED", job.get("state").asText());
        assertEquals("leibniz-pi", job.get("workload").asText());
        assertEquals(LEIBNIZ_CHUNKS, job.get("chunksDone").asLong());
        assertEquals(LEIBNIZ_CHUNKS, job.get("chunksTotal").asLong());
        assertEquals("COMPLETED", byId.get(flaky.jobId()).get("state").asText());
    }

    @Test
    void httpApiServesAFinishedJobWithItsReport() throws Exception {
        HttpResponse<String> response = get("/jobs/" + leibniz.jobId());
        assertEquals(200, response.statusCode());
        JsonNode job = JSON.readTree(response.body());
        assertEquals(leibniz.jobId(), job.get("job").asText());
        assertEquals("COMPLETED", job.get("state").asText());
        assertEquals(leibniz.summary(), job.get("outcome").asText());
        JsonNode report = job.get("report");
        assertEquals(leibniz.jobId(), report.get("jobId").asText());
        assertEquals(LEIBNIZ_CHUNKS, report.get("chunks").asLong());
        assertEquals(LEIBNIZ_CHUNKS, report.get("chunksDone").asLong());
        assertEquals(4_000_000, report.get("items").asLong());
        assertEquals(LEIBNIZ_CHUNKS, report.get("latencyMillis").get("count").asLong());
        assertEquals(leibniz.report().makespanMillis(), report.get("makespanMillis").asDouble(), 1e-9);
        assertEquals(LEIBNIZ_CHUNKS, report.get("chunkRows").size());
    }

    @Test
    void unknownJobIs404WithAJsonError() throws Exception {
        HttpResponse<String> response = get("/jobs/job-0000-404");
        assertEquals(404, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        String error = JSON.readTree(response.body()).get("error").asText();
        assertTrue(error.contains("job-0000-404") && error.contains("GET /v1/jobs"), error);
    }

    @Test
    void httpApiAnswersOtherPathsAndMethodsWithJsonErrors() throws Exception {
        HttpResponse<String> missing = get("/nothing/here");
        assertEquals(404, missing.statusCode());
        assertTrue(JSON.readTree(missing.body()).get("error").asText().contains("GET /v1/cluster"), missing.body());
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(api("/jobs"))
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertTrue(JSON.readTree(post.body()).get("error").asText().contains("POST /v1/jobs"),
            "the unversioned routes only read; the error points to the one that submits: " + post.body());
    }

    @Test
    void statusReadsTheHttpApiWithoutJoining() {
        HeadApiClient api = new HeadApiClient("127.0.0.1:" + httpPort);
        ClusterStatus status = api.status();
        assertEquals(2, status.members().size());
        assertTrue(status.members().stream().allMatch(m -> m.metricsPort() == metricsPort), status.toString());
        assertTrue(status.jobs().stream().anyMatch(j -> j.job().equals(flaky.jobId()) && j.state().equals("COMPLETED")));
        JobDetail detail = api.job(flaky.jobId()).orElseThrow();
        assertEquals(flaky.report().retries(), detail.report().retries());
        assertEquals(Optional.empty(), api.job("job-0000-404"));
    }

    @Test
    void coordinatorAnswersGetJobOverTheCluster() throws Exception {
        JobLookup found = grid.client().job(flaky.jobId()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        JobDetail job = found.job().orElseThrow();
        assertEquals("COMPLETED", job.state());
        assertEquals(FLAKY_CHUNKS, job.chunksDone());
        assertEquals(flaky.report().failedAttempts(), job.report().failedAttempts());
        JobLookup unknown = grid.client().job("job-0000-404").toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Optional.empty(), unknown.job());
    }

    @Test
    void aJobsReportCrossesTheNetworkToAClientOnAnotherNode() throws Exception {
        String seed = grid.seed();
        try (GridClient remote = GridClient.connect(seed)) {
            JobLookup found = remote.job(flaky.jobId()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            JobDetail job = found.job().orElseThrow();
            assertFalse(job.thinned(), "30 rows fit a frame");
            assertEquals(flaky.report().retries(), job.report().retries());
            assertEquals(flaky.report().chunkRows().size(), job.report().chunkRows().size());
            assertEquals(Optional.empty(), remote.job("job-0000-404").toCompletableFuture().get(10, TimeUnit.SECONDS).job());
        }
    }

    // ---- helpers

    /** Polls /metrics until Kamon's tick has published the sample at or above {@code atLeast}. */
    private static Scrape awaitScrape(String name, Map<String, String> labels, double atLeast) throws Exception {
        return awaitScrape(s -> s.value(name, labels).orElse(-1) >= atLeast);
    }

    private static Scrape awaitScrape(java.util.function.Predicate<Scrape> ready) throws Exception {
        long deadline = System.nanoTime() + SCRAPE_WAIT.toNanos();
        Scrape scrape;
        do {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            scrape = new Scrape(response.body());
            if (ready.test(scrape)) return scrape;
            Thread.sleep(100);  // Kamon publishes on its own tick; there is no event to wait on
        } while (System.nanoTime() < deadline);
        return scrape;
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(api(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI api(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private static JsonNode member(JsonNode members, String role) {
        for (JsonNode m : members) {
            for (JsonNode r : m.get("roles")) if (r.asText().equals(role)) return m;
        }
        throw new AssertionError("no member with role " + role + " in " + members);
    }

    /** Addresses with a socket listening on this TCP port, from the kernel's tables (Linux). */
    private static List<InetAddress> listeningAddresses(int port) throws IOException {
        Path tcp = Path.of("/proc/net/tcp");
        assumeTrue(Files.isReadable(tcp), "needs Linux's /proc/net/tcp");
        List<InetAddress> found = new ArrayList<>();
        for (Path table : List.of(tcp, Path.of("/proc/net/tcp6"))) {
            if (!Files.isReadable(table)) continue;
            for (String line : Files.readAllLines(table).subList(1, Files.readAllLines(table).size())) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                boolean listen = fields[3].equals("0A");
                if (listen && Integer.parseInt(local[1], 16) == port) found.add(kernelAddress(local[0]));
            }
        }
        return found;
    }

    /** /proc/net/tcp writes addresses as 32-bit words in host (little-endian) order. */
    private static InetAddress kernelAddress(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = (word * 4 + b) * 2;
                bytes[word * 4 + 3 - b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes);
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) continue;
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
