package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.protocol.Requirements;

/**
 * The head's autoscaling gauges, scraped from its /metrics while jobs of sleeping chunks queue more
 * work than one two-core worker has slots for, and after they end: {@code grid_desired_slots}
 * rises above {@code grid_slots_total} and falls back to 0.
 */
class DesiredSlotsGaugeTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration SCRAPE_WAIT = Duration.ofSeconds(10);
    private static final int CORES = 2;

    private static EmbeddedGrid grid;
    private static int metricsPort;

    @BeforeAll
    static void startGrid() {
        Map<String, Object> flags = new HashMap<>();
        flags.put("grid.metrics.enabled", true);
        flags.put("grid.metrics.port", 0);
        // Fresh scrapes within a job of a few seconds; daemons use 10s.
        flags.put("grid.metrics.tick-interval", "100ms");
        flags.put("grid.worker.warm-up", "0s");
        grid = EmbeddedGrid.start(NodeConfig.load(null, Map.of(), flags), 1, CORES);
        metricsPort = grid.head().endpoints().metricsPort();
    }

    @AfterAll
    static void stop() {
        if (grid != null) grid.close();
    }

    @Test
    void theGaugeFollowsTheQueueUpAndDown() throws Exception {
        System.out.println("grid started");
        assertEquals(CORES, awaitScrape("grid_slots_total", CORES).require("grid_slots_total", Map.of()));
        assertEquals(0, scrape().require("grid_desired_slots", Map.of()));

        // 16 chunks of 300 ms on 2 slots: 2.4 s of work, 16 slots wanted at first.
        int chunks = 16;
        double peak = peakWhileRunning(JobSpec.of("sleep").param("millis", 300).withChunks(chunks));
        System.out.println("desired slots: peak " + peak + " for " + chunks + " chunks on " + CORES + " slots");
        assertTrue(peak > CORES && peak <= chunks, "desired slots above the 2 there are, at most one per chunk: " + peak);
        assertEquals(0, awaitScrape("grid_desired_slots", 0).require("grid_desired_slots", Map.of()),
            "nothing wanted once the job ended");

        // A chunk that needs 2 cores wants 2 slots: 6 chunks want up to 12.
        int wideChunks = 6;
        double widePeak = peakWhileRunning(JobSpec.of("sleep").param("millis", 300).withChunks(wideChunks)
            .requiring(new Requirements(2, 0, java.util.Set.of())));
        System.out.println("desired slots: peak " + widePeak + " for " + wideChunks + " chunks of cpus=2");
        assertTrue(widePeak > wideChunks && widePeak <= 2 * wideChunks,
            "two slots per chunk of cpus=2, at most 12: " + widePeak);
        assertEquals(0, awaitScrape("grid_desired_slots", 0).require("grid_desired_slots", Map.of()));
        assertEquals(CORES, scrape().require("grid_slots_total", Map.of()), "the slots did not change");
    }

    /** Runs the job, scraping as it runs; the highest desired slots seen. */
    private static double peakWhileRunning(JobSpec spec) throws Exception {
        CompletableFuture<JobResult> result = grid.client().submit(spec).result().toCompletableFuture();
        double peak = 0;
        while (!result.isDone()) {
            peak = Math.max(peak, scrape().value("grid_desired_slots", Map.of()).orElse(0));
            try {
                result.get(100, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException running) {
                // scrape again
            }
        }
        JobResult done = result.get(30, TimeUnit.SECONDS);
        System.out.println("job ended: " + done.report().makespanMillis() + " ms");
        assertEquals(JobResult.Status.COMPLETED, done.status(), () -> "sleep: " + done.error());
        return peak;
    }

    private static Scrape scrape() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return new Scrape(response.body());
    }

    /** The first scrape where this gauge shows {@code value}; Kamon publishes on its own tick. */
    private static Scrape awaitScrape(String name, double value) throws Exception {
        long deadline = System.nanoTime() + SCRAPE_WAIT.toNanos();
        Scrape scrape;
        do {
            scrape = scrape();
            if (scrape.value(name, Map.of()).orElse(-1) == value) return scrape;
            CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)).join();
        } while (System.nanoTime() < deadline);
        return scrape;
    }
}
