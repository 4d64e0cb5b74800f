package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobHandle;
import org.pekkogrid.client.JobListener;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.JobDetail;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobSpec;

/**
 * A head that runs two jobs at once and queues four more (at most five of one client), and one
 * worker with two cores. Jobs past the running limit wait their turn, first in first out, and
 * hear where they are in line; past the queue's bound they are rejected naming the limit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class QueueingTest {

    private static final int MAX_JOBS = 2;
    private static final int MAX_QUEUED = 4;
    private static final int PER_CLIENT = 5;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private LoopbackGrid grid;
    private final List<GridClient> clients = new ArrayList<>();
    private final List<JobHandle> handles = new ArrayList<>();

    @BeforeAll
    void startGrid() throws Exception {
        grid = LoopbackGrid.startHead(Map.of("grid.head.max-jobs", MAX_JOBS, "grid.head.max-queued-jobs", MAX_QUEUED,
            "grid.head.max-jobs-per-client", PER_CLIENT, "grid.http.enabled", true, "grid.http.port", 0));
        grid.addWorker(2, List.of());
        grid.awaitStatus("the worker's two slots registered", s -> LoopbackGrid.slots(s) == 2);
    }

    /** Whatever a test left running or queued is cancelled, so the next starts with an idle head. */
    @AfterEach
    void cancelLeftovers() throws Exception {
        for (JobHandle h : handles) h.cancel("the test is over");
        for (JobHandle h : handles) h.result().toCompletableFuture().get(30, TimeUnit.SECONDS);
        handles.clear();
        for (GridClient c : clients) c.close();
        clients.clear();
        grid.awaitStatus("no job running or queued", s -> s.queuedJobs() == 0
            && s.jobs().stream().noneMatch(j -> j.state().equals("RUNNING") || j.state().equals("QUEUED")));
    }

    @AfterAll
    void stopGrid() {
        if (grid != null) grid.close();
    }

    @Test
    void moreJobsThanTheRunningLimitAllCompleteStartingInTheOrderTheyCame() throws Exception {
        GridClient client = newClient();
        List<List<JobEvent.Queued>> heard = new ArrayList<>();
        List<JobHandle> jobs = new ArrayList<>();
        StatusWatch watch = new StatusWatch();
        for (int i = 0; i < PER_CLIENT; i++) {
            List<JobEvent.Queued> queued = new CopyOnWriteArrayList<>();
            heard.add(queued);
            JobHandle job = client.submit(sleep(100, 6), new JobListener() {
                @Override
                public void onQueued(JobEvent.Queued q) {
                    queued.add(q);
                }
            });
            // One at a time: a client's submits sent together may reach the head in any order.
            job.accepted().toCompletableFuture().get(30, TimeUnit.SECONDS);
            jobs.add(job);
        }

        List<JobResult> results = new ArrayList<>();
        for (JobHandle job : jobs) results.add(job.result().toCompletableFuture().get(60, TimeUnit.SECONDS));
        List<ClusterStatus> seen = watch.stop();

        for (JobResult r : results) {
            assertEquals(JobResult.Status.COMPLETED, r.status(), () -> r.jobId() + ": " + r.error());
            assertEquals(6, r.result().asLong(), "every chunk of " + r.jobId() + " slept once");
        }
        for (int i = 0; i < MAX_JOBS; i++) assertEquals(List.of(), heard.get(i), "job " + i + " started at once");
        for (int i = MAX_JOBS; i < PER_CLIENT; i++) {
            List<JobEvent.Queued> queued = heard.get(i);
            assertFalse(queued.isEmpty(), "job " + i + " heard it was queued");
            assertEquals(i - MAX_JOBS + 1, queued.get(0).position(), "job " + i + " was queued behind the ones before");
            for (int k = 1; k < queued.size(); k++) {
                assertTrue(queued.get(k).position() <= queued.get(k - 1).position(), "it only moved up: " + queued);
            }
        }
        // The head's status lists running jobs in the order they started: from its status, polled
        // while they ran, the order in which the jobs first ran.
        List<String> ids = results.stream().map(JobResult::jobId).toList();
        List<String> started = new ArrayList<>();
        for (ClusterStatus s : seen) {
            List<String> running = s.jobs().stream().filter(j -> j.state().equals("RUNNING")).map(ClusterStatus.Job::job)
                .toList();
            assertTrue(running.size() <= MAX_JOBS, "never more than " + MAX_JOBS + " at once: " + running);
            for (String id : running) if (ids.contains(id) && !started.contains(id)) started.add(id);
        }
        // The first MAX_JOBS start at once, in whatever order their submits reached the head; the
        // queued ones start in the order they were queued.
        String why = "the jobs started in the order they came (" + seen.size() + " statuses seen): " + started;
        assertEquals(ids.size(), started.size(), why);
        assertEquals(java.util.Set.copyOf(ids.subList(0, MAX_JOBS)), java.util.Set.copyOf(started.subList(0, MAX_JOBS)), why);
        assertEquals(ids.subList(MAX_JOBS, ids.size()), started.subList(MAX_JOBS, started.size()), why);
    }

    /** The head's status, asked for again and again until stopped. */
    private final class StatusWatch {
        private final List<ClusterStatus> seen = new CopyOnWriteArrayList<>();
        private volatile boolean stopped;
        private final Thread thread = new Thread(() -> {
            while (!stopped) {
                try {
                    seen.add(grid.status());
                } catch (Exception e) {
                    return;
                }
            }
        }, "status-watch");

        StatusWatch() {
            thread.start();
        }

        List<ClusterStatus> stop() throws InterruptedException {
            stopped = true;
            thread.join(30_000);
            return List.copyOf(seen);
        }
    }

    @Test
    void pastTheQueuesBoundAJobIsRejectedNamingTheLimitAndNothingChanges() throws Exception {
        GridClient alice = newClient();
        for (int i = 0; i < PER_CLIENT; i++) keep(alice.submit(busy()));
        awaitAccepted();
        ClusterStatus before = grid.awaitStatus("2 running and 3 queued",
            s -> count(s, "RUNNING") == MAX_JOBS && s.queuedJobs() == PER_CLIENT - MAX_JOBS);

        JobResult overClientLimit = alice.submit(sleep(1, 1)).result().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(JobResult.Status.REJECTED, overClientLimit.status());
        assertTrue(overClientLimit.error().contains("grid.head.max-jobs-per-client = " + PER_CLIENT),
            overClientLimit.error());

        GridClient bob = newClient();
        JobHandle lastInLine = keep(bob.submit(sleep(1, 1)));
        lastInLine.accepted().toCompletableFuture().get(30, TimeUnit.SECONDS);
        ClusterStatus full = grid.status();
        assertEquals(MAX_QUEUED, full.queuedJobs());

        JobResult overQueue = bob.submit(sleep(1, 1)).result().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(JobResult.Status.REJECTED, overQueue.status());
        assertTrue(overQueue.error().contains("queue is full") && overQueue.error().contains("grid.head.max-queued-jobs = "
            + MAX_QUEUED), overQueue.error());
        assertNull(overQueue.report());

        ClusterStatus after = grid.status();
        assertEquals(rows(full), rows(after), "the rejected jobs changed nothing");
        assertFalse(after.jobs().stream().anyMatch(j -> j.job().equals(overQueue.jobId())
            || j.job().equals(overClientLimit.jobId())), "rejected jobs are not listed");
        assertEquals(List.of(1, 2, 3, 4), after.jobs().stream().filter(j -> j.state().equals("QUEUED"))
            .map(ClusterStatus.Job::queuePosition).toList());
        assertTrue(rows(after).containsAll(rows(before)), "the jobs before the rejections are all still there");
    }

    @Test
    void aCancelledQueuedJobEndsFailedWithoutRunningAndThoseBehindItMoveUp() throws Exception {
        GridClient client = newClient();
        for (int i = 0; i < MAX_JOBS; i++) keep(client.submit(busy()));
        // Submits sent together may reach the head in any order: these two come after the busy ones.
        awaitAccepted();
        JobHandle second = keep(client.submit(sleep(1, 1)));
        second.accepted().toCompletableFuture().get(30, TimeUnit.SECONDS);
        CompletableFuture<JobEvent.Queued> movedUp = new CompletableFuture<>();
        List<JobEvent.Queued> thirdHeard = new CopyOnWriteArrayList<>();
        JobHandle third = keep(client.submit(sleep(1, 1), new JobListener() {
            @Override
            public void onQueued(JobEvent.Queued q) {
                thirdHeard.add(q);
                if (q.position() == 1) movedUp.complete(q);
            }
        }));
        String secondId = second.accepted().toCompletableFuture().get(30, TimeUnit.SECONDS);
        String thirdId = third.accepted().toCompletableFuture().get(30, TimeUnit.SECONDS);
        JobDetail queued = client.job(secondId).toCompletableFuture().get(10, TimeUnit.SECONDS).job().orElseThrow();
        assertEquals("QUEUED", queued.state());
        assertEquals(1, queued.queuePosition());

        second.cancel("changed my mind");
        JobResult cancelled = second.result().toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertEquals(JobResult.Status.CANCELLED, cancelled.status());
        assertTrue(cancelled.error().startsWith("cancelled: changed my mind"), cancelled.error());
        assertNull(cancelled.report(), "it never ran, so there is no report");
        assertEquals(1, movedUp.get(10, TimeUnit.SECONDS).position(), "the job behind it heard it moved up");
        assertEquals(2, thirdHeard.get(0).position());
        ClusterStatus status = grid.awaitStatus("the cancelled job listed CANCELLED",
            s -> s.jobs().stream().anyMatch(j -> j.job().equals(secondId) && j.state().equals("CANCELLED")));
        assertEquals(0, status.jobs().stream().filter(j -> j.job().equals(secondId)).findFirst().orElseThrow()
            .chunksDone());
        assertEquals(List.of(thirdId + " 1"), status.jobs().stream().filter(j -> j.state().equals("QUEUED"))
            .map(j -> j.job() + " " + j.queuePosition()).toList());
    }

    @Test
    void aClientThatClosesTakesItsQueuedJobsWithIt() throws Exception {
        GridClient running = newClient();
        for (int i = 0; i < MAX_JOBS; i++) keep(running.submit(busy()));
        awaitAccepted();
        GridClient leaving = GridClient.attach(grid.headSystem(), grid.head().coordinator());
        JobHandle queued = leaving.submit(sleep(1, 1));
        String jobId = queued.accepted().toCompletableFuture().get(30, TimeUnit.SECONDS);
        grid.awaitStatus("its job queued", s -> s.queuedJobs() == 1);

        leaving.close();

        ClusterStatus status = grid.awaitStatus("its queued job ended CANCELLED", s -> s.queuedJobs() == 0
            && s.jobs().stream().anyMatch(j -> j.job().equals(jobId) && j.state().equals("CANCELLED")));
        assertEquals(MAX_JOBS, count(status, "RUNNING"), "the other client's jobs run on");
    }

    @Test
    void overHttpAQueuedJobSaysQueuedWithItsPositionAndDeleteTakesItOutOfLine() throws Exception {
        GridClient client = newClient();
        for (int i = 0; i < MAX_JOBS; i++) keep(client.submit(busy()));
        awaitAccepted();

        HttpResponse<String> posted = HTTP.send(request("/v1/jobs")
            .POST(HttpRequest.BodyPublishers.ofString("{\"workload\":\"sleep\",\"params\":{\"millis\":1},\"chunks\":3}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, posted.statusCode(), posted.body());
        JsonNode job = JSON.readTree(posted.body());
        assertEquals("QUEUED", job.get("state").asText(), posted.body());
        String id = job.get("job").asText();

        JsonNode detail = JSON.readTree(HTTP.send(request("/v1/jobs/" + id).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(List.of("QUEUED", "1"), List.of(detail.get("state").asText(), detail.get("queuePosition").asText()));
        JsonNode list = JSON.readTree(HTTP.send(request("/v1/jobs").build(), HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(1, list.get("queued").asInt(), list.toString());

        CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> stream = HTTP.sendAsync(
            request("/v1/jobs/" + id + "/events").build(), HttpResponse.BodyHandlers.ofLines());
        java.util.Iterator<String> lines = stream.get(10, TimeUnit.SECONDS).body().iterator();
        List<String> events = new ArrayList<>();
        while (lines.hasNext() && !events.contains("queued")) {
            String line = lines.next();
            if (line.startsWith("event:")) events.add(line.substring("event:".length()).trim());
        }
        assertEquals(List.of("accepted", "queued"), events);

        // A job a client of the cluster port submitted is that client's to cancel, not the HTTP API's.
        String notOurs = handles.get(0).accepted().toCompletableFuture().get(10, TimeUnit.SECONDS);
        HttpResponse<String> forbidden = HTTP.send(request("/v1/jobs/" + notOurs).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(403, forbidden.statusCode(), forbidden.body());
        assertTrue(forbidden.body().contains("only the client that submitted job"), forbidden.body());

        HttpResponse<String> deleted = HTTP.send(request("/v1/jobs/" + id).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(202, deleted.statusCode(), deleted.body());
        String cancelled = null;
        while (lines.hasNext() && cancelled == null) {
            String line = lines.next();
            if (line.startsWith("data:") && line.contains("\"CANCELLED\"")) cancelled = line;
        }
        assertTrue(cancelled != null && cancelled.contains("cancelled: asked by DELETE /v1/jobs/" + id), cancelled);
        assertEquals("CANCELLED", JSON.readTree(HTTP.send(request("/v1/jobs/" + id).build(),
            HttpResponse.BodyHandlers.ofString()).body()).get("state").asText());
    }

    // ---- helpers

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + grid.head().endpoints().httpPort() + path))
            .timeout(Duration.ofSeconds(10));
    }

    private GridClient newClient() {
        GridClient client = GridClient.attach(grid.headSystem(), grid.head().coordinator());
        clients.add(client);
        return client;
    }

    private JobHandle keep(JobHandle handle) {
        handles.add(handle);
        return handle;
    }

    private void awaitAccepted() throws Exception {
        for (JobHandle h : handles) h.accepted().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /**
     * A job that runs until cancelled (100 s of short chunks): a cancel stops it within a chunk,
     * where one long chunk would hold its slot into the next test.
     */
    private static JobSpec busy() {
        return sleep(100, 1000);
    }

    private static JobSpec sleep(long millis, long chunks) {
        return JobSpec.of("sleep").param("millis", millis).withChunks(chunks);
    }

    private static long count(ClusterStatus status, String state) {
        return status.jobs().stream().filter(j -> j.state().equals(state)).count();
    }

    /** The jobs listed, without their progress, which moves on its own. */
    private static List<String> rows(ClusterStatus status) {
        return status.jobs().stream().map(j -> j.job() + " " + j.state() + " " + j.queuePosition()).toList();
    }
}
