package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobHandle;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.workloads.BoundJob;
import org.pekkogrid.workloads.FileRoots;
import org.pekkogrid.workloads.WorkloadJars;
import org.pekkogrid.workloads.grayscale.ImageGenerator;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

/**
 * The job journal's promise, with real JVMs: three heads and two workers share one journal, a
 * leibniz-pi job and a grayscale job run, and the head that hosts the job coordinator is killed
 * with {@code kill -9} once each job is about a third done. A standby head takes the coordinator
 * over, reads the journal and resumes both jobs from their last checkpoints; the client, given
 * every head, follows them there and gets the exact answers, every chunk folded once, every
 * output file written once, and reports that show the failover. On the local H2 file, and on a
 * real PostgreSQL server. Production settings (failure detector, resolver, removal margin). On the
 * local file a third job ships its workload's jar: the heads keep jars apart, so the standby
 * fetches it from a worker that ran a chunk of it.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class JobFailoverTest {

    private static final long TERMS = 16_000_000_000L;
    private static final int LEIBNIZ_CHUNKS = 160;
    private static final int IMAGES = 200;
    private static final int CORRUPT = 6;
    private static final int IMAGE_CHUNKS = 69;
    private static final Path EXAMPLE_JAR = Path.of("..", "examples", "mandelbrot", "target", "mandelbrot-1.0.jar");
    private static final int MANDELBROT_WIDTH = 800;
    private static final int MANDELBROT_HEIGHT = 600;
    private static final int MANDELBROT_ITERATIONS = 3000;
    private static final int MANDELBROT_CHUNKS = 40;

    /** The images, written once for both tests. */
    @TempDir
    static Path images;

    private ChildGrid grid;

    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeAll
    static void writeImages() throws Exception {
        ImageGenerator.generate(images, IMAGES, 1280, 960, CORRUPT, 42);
    }

    @AfterEach
    void stop() {
        if (grid != null) grid.close();
    }

    @Test
    void jobsWhoseCoordinatorsHeadIsKilledResumeOnAStandbyHeadFromTheLocalJournal() throws Exception {
        failover("the local H2 journal", List.of(), true);
    }

    @Test
    void jobsWhoseCoordinatorsHeadIsKilledResumeOnAStandbyHeadFromPostgres() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            failover("PostgreSQL", List.of("-Dgrid.journal.url=" + postgres.url(),
                "-Dgrid.journal.user=" + PostgresServer.USER), false);
        }
    }

    /**
     * @param withJar also run a job that ships its workload's jar, submitted once the others are a
     *                third done and killed with them once a worker ran a chunk of it: the heads keep
     *                jars in directories of their own, so the standby must fetch the jar from a worker
     */
    private void failover(String journal, List<String> journalOptions, boolean withJar) throws Exception {
        Path outputs = dir.resolve("out");
        List<String> options = new ArrayList<>(journalOptions);
        options.add("-Dgrid.head.journal.checkpoint-interval=1s");
        options.add("-Dgrid.worker.probe-tags=on");  // grayscale needs the workers' opencv tag
        grid = new ChildGrid(3, options);
        List<ChildNode> heads = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            heads.add(grid.startHead("jobfail-head-" + i, i, true,
                List.of("-Dgrid.jars.directory=" + dir.resolve("jars-head-" + i).toAbsolutePath())));
        }
        ChildNode worker1 = grid.startWorker("jobfail-worker-1");
        ChildNode worker2 = grid.startWorker("jobfail-worker-2");
        List<String> headAddresses = new ArrayList<>();
        for (ChildNode head : heads) headAddresses.add(ChildGrid.readyAddress(head, "head"));
        List<String> workers = List.of(ChildGrid.readyAddress(worker1, "worker"),
            ChildGrid.readyAddress(worker2, "worker"));
        GridClient client = grid.connect(2, 3, 1);
        ChildGrid.awaitStatus(client, s -> ChildGrid.allUp(s, headAddresses, workers) && ChildGrid.settled(s)
            && ChildGrid.oneSlotEach(s, workers), ChildGrid.READY_TIMEOUT);
        ChildNode coordinatorHead = heads.stream().filter(h -> h.stderrContains("job coordinator started on"))
            .findFirst().orElseThrow();

        AtomicLong leibnizDone = new AtomicLong();
        AtomicLong imagesDone = new AtomicLong();
        CompletableFuture<Void> bothAThird = new CompletableFuture<>();
        Runnable check = () -> {
            if (leibnizDone.get() >= LEIBNIZ_CHUNKS / 3 && imagesDone.get() >= IMAGE_CHUNKS / 3) bothAThird.complete(null);
        };
        JobHandle leibniz = client.submit(JobSpec.of("leibniz-pi").param("terms", TERMS).withChunks(LEIBNIZ_CHUNKS),
            p -> {
                leibnizDone.set(p.chunksDone());
                check.run();
            });
        JobHandle grayscale = client.submit(JobSpec.of("grayscale").param("input", images).param("output", outputs)
            .param("op", "blur").withChunks(IMAGE_CHUNKS), p -> {
                imagesDone.set(p.chunksDone());
                check.run();
            });
        bothAThird.get(150, TimeUnit.SECONDS);
        JobHandle mandelbrot = null;
        if (withJar) {
            CompletableFuture<Void> aChunkRan = new CompletableFuture<>();
            mandelbrot = client.submit(JobSpec.of("mandelbrot").param("width", MANDELBROT_WIDTH)
                .param("height", MANDELBROT_HEIGHT).param("maxIterations", MANDELBROT_ITERATIONS)
                .withChunks(MANDELBROT_CHUNKS), EXAMPLE_JAR, org.pekkogrid.client.JobListener.progress(p -> {
                    if (p.chunksDone() > 0) aChunkRan.complete(null);
                }));
            long submittedAt = System.nanoTime();
            aChunkRan.get(60, TimeUnit.SECONDS);
            System.out.printf("MEASURED jar job: first chunk done %.2f s after submit --jar%n",
                (System.nanoTime() - submittedAt) / 1e9);
        }
        long leibnizAtKill = leibnizDone.get();
        long imagesAtKill = imagesDone.get();
        coordinatorHead.crash();
        long killedAt = System.nanoTime();
        awaitResumes(heads, coordinatorHead, withJar ? 3 : 2);
        double backSeconds = (System.nanoTime() - killedAt) / 1e9;

        JobResult pi = leibniz.result().toCompletableFuture().get(240, TimeUnit.SECONDS);
        assertEquals(JobResult.Status.COMPLETED, pi.status(), () -> "leibniz-pi: " + pi.error());
        assertEquals(LeibnizPi.expected(TERMS), pi.result().asDouble(), 1e-12, pi.summary());
        assertEquals(LEIBNIZ_CHUNKS, pi.report().chunksDone());
        assertEquals(TERMS, pi.report().items(), "every chunk's terms counted once");
        JobReport.Resume piResume = resumed(pi.report(), leibnizAtKill, LEIBNIZ_CHUNKS);

        JobResult gray = grayscale.result().toCompletableFuture().get(240, TimeUnit.SECONDS);
        assertEquals(JobResult.Status.COMPLETED, gray.status(), () -> "grayscale: " + gray.error());
        assertEquals(IMAGE_CHUNKS, gray.report().chunksDone());
        assertEquals(IMAGES + CORRUPT, gray.result().get("images").asLong(), gray.summary());
        assertEquals(IMAGES, gray.result().get("ok").asLong(), "every good image converted, none skipped: " + gray.summary());
        assertEquals(0, gray.result().get("skipped").asLong(), gray.summary());
        assertEquals(CORRUPT, gray.result().get("failed").asLong(), gray.summary());
        try (Stream<Path> written = Files.list(outputs)) {
            List<Path> files = written.toList();
            assertEquals(IMAGES, files.size(), "one output per good image, and no temporary file left: " + files.size());
            for (Path f : files) assertTrue(Files.size(f) > 0, f + " is empty");
        }
        JobReport.Resume grayResume = resumed(gray.report(), imagesAtKill, IMAGE_CHUNKS);

        if (withJar) {
            JobResult picture = mandelbrot.result().toCompletableFuture().get(120, TimeUnit.SECONDS);
            assertEquals(JobResult.Status.COMPLETED, picture.status(), () -> "mandelbrot: " + picture.error());
            assertEquals(MANDELBROT_CHUNKS, picture.report().chunksDone());
            assertEquals(1, picture.report().resumes().size(), picture.report()::toString);
            long checkFrom = System.nanoTime();
            JsonNode expected = mandelbrotAnswer();
            System.out.printf("MEASURED jar job: resumed on the standby and completed; its baseline check took %.2f s%n",
                (System.nanoTime() - checkFrom) / 1e9);
            for (String field : List.of("insidePixels", "iterations", "shadesCrc32")) {
                assertEquals(expected.get(field).asLong(), picture.result().get(field).asLong(), field + " of " + picture.result());
            }
            String sha = WorkloadJars.sha256(Files.readAllBytes(EXAMPLE_JAR));
            assertTrue(heads.stream().anyMatch(h -> h != coordinatorHead && h.stderrContains("recovered workload jar " + sha)),
                "the standby head fetched the jar from a worker");
        }
        assertTrue(worker1.isAlive() && worker2.isAlive());
        assertTrue(!worker1.printed("worker rejoined at") && !worker2.printed("worker rejoined at"),
            "the workers kept their slots: neither restarted its actor system");
        System.out.printf("MEASURED job failover on %s: both jobs resumed %.1f s after the kill of the coordinator's "
                + "head; leibniz-pi %d/%d chunks done at the kill, %d restored (checkpoint %.0f ms old), %d re-dispatched; "
                + "grayscale %d/%d done, %d restored (%.0f ms old), %d re-dispatched%n", journal, backSeconds,
            leibnizAtKill, LEIBNIZ_CHUNKS, piResume.chunksRestored(), piResume.sinceCheckpointMillis(),
            piResume.chunksRedispatched(), imagesAtKill, IMAGE_CHUNKS, grayResume.chunksRestored(),
            grayResume.sinceCheckpointMillis(), grayResume.chunksRedispatched());
    }

    /** The example's own baseline, run here from its jar: the answer the grid must give. */
    private JsonNode mandelbrotAnswer() throws Exception {
        WorkloadJars local = new WorkloadJars(dir.resolve("jars-test"), Long.MAX_VALUE);
        byte[] bytes = Files.readAllBytes(EXAMPLE_JAR);
        String sha = WorkloadJars.sha256(bytes);
        local.store(sha, bytes);
        try {
            BoundJob<?, ?, ?, ?> job = BoundJob.bind(local.use(sha, "mandelbrot", "expected"),
                java.util.Map.of("width", String.valueOf(MANDELBROT_WIDTH), "height", String.valueOf(MANDELBROT_HEIGHT),
                    "maxIterations", String.valueOf(MANDELBROT_ITERATIONS)), 0, Long.MAX_VALUE, FileRoots.UNRESTRICTED);
            return job.answerJson(job.runSequential());
        } finally {
            local.release("expected");
        }
    }

    private static JobReport.Resume resumed(JobReport report, long doneAtKill, int chunks) {
        assertEquals(1, report.resumes().size(), report::toString);
        JobReport.Resume resume = report.resumes().get(0);
        assertTrue(resume.chunksRestored() > 0 && resume.chunksRestored() <= Math.min(chunks, doneAtKill + chunks / 5),
            () -> report.workload() + ": restored " + resume.chunksRestored() + ", done when killed " + doneAtKill);
        return resume;
    }

    /** Waits until a head other than the dead one has logged {@code count} resumed jobs. */
    private static void awaitResumes(List<ChildNode> heads, ChildNode dead, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            for (ChildNode head : heads) {
                if (head != dead && head.stderrCount(" resumed: ") >= count) return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no head resumed " + count + " jobs within 90 s of the kill");
    }
}
