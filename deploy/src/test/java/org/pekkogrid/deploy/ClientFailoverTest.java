package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobHandle;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

/**
 * Two heads and a worker, each a JVM of its own; a client in this JVM given both heads. The client
 * submits one job after another while the first head, which runs the job coordinator, is killed
 * with SIGKILL: its requests move to the second head, and once the coordinator has moved there its
 * jobs run again. No job hangs: each submitted after the kill ends COMPLETED with the exact answer;
 * the one running when its coordinator died (its state died with it) ends FAILED saying so.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ClientFailoverTest {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final long TERMS = 20_000_000;
    private static final JobSpec JOB = JobSpec.of("leibniz-pi").param("terms", TERMS).withChunks(4);
    /** Jobs that must complete after the kill before the test is satisfied. */
    private static final int AFTER_KILL = 5;

    private record Outcome(long submittedNanos, long endedNanos, JobResult result) {}

    private final List<ChildNode> nodes = new ArrayList<>();
    private GridClient client;

    @AfterEach
    void stop() {
        try {
            if (client != null) client.close();
        } finally {
            ChildNode.stopAll(nodes);
        }
    }

    @Test
    void aClientGivenTwoHeadsKeepsSubmittingWhileTheFirstHeadIsKilled() throws Exception {
        String first = "127.0.0.1:" + ChildNode.freePort();
        String second = "127.0.0.1:" + ChildNode.freePort();
        String seeds = first + "," + second;
        ChildNode headA = start("failover-head-a", "head", "--port", port(first), "--seed", seeds, "--no-http",
            "--no-metrics", "--exit-on-stdin-eof");
        headA.awaitLine("head ready at " + first, READY_TIMEOUT);
        ChildNode headB = start("failover-head-b", "head", "--port", port(second), "--seed", seeds, "--no-http",
            "--no-metrics", "--exit-on-stdin-eof");
        ChildNode worker = start("failover-worker", "worker", "--seed", seeds, "--cores", "2", "--no-metrics",
            "--exit-on-stdin-eof");
        headB.awaitLine("head ready at " + second, READY_TIMEOUT);
        worker.awaitLine("worker ready at ", READY_TIMEOUT);
        client = GridClient.connect(first, second);

        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 3; i++) outcomes.add(run());
        // A job running when its coordinator dies: its state lives only there (a job journal is to come).
        CompletableFuture<JobEvent.Progress> running = new CompletableFuture<>();
        JobHandle inFlight = client.submit(JobSpec.of("sleep").param("millis", 100).withChunks(200), p -> {
            if (p.chunksDone() > 0) running.complete(p);
        });
        running.get(60, TimeUnit.SECONDS);
        long killedAt = System.nanoTime();
        headA.crash();
        int completedAfterKill = 0;
        while (completedAfterKill < AFTER_KILL) {
            Outcome o = run();
            outcomes.add(o);
            if (o.result().completed()) completedAfterKill++;
            if (System.nanoTime() - killedAt > TimeUnit.SECONDS.toNanos(150)) {
                fail("only " + completedAfterKill + " jobs completed in 150 s after the kill: " + outcomes);
            }
        }

        JobResult lost = inFlight.result().toCompletableFuture().get(90, TimeUnit.SECONDS);
        assertEquals(JobResult.Status.FAILED, lost.status(), lost.toString());
        assertTrue(lost.error().contains("the head node lost this job"), lost.error());
        long firstAfterKill = Long.MAX_VALUE;
        for (Outcome o : outcomes) {
            JobResult r = o.result();
            if (r.completed()) {
                assertEquals(LeibnizPi.expected(TERMS), r.result().asDouble(), 1e-12, r.toString());
                if (o.submittedNanos() >= killedAt) firstAfterKill = Math.min(firstAfterKill, o.endedNanos());
            } else {
                fail("a job submitted while a head could run it failed: " + r);
            }
        }
        System.out.printf("client failover: first job submitted after the kill completed %.1f s after it%n",
            (firstAfterKill - killedAt) / 1e9);
        assertTrue(headB.isAlive() && worker.isAlive(), "the second head and the worker stay up");
    }

    /** One job, to its end: the client never leaves it hanging (its own deadlines end it). */
    private Outcome run() throws Exception {
        long submitted = System.nanoTime();
        JobResult r = client.submit(JOB).result().toCompletableFuture().get(90, TimeUnit.SECONDS);
        return new Outcome(submitted, System.nanoTime(), r);
    }

    private static String port(String hostPort) {
        return hostPort.substring(hostPort.lastIndexOf(':') + 1);
    }

    private ChildNode start(String name, String... args) throws Exception {
        ChildNode node = ChildNode.start(name, args);
        nodes.add(node);
        return node;
    }
}
