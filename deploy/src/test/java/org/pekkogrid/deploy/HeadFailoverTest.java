package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobHandle;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

/**
 * Three heads and two workers, each a JVM of its own, every head given the same seed list of
 * all heads: whichever head dies, the grid goes on. One of three heads dies; then one of the two
 * left (the youngest); then, the first head back, the oldest of two (the Kubernetes manifest
 * runs two heads), while a client given both heads keeps submitting.
 *
 * <p>To keep CI short the nodes run the split
 * brain resolver with {@code stable-after = 3s} instead of 5 s: that changes when it decides,
 * not what (the decisions depend on who is reachable, not on the timing). {@code -Dgrid.test.production-timings=true} runs it on the
 * production settings, as {@link HeadRestartTest} always does; the README's figures come from that.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HeadFailoverTest {

    private static final List<String> QUICK_DECISIONS = Boolean.getBoolean("grid.test.production-timings")
        ? List.of() : List.of("-Dpekko.cluster.split-brain-resolver.stable-after=3s");
    private static final long TERMS = 200_000_000L;
    private static final int CHUNKS = 64;

    private ChildGrid grid;

    @AfterEach
    void stop() {
        if (grid != null) grid.close();
    }

    @Test
    void whicheverHeadDiesTheOtherHeadsAndTheWorkersGoOn() throws Exception {
        grid = new ChildGrid(3, QUICK_DECISIONS);
        List<ChildNode> heads = List.of(grid.startHead("failover-head-1", 1), grid.startHead("failover-head-2", 2),
            grid.startHead("failover-head-3", 3));
        ChildNode worker1 = grid.startWorker("failover-worker-1");
        ChildNode worker2 = grid.startWorker("failover-worker-2");
        List<String> headAddresses = new java.util.ArrayList<>();
        for (ChildNode head : heads) headAddresses.add(ChildGrid.readyAddress(head, "head"));
        List<String> workers = List.of(ChildGrid.readyAddress(worker1, "worker"), ChildGrid.readyAddress(worker2, "worker"));
        // Clients are not members: each reaches the grid through one head's gateway.
        GridClient viaHead2 = grid.connect(2);
        GridClient viaHead3 = grid.connect(3);
        ChildGrid.awaitStatus(viaHead2, s -> ChildGrid.allUp(s, headAddresses, workers) && ChildGrid.settled(s)
            && ChildGrid.oneSlotEach(s, workers), ChildGrid.READY_TIMEOUT);

        // 1. Three heads; the oldest, head 1 (first in the seed list, it founded the cluster),
        // dies. It hosts the job coordinator, which moves to the next oldest head once the
        // resolver has downed head 1 and the removal margin has passed. (A job submitted before
        // then would wait, its client sending the submit again until a coordinator takes it; the
        // test waits for the coordinator to answer, to time the failover.)
        heads.get(0).crash();
        long killedAt = System.nanoTime();
        ClusterStatus afterFirst = awaitGone(viaHead2, headAddresses.get(0));
        assertExact(runJob(viaHead2));
        report("three heads, the oldest killed", killedAt);
        assertTrue(ChildGrid.allUp(afterFirst, headAddresses.subList(1, 3), workers), () -> "still members: " + afterFirst);

        // 2. Two heads; the youngest dies. Heads 2 and 3 started together: the oldest is the one
        // the coordinator moved to. The coordinator stays: a job submitted at once completes.
        int oldest = hostsCoordinator(heads.get(1)) ? 2 : 3;
        int youngest = 5 - oldest;
        GridClient viaOldest = oldest == 2 ? viaHead2 : viaHead3;
        heads.get(youngest - 1).crash();
        killedAt = System.nanoTime();
        assertExact(runJob(viaOldest));
        report("two heads, the youngest killed", killedAt);
        ClusterStatus afterYoungest = awaitGone(viaOldest, headAddresses.get(youngest - 1));
        assertTrue(ChildGrid.allUp(afterYoungest, List.of(headAddresses.get(oldest - 1)), workers),
            () -> "still members: " + afterYoungest);

        // 3. Head 1 comes back on its address with the same seeds: first in its seed list, it asks
        // the others, the running head answers, and it joins that cluster instead of founding
        // another. Two heads again, and the oldest, which runs the coordinator, dies, while a client
        // given both heads (the dying one first) keeps submitting jobs one after another.
        ChildNode back = grid.startHead("failover-head-1-back", 1);
        assertEquals(headAddresses.get(0), ChildGrid.readyAddress(back, "head"));
        GridClient viaHead1 = grid.connect(1);
        ChildGrid.awaitStatus(viaHead1, s -> ChildGrid.allUp(s, List.of(headAddresses.get(0),
            headAddresses.get(oldest - 1)), workers) && ChildGrid.settled(s), ChildGrid.READY_TIMEOUT);
        GridClient viaBoth = grid.connect(oldest, 1);
        assertExact(runJob(viaBoth));
        // A job running when its coordinator dies: the head that takes the coordinator over resumes
        // it from the job journal (JobFailoverTest checks the answers and the reports in detail).
        CompletableFuture<JobEvent.Progress> running = new CompletableFuture<>();
        JobHandle inFlight = viaBoth.submit(JobSpec.of("sleep").param("millis", 100).withChunks(300), p -> {
            if (p.chunksDone() > 0) running.complete(p);
        });
        running.get(60, TimeUnit.SECONDS);
        heads.get(oldest - 1).crash();
        killedAt = System.nanoTime();
        // Submitted at once, the first of these waits for a coordinator: its client sends it again
        // through head 1 until the coordinator, moved there, takes it.
        for (int i = 0; i < 3; i++) assertExact(runJob(viaBoth));
        report("two heads, the oldest killed, a client given both submitting all along", killedAt);
        JobResult resumed = inFlight.result().toCompletableFuture().get(120, TimeUnit.SECONDS);
        assertEquals(JobResult.Status.COMPLETED, resumed.status(), resumed::toString);
        assertEquals(300, resumed.report().chunksDone());
        assertEquals(1, resumed.report().resumes().size(), () -> "resumes: " + resumed.report().resumes());
        ClusterStatus afterOldest = awaitGone(viaHead1, headAddresses.get(oldest - 1));
        assertTrue(ChildGrid.allUp(afterOldest, List.of(headAddresses.get(0)), workers),
            () -> "still members: " + afterOldest);

        assertTrue(back.isAlive() && worker1.isAlive() && worker2.isAlive());
        // The workers were members throughout: neither restarted its actor system.
        assertFalse(worker1.printed("worker rejoined at") || worker2.printed("worker rejoined at"));
    }

    /** Whether this head runs the job coordinator (the singleton lives on the oldest head). */
    private static boolean hostsCoordinator(ChildNode head) {
        return head.stderrContains("job coordinator started on");
    }

    /** The status once {@code head} is no longer a member (the resolver downed it, and it was removed). */
    private static ClusterStatus awaitGone(GridClient client, String head) throws Exception {
        return ChildGrid.awaitStatus(client, s -> !ChildGrid.nodes(s).contains("pekko://grid@" + head),
            ChildGrid.READY_TIMEOUT);
    }

    private static JobResult runJob(GridClient client) throws Exception {
        return client.submit(JobSpec.of("leibniz-pi").param("terms", TERMS).withChunks(CHUNKS))
            .result().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    private static void assertExact(JobResult r) {
        assertEquals(JobResult.Status.COMPLETED, r.status(), () -> "error: " + r.error());
        assertEquals(LeibnizPi.expected(TERMS), r.result().asDouble(), 1e-12, r.summary());
        assertEquals(CHUNKS, r.report().chunksDone());
    }

    private static void report(String what, long killedAtNanos) {
        System.out.printf("MEASURED %s: a new job completed %.1f s after the kill (%s)%n", what,
            (System.nanoTime() - killedAtNanos) / 1e9, QUICK_DECISIONS.isEmpty() ? "production settings" : QUICK_DECISIONS);
    }
}
