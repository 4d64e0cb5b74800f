package org.pekkogrid.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pekkogrid.protocol.ClusterStatus;
import org.pekkogrid.protocol.JobEvent;
import org.pekkogrid.protocol.RunnerCommand;

class DashboardStateTest {

    private static final String HEAD = "pekko://grid@127.0.0.1:2551";
    private static final String WORKER = "pekko://grid@127.0.0.1:2552";
    private static final ClusterStatus.Member HEAD_MEMBER =
        new ClusterStatus.Member(HEAD, Set.of("head"), "Up", true, 0, Set.of(), 0, 0, 8558, 0, null);
    private static final ClusterStatus.Member WORKER_MEMBER =
        new ClusterStatus.Member(WORKER, Set.of("worker"), "Up", true, 4, Set.of("opencv"), 4, 0, 0, 0, null);

    private static ClusterStatus status(ClusterStatus.Job... jobs) {
        return new ClusterStatus(List.of(HEAD_MEMBER, WORKER_MEMBER), List.of(jobs), 0);
    }

    private static ClusterStatus.Job running(long done, long runMillis) {
        return new ClusterStatus.Job("job-1", "noop", "RUNNING", done, 1000, 0, 1L, runMillis, "http");
    }

    private static RunnerCommand.NodeSample sample(String node, double cpu) {
        return new RunnerCommand.NodeSample(node, cpu, 0.5, 100L << 20, 1L << 30, 200L << 20, "1@host", 3);
    }

    private static JsonNode job(JsonNode tick, String id) {
        for (JsonNode j : tick.get("jobs")) if (j.get("job").asText().equals(id)) return j;
        throw new AssertionError("no job " + id + " in " + tick);
    }

    private static JsonNode member(JsonNode tick, String address) {
        for (JsonNode m : tick.get("members")) if (m.get("address").asText().equals(address)) return m;
        throw new AssertionError("no member " + address + " in " + tick);
    }

    @Test
    void aRunningJobsRateIsChunksDoneBetweenTwoTicksOverTheTimeBetweenThemAndGivesItsEta() {
        DashboardState state = new DashboardState();
        state.status(status(running(100, 1_000)));
        JsonNode first = state.toJson(0, HEAD, HEAD, null);
        assertEquals(0, job(first, "job-1").get("chunksPerSecond").asDouble(), "one tick says no rate yet");
        assertFalse(job(first, "job-1").has("etaSeconds"));

        state.status(status(running(300, 2_000)));
        JsonNode second = job(state.toJson(0, HEAD, HEAD, null), "job-1");
        assertEquals(200, second.get("chunksPerSecond").asDouble(), 1e-9);
        assertEquals(700 / 200.0, second.get("etaSeconds").asDouble(), 1e-9);

        // Smoothed: half the newest tick, half what it was.
        state.status(status(running(700, 3_000)));
        assertEquals(300, job(state.toJson(0, HEAD, HEAD, null), "job-1").get("chunksPerSecond").asDouble(), 1e-9);
    }

    @Test
    void retriesAndFailuresComeFromProgressThenFromTheFinalReport() {
        DashboardState state = new DashboardState();
        state.status(status(running(10, 500)));
        assertFalse(job(state.toJson(0, HEAD, HEAD, null), "job-1").has("retries"), "unknown is not zero");
        state.progress(new JobEvent.Progress("job-1", 10, 1000, 4, 2, 500, 4));
        JsonNode live = job(state.toJson(0, HEAD, HEAD, null), "job-1");
        assertEquals(4, live.get("retries").asLong());
        assertEquals(2, live.get("failedItems").asLong());

        state.status(status(new ClusterStatus.Job("job-1", "noop", "COMPLETED", 1000, 1000, 0, 1L, 4_000, "http")));
        assertEquals(List.of(), state.finishedWithoutFigures(), "its progress said them");
        JsonNode done = job(state.toJson(0, HEAD, HEAD, null), "job-1");
        assertEquals(250, done.get("chunksPerSecond").asDouble(), 1e-9, "a finished job's mean rate");
        assertFalse(done.has("etaSeconds"));
    }

    @Test
    void aJobThatEndedUnseenAsksForItsReport() {
        DashboardState state = new DashboardState();
        state.status(status(new ClusterStatus.Job("job-2", "noop", "FAILED", 5, 10, 0, 1L, 100, "http"), running(1, 10)));
        assertEquals(List.of("job-2"), state.finishedWithoutFigures());
    }

    @Test
    void jobsTheHeadNoLongerListsAreForgotten() {
        DashboardState state = new DashboardState();
        state.status(status(running(10, 500)));
        state.progress(new JobEvent.Progress("job-1", 10, 1000, 4, 2, 500, 4));
        state.status(status());
        state.status(status(running(20, 1_000)));
        assertFalse(job(state.toJson(0, HEAD, HEAD, null), "job-1").has("retries"));
    }

    @Test
    void membersShowTheirSlotsBusyAndResourcesFromFreshSamplesAndWhichHoldsTheCoordinator() {
        DashboardState state = new DashboardState();
        state.status(status());
        state.sample(sample("127.0.0.1:2552", 0.75), 1_000);
        JsonNode tick = state.toJson(2_000, HEAD, HEAD, sample("127.0.0.1:2551", 0.1));
        JsonNode worker = member(tick, "127.0.0.1:2552");
        assertEquals(3, worker.get("slotsBusy").asInt());
        assertEquals(4, worker.get("slots").asInt());
        assertEquals(0.75, worker.get("cpu").asDouble(), 1e-9);
        assertEquals(1L << 30, worker.get("heapMaxBytes").asLong());
        assertEquals("1@host", worker.get("process").asText());
        assertFalse(worker.get("coordinator").asBoolean());
        JsonNode head = member(tick, "127.0.0.1:2551");
        assertTrue(head.get("coordinator").asBoolean());
        assertEquals(0.1, head.get("cpu").asDouble(), 1e-9, "the serving head reads itself");

        JsonNode later = state.toJson(1_000 + DashboardState.SAMPLE_FRESH_MILLIS + 1, HEAD, HEAD, null);
        assertFalse(member(later, "127.0.0.1:2552").has("cpu"), "a stale sample is not shown");
        assertFalse(member(later, "127.0.0.1:2552").has("slotsBusy"));
    }
}
