package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pekkogrid.client.GridClient;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobReport;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.workloads.leibniz.LeibnizPi;

/**
 * The only head (a lone `grid head`, no seed) is killed and started again on its port 2 s later;
 * its two workers, JVMs of their own with the production settings, must end up in the new
 * head's cluster without anyone restarting them.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class HeadRestartTest {

    private static final long TERMS = 200_000_000L;
    private static final int CHUNKS = 64;

    private ChildGrid grid;

    @AfterEach
    void stop() {
        if (grid != null) grid.close();
    }

    @Test
    void workersOutliveTheirOnlyHeadAndJoinItWhenItIsBack() throws Exception {
        grid = new ChildGrid(1);
        ChildNode head = grid.startHead("head-restart-head", 1, false);
        ChildNode worker1 = grid.startWorker("head-restart-worker-1");
        ChildNode worker2 = grid.startWorker("head-restart-worker-2");
        String headAddress = ChildGrid.readyAddress(head, "head");
        List<String> workers = List.of(ChildGrid.readyAddress(worker1, "worker"), ChildGrid.readyAddress(worker2, "worker"));
        long pid1 = worker1.pid();
        long pid2 = worker2.pid();
        // A client connected all along: not a member, it waits for the head to come back.
        GridClient before = grid.connect(1);
        ChildGrid.awaitStatus(before, s -> ChildGrid.allUp(s, List.of(headAddress), workers) && ChildGrid.settled(s)
            && ChildGrid.oneSlotEach(s, workers), ChildGrid.READY_TIMEOUT);
        assertExact(runJob(before), workers);

        head.crash();
        // The scenario of the issue: the head is started again 2 s after it died.
        Thread.sleep(2000);
        long restartedAt = System.nanoTime();
        ChildNode restarted = grid.startHead("head-restart-head-restarted", 1, false);
        ChildGrid.readyAddress(restarted, "head");
        double headReadySeconds = (System.nanoTime() - restartedAt) / 1e9;
        worker1.awaitLine("worker rejoined at " + workers.get(0), ChildGrid.READY_TIMEOUT);
        worker2.awaitLine("worker rejoined at " + workers.get(1), ChildGrid.READY_TIMEOUT);
        double rejoinedSeconds = (System.nanoTime() - restartedAt) / 1e9;
        GridClient after = grid.connect(1);
        ChildGrid.awaitStatus(after, s -> ChildGrid.allUp(s, List.of(headAddress), workers)
            && ChildGrid.oneSlotEach(s, workers), ChildGrid.READY_TIMEOUT);
        double slotsSeconds = (System.nanoTime() - restartedAt) / 1e9;

        assertExact(runJob(after), workers);
        assertTrue(worker1.isAlive() && worker2.isAlive());
        assertEquals(List.of(pid1, pid2), List.of(worker1.pid(), worker2.pid()), "the same worker processes");
        System.out.printf("MEASURED head restarted 2 s after its kill: head ready after %.1f s, both workers members "
            + "again after %.1f s, their slots registered after %.1f s (all from the head's restart)%n",
            headReadySeconds, rejoinedSeconds, slotsSeconds);
    }

    private static JobResult runJob(GridClient client) throws Exception {
        return client.submit(JobSpec.of("leibniz-pi").param("terms", TERMS).withChunks(CHUNKS))
            .result().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    /** The exact answer, with chunks run on both workers. */
    private static void assertExact(JobResult r, List<String> workers) {
        assertEquals(JobResult.Status.COMPLETED, r.status(), () -> "error: " + r.error());
        assertEquals(LeibnizPi.expected(TERMS), r.result().asDouble(), 1e-12, r.summary());
        Map<String, Long> chunksByNode = r.report().nodes().stream()
            .collect(Collectors.toMap(JobReport.NodeReport::address, JobReport.NodeReport::chunks));
        assertEquals(workers.stream().sorted().toList(), chunksByNode.keySet().stream().sorted().toList());
        assertEquals(CHUNKS, chunksByNode.values().stream().mapToLong(Long::longValue).sum(), chunksByNode.toString());
    }
}
