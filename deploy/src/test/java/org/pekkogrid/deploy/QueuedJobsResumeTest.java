package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pekkogrid.client.JobHandle;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.JobDetail;
import org.pekkogrid.protocol.JobSpec;

/**
 * Queued jobs are in the job journal as accepted ones: a head that stops with jobs waiting, and
 * comes back on the same journal, queues them again in their order and runs them all.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class QueuedJobsResumeTest {

    @TempDir
    Path dir;

    @Test
    void jobsQueuedWhenTheHeadStoppedAreQueuedAgainInTheirOrderAndAllRun() throws Exception {
        Map<String, Object> settings = Map.of("grid.data-dir", dir.toString(), "grid.head.journal.enabled", "on",
            "grid.head.max-jobs", 1,
            // The jobs' client goes with the first head: its silence must not cancel them during the test.
            "grid.head.client-timeout", "5m");
        String running;
        List<String> queued = new ArrayList<>();
        try (LoopbackGrid first = LoopbackGrid.startHead(settings)) {
            first.addWorker(2, List.of());
            // 6 s of short chunks on two slots: still running when the head stops, it runs on when it is back.
            JobHandle busy = first.client().submit(JobSpec.of("sleep").param("millis", 100).withChunks(120));
            running = busy.accepted().toCompletableFuture().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                queued.add(first.client().submit(JobSpec.of("sleep").param("millis", 20).withChunks(10 + i))
                    .accepted().toCompletableFuture().get(30, TimeUnit.SECONDS));
            }
            assertEquals(List.of(running + " RUNNING 0", queued.get(0) + " QUEUED 1", queued.get(1) + " QUEUED 2",
                queued.get(2) + " QUEUED 3"), rows(first.status()));
        }

        try (LoopbackGrid second = LoopbackGrid.startHead(settings)) {
            second.addWorker(2, List.of());
            ClusterStatus resumed = second.awaitStatus("the jobs resumed from the journal",
                s -> s.jobs().size() == 4 && s.queuedJobs() == 3);
            assertEquals(List.of(running + " RUNNING 0", queued.get(0) + " QUEUED 1", queued.get(1) + " QUEUED 2",
                queued.get(2) + " QUEUED 3"), rows(resumed), "the same jobs, in the same order");

            // Only the client that submitted a job may cancel it, and that client went with the first head.
            ClusterStatus done = second.awaitStatus("the resumed job, then the queued ones, one at a time",
                s -> s.jobs().stream().filter(j -> j.state().equals("COMPLETED")).count() == 4);
            assertEquals(List.of(running + " COMPLETED 0", queued.get(0) + " COMPLETED 0", queued.get(1) + " COMPLETED 0",
                queued.get(2) + " COMPLETED 0"), rows(done), "they ended in the order they were queued");
            for (int i = 0; i < 3; i++) {
                JobDetail job = second.client().job(queued.get(i)).toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .job().orElseThrow();
                assertEquals(10 + i, job.result().asLong(), job.job() + " slept each chunk once");
            }
        }
    }

    private static List<String> rows(ClusterStatus status) {
        return status.jobs().stream().map(j -> j.job() + " " + j.state() + " " + j.queuePosition()).toList();
    }
}
