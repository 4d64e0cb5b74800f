package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobHandle;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.CoordinatorCommand;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.protocol.NodeAddress;
import org.pekkogrid.protocol.Requirements;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

/**
 * A head and two worker nodes, each its own actor system in this JVM on loopback: one worker
 * with one core and the tag {@code opencv}, one plain worker with two cores.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterTest {

    private static final int MAX_CHUNKS = 10_000;

    private LoopbackGrid grid;
    private GridNodes.Worker tagged;
    private GridNodes.Worker plain;
    private GridClient client;

    @BeforeAll
    void startGrid() throws Exception {
        grid = LoopbackGrid.startHead(Map.of("grid.job.max-chunks", MAX_CHUNKS));
        tagged = grid.addWorker(1, List.of("opencv"));
        plain = grid.addWorker(2, List.of());
        client = grid.client();
        // Sharding may place a slot on the first worker to join and move it once the other is up.
        grid.awaitStatus("each worker holding as many slots as it has cores", this::slotsMatchCores);
    }

    private boolean slotsMatchCores(ClusterStatus s) {
        return LoopbackGrid.slots(s) == 3
            && LoopbackGrid.member(s, tagged.system().address()).slots() == 1
            && LoopbackGrid.member(s, plain.system().address()).slots() == 2;
    }

    @AfterAll
    void stopGrid() {
        if (grid != null) grid.close();
    }

    /** The grid started once that held (see startGrid); it still does, whatever ran before. */
    @Test
    void slotsArePlacedInProportionToEachNodesCores() throws Exception {
        ClusterStatus status = grid.status();

        ClusterStatus.Member taggedMember = LoopbackGrid.member(status, tagged.system().address());
        assertEquals(1, taggedMember.cores());
        assertEquals(Set.of("opencv"), taggedMember.tags());
        assertEquals(Set.of("worker"), taggedMember.roles());
        assertEquals(1, taggedMember.slots());
        ClusterStatus.Member plainMember = LoopbackGrid.member(status, plain.system().address());
        assertEquals(2, plainMember.cores());
        assertEquals(2, plainMember.slots());
        assertEquals(Set.of(), plainMember.tags());
        ClusterStatus.Member head = LoopbackGrid.member(status, grid.headSystem().address());
        assertEquals(Set.of("head"), head.roles());
        assertEquals(0, head.slots(), "a head node runs no slots");
        assertEquals(3, LoopbackGrid.slots(status));
    }

    @Test
    void aJobRequiringATagRunsOnlyOnTheNodeThatHasIt() throws Exception {
        long terms = 200_000_000;
        JobResult r = run(leibniz(terms, 40).requiring(Requirements.parse("tags=opencv")));

        assertCompletedWith(LeibnizPi.expected(terms), r);
        assertEquals(List.of(address(tagged)), nodesOf(r.report()));
        assertEquals(40, r.report().nodes().get(0).chunks());
    }

    @Test
    void aJobNeedingTwoCpusPerChunkRunsOnlyOnTheNodeWithTwoCores() throws Exception {
        long terms = 100_000_000;
        JobResult r = run(leibniz(terms, 20).requiring(Requirements.parse("cpus=2")));

        assertCompletedWith(LeibnizPi.expected(terms), r);
        assertEquals(List.of(address(plain)), nodesOf(r.report()));
    }

    @Test
    void aJobRequiringATagNoNodeHasIsRejectedNamingTheRequirement() throws Exception {
        JobHandle handle = client.submit(leibniz(1_000_000, 4).requiring(Requirements.parse("tags=gpu")));
        JobResult r = handle.result().toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertEquals(JobResult.Status.REJECTED, r.status());
        assertTrue(r.error().contains("tags=gpu"), r.error());
        assertTrue(r.error().contains(address(tagged)) && r.error().contains(address(plain)),
            "the reason names every node and what it lacks: " + r.error());
        assertEquals(null, r.report());
        ExecutionException notAccepted = assertThrows(ExecutionException.class,
            () -> handle.accepted().toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertTrue(notAccepted.getCause().getMessage().contains("tags=gpu"));
        assertNeverStarted(r);
    }

    @Test
    void aJobNeedingMoreCpusThanAnyNodeHasIsRejectedNamingCpus() throws Exception {
        JobResult r = run(leibniz(1_000_000, 4).requiring(Requirements.parse("cpus=4")));

        assertEquals(JobResult.Status.REJECTED, r.status());
        assertTrue(r.error().contains("cpus=4"), r.error());
        assertNeverStarted(r);
    }

    @Test
    void twoJobsAtOnceBothCompleteExactlyAndEachUsesBothNodes() throws Exception {
        long termsA = 2_000_000_000L;
        long termsB = 2_000_000_001L;
        JobHandle a = client.submit(leibniz(termsA, 400));
        JobHandle b = client.submit(leibniz(termsB, 400));
        JobResult ra = a.result().toCompletableFuture().get(120, TimeUnit.SECONDS);
        JobResult rb = b.result().toCompletableFuture().get(120, TimeUnit.SECONDS);

        assertCompletedWith(LeibnizPi.expected(termsA), ra);
        assertCompletedWith(LeibnizPi.expected(termsB), rb);
        // Fair sharing: neither job waited for the other to release the slots of a node.
        List<String> both = List.of(address(tagged), address(plain)).stream().sorted().toList();
        assertEquals(both, nodesOf(ra.report()), "job A's chunks ran on " + ra.report().nodes());
        assertEquals(both, nodesOf(rb.report()), "job B's chunks ran on " + rb.report().nodes());
        for (JobResult r : List.of(ra, rb)) {
            for (JobReport.NodeReport n : r.report().nodes()) {
                assertTrue(n.chunks() > 0, n.toString());
            }
        }
    }

    @Test
    void aCancelledJobEndsCancelledAndTheNextJobRunsUndisturbed() throws Exception {
        CompletableFuture<JobEvent.Progress> running = new CompletableFuture<>();
        JobHandle sleeper = client.submit(JobSpec.of("sleep").param("millis", 200).withChunks(1000), p -> {
            if (p.chunksDone() > 0) running.complete(p);
        });
        String jobId = sleeper.accepted().toCompletableFuture().get(30, TimeUnit.SECONDS);
        running.get(60, TimeUnit.SECONDS);

        sleeper.cancel("no longer needed");
        JobResult cancelled = sleeper.result().toCompletableFuture().get(60, TimeUnit.SECONDS);

        assertEquals(JobResult.Status.CANCELLED, cancelled.status());
        assertTrue(cancelled.error().contains("cancelled") && cancelled.error().contains("no longer needed"),
            cancelled.error());
        assertTrue(cancelled.report().chunksDone() > 0 && cancelled.report().chunksDone() < 1000,
            "cancelled mid-run: " + cancelled.report().chunksDone() + " of 1000 chunks done");
        grid.awaitStatus("the cancelled job listed as CANCELLED", s -> s.jobs().stream()
            .anyMatch(j -> j.job().equals(jobId) && j.state().equals("CANCELLED")));

        long terms = 300_000_000;
        JobResult next = run(leibniz(terms, 60));
        assertCompletedWith(LeibnizPi.expected(terms), next);
        assertEquals(60, next.report().chunksDone());
    }

    @Test
    void aClientClosedWhileItsJobRunsGetsAFailureAndTheHeadStopsTheJob() throws Exception {
        GridClient leaving = GridClient.connect(LoopbackGrid.config(Map.of("grid.seeds", List.of(grid.seed()))));
        CompletableFuture<JobEvent.Progress> running = new CompletableFuture<>();
        JobHandle sleeper = leaving.submit(JobSpec.of("sleep").param("millis", 200).withChunks(1000), p -> {
            if (p.chunksDone() > 0) running.complete(p);
        });
        String jobId = sleeper.accepted().toCompletableFuture().get(30, TimeUnit.SECONDS);
        running.get(60, TimeUnit.SECONDS);

        leaving.close();

        JobResult r = sleeper.result().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(JobResult.Status.FAILED, r.status());
        assertTrue(r.error().contains("this client stopped before the job ended"), r.error());
        // Nobody is left to take its result: the head cancels it instead of running 200 s of chunks.
        grid.awaitStatus("the abandoned job listed as CANCELLED", s -> s.jobs().stream()
            .anyMatch(j -> j.job().equals(jobId) && j.state().equals("CANCELLED") && j.chunksDone() < 1000));
    }

    @Test
    void onlyTheClientThatSubmittedAJobMayCancelIt() throws Exception {
        try (GridClient owner = GridClient.connect(grid.seed())) {
            JobHandle job = owner.submit(JobSpec.of("sleep").param("millis", 20).withChunks(200));
            String jobId = job.accepted().toCompletableFuture().get(30, TimeUnit.SECONDS);
            org.apache.pekko.actor.testkit.typed.javadsl.TestProbe<CoordinatorCommand.CancelAnswer> answers =
                org.apache.pekko.actor.testkit.typed.javadsl.TestProbe.create(grid.headSystem());
            // Another client's session, then the HTTP API's (none): the job's id is all they know.
            org.apache.pekko.actor.testkit.typed.javadsl.TestProbe<Void> strangerSession =
                org.apache.pekko.actor.testkit.typed.javadsl.TestProbe.create(grid.headSystem());
            for (var session : java.util.Arrays.asList(strangerSession.getRef(), null)) {
                grid.head().coordinator().tell(new CoordinatorCommand.CancelJob(jobId, "a stranger asks", session,
                    answers.getRef()));
                CoordinatorCommand.CancelAnswer refused = answers.receiveMessage(java.time.Duration.ofSeconds(10));
                assertFalse(refused.cancelling());
                assertTrue(refused.reason().contains("only the client that submitted job"), refused.reason());
            }
            assertTrue(grid.status().jobs().stream().anyMatch(j -> j.job().equals(jobId) && j.state().equals("RUNNING")));

            job.cancel("its owner asks");
            JobResult r = job.result().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(JobResult.Status.CANCELLED, r.status());
            assertTrue(r.error().contains("its owner asks"), r.error());
        }
    }

    @Test
    void badInputIsRejectedAtSubmitAndTheGridStillRunsJobs() throws Exception {
        JobResult unknown = run(JobSpec.of("lebniz-pi"));
        assertEquals(JobResult.Status.REJECTED, unknown.status());
        assertTrue(unknown.error().contains("unknown workload \"lebniz-pi\"") && unknown.error().contains("leibniz-pi")
            && unknown.error().contains("monte-carlo-pi"), "names the workload and lists the known ones: " + unknown.error());

        JobResult unknownParam = run(JobSpec.of("leibniz-pi").param("trems", 1000));
        assertEquals(JobResult.Status.REJECTED, unknownParam.status());
        assertTrue(unknownParam.error().contains("trems") && unknownParam.error().contains("terms"), unknownParam.error());

        JobResult notANumber = run(JobSpec.of("leibniz-pi").param("terms", "many"));
        assertEquals(JobResult.Status.REJECTED, notANumber.status());
        assertTrue(notANumber.error().contains("terms") && notANumber.error().contains("many"), notANumber.error());

        JobResult outOfRange = run(JobSpec.of("leibniz-pi").param("terms", 0));
        assertEquals(JobResult.Status.REJECTED, outOfRange.status());
        assertTrue(outOfRange.error().contains("terms must be at least 1"), outOfRange.error());

        JobResult tooManyChunks = run(leibniz(1_000_000, MAX_CHUNKS + 1));
        assertEquals(JobResult.Status.REJECTED, tooManyChunks.status());
        assertTrue(tooManyChunks.error().contains("grid.job.max-chunks") && tooManyChunks.error().contains("10000"),
            tooManyChunks.error());

        JobResult emptyChunks = run(leibniz(10, 20));
        assertEquals(JobResult.Status.REJECTED, emptyChunks.status());
        assertTrue(emptyChunks.error().contains("chunks (20) exceeds terms (10)"), emptyChunks.error());

        // Zero means "the workload's choice"; fewer than zero is refused before anything is sent.
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
            () -> JobSpec.of("leibniz-pi").withChunks(-1));
        assertTrue(negative.getMessage().contains("chunks"), negative.getMessage());

        // Chunks that could outgrow Artery's largest message would be dropped on the wire: refused.
        java.nio.file.Path images = java.nio.file.Files.createTempDirectory("cluster-test-images");
        org.pekkogrid.workloads.grayscale.ImageGenerator.generate(images, 2, 64, 48, 0, 7);
        JobResult tooLargeForTheWire = run(JobSpec.of("grayscale").param("input", images)
            .param("output", images.resolveSibling(images.getFileName() + "-out")).param("inline", true)
            .param("inlineChunkBytes", "16m"));
        assertEquals(JobResult.Status.REJECTED, tooLargeForTheWire.status());
        assertTrue(tooLargeForTheWire.error().contains("pekko.remote.artery.advanced.maximum-large-frame-size")
            && tooLargeForTheWire.error().contains("inlineChunkBytes"), tooLargeForTheWire.error());

        for (JobResult r : List.of(unknown, unknownParam, notANumber, outOfRange, tooManyChunks, emptyChunks,
                tooLargeForTheWire)) {
            assertNeverStarted(r);
        }
        long terms = 100_000_000;
        assertCompletedWith(LeibnizPi.expected(terms), run(leibniz(terms, 16)));
    }

    // ---- helpers

    private JobResult run(JobSpec spec) throws Exception {
        return client.submit(spec).result().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    private static JobSpec leibniz(long terms, long chunks) {
        return JobSpec.of("leibniz-pi").param("terms", terms).withChunks(chunks);
    }

    private static void assertCompletedWith(double expected, JobResult r) {
        assertEquals(JobResult.Status.COMPLETED, r.status(), () -> "error: " + r.error());
        assertEquals(expected, r.result().asDouble(), 1e-12, r.summary());
        assertEquals(r.report().chunks(), r.report().chunksDone());
        assertEquals(r.report().chunks(), r.report().nodes().stream().mapToLong(JobReport.NodeReport::chunks).sum(),
            "every chunk counted once: " + r.report().nodes());
        assertEquals(0, r.report().failedChunks());
    }

    /** A rejected job never reached a runner: the head lists no such job. */
    private void assertNeverStarted(JobResult rejected) throws Exception {
        ClusterStatus status = grid.status();
        assertFalse(status.jobs().stream().anyMatch(j -> j.job().equals(rejected.jobId())),
            rejected.jobId() + " was rejected, yet the head lists it: " + status.jobs());
    }

    private static String address(GridNodes.Worker worker) {
        return NodeAddress.of(worker.system().address());
    }

    private static List<String> nodesOf(JobReport report) {
        return report.nodes().stream().map(JobReport.NodeReport::address).sorted().collect(Collectors.toList());
    }
}
