package org.pekkogrid.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pekkogrid.protocol.JobSpec;

/** How the load test judges each job its clients report, and the figures of a phase. */
class LoadJobTest {

    private static final JobSpec NOOP = JobSpec.of("noop").withChunks(1000);
    private static final JobSpec FLAKY = JobSpec.of("flaky").param("rate", 0.1).param("seed", 1).withChunks(100);
    private static final List<JobSpec> SPECS = List.of(NOOP, FLAKY);

    private static Map<JobSpec, JsonNode> expected() throws Exception {
        return Map.of(NOOP, ExpectedAnswer.of(NOOP), FLAKY, ExpectedAnswer.of(FLAKY));
    }

    private static LoadJob judge(String json) throws Exception {
        return LoadJob.judge(LoadPhase.Kind.MIXED, 1, SPECS, LoadClient.JOB + json, expected());
    }

    private static String completed(int job, Object result, long chunksDone, long atMicros, long roundTripMicros) {
        long chunks = SPECS.get(job).chunks();
        return "{\"job\":" + job + ",\"submittedAtMicros\":" + atMicros + ",\"status\":\"COMPLETED\",\"jobId\":\"job-" + job
            + "\",\"roundTripMicros\":" + roundTripMicros + ",\"result\":" + result + ",\"error\":null,\"chunks\":" + chunks
            + ",\"chunksDone\":" + chunksDone + ",\"duplicates\":0,\"retries\":0,\"failedAttempts\":0}";
    }

    @Test
    void theExpectedAnswerFoldsEveryChunkOnceRetryingThoseThatFailByDesign() throws Exception {
        assertEquals("1000", ExpectedAnswer.of(NOOP).toString());
        assertEquals("{\"chunks\":100,\"indexSum\":4950,\"exact\":true}", ExpectedAnswer.of(FLAKY).toString());
    }

    @Test
    void aCompletedJobWithTheAnswerAndEveryChunkDoneOnceIsExact() throws Exception {
        assertEquals(LoadJob.Outcome.EXACT, judge(completed(0, 1000, 1000, 5, 2000)).outcome());
        assertEquals(LoadJob.Outcome.EXACT,
            judge(completed(1, "{\"chunks\":100,\"indexSum\":4950,\"exact\":true}", 100, 5, 2000)).outcome());
    }

    @Test
    void anotherAnswerOrAnotherCountOfChunksDoneIsWrong() throws Exception {
        assertEquals(LoadJob.Outcome.WRONG, judge(completed(0, 999, 1000, 5, 2000)).outcome());
        assertEquals(LoadJob.Outcome.WRONG, judge(completed(0, 1000, 999, 5, 2000)).outcome());
        assertEquals(LoadJob.Outcome.WRONG,
            judge(completed(1, "{\"chunks\":100,\"indexSum\":4951,\"exact\":false}", 100, 5, 2000)).outcome());
    }

    @Test
    void rejectedFailedAndUnansweredJobsAreCountedApart() throws Exception {
        LoadJob rejected = judge("{\"job\":0,\"submittedAtMicros\":5,\"status\":\"REJECTED\",\"roundTripMicros\":300,"
            + "\"result\":null,\"error\":\"the head is running 64 jobs, its limit (grid.head.max-jobs)\"}");
        assertEquals(LoadJob.Outcome.REJECTED, rejected.outcome());
        assertEquals(-1, rejected.chunksDone());
        assertEquals(LoadJob.Outcome.FAILED, judge("{\"job\":1,\"submittedAtMicros\":5,\"status\":\"FAILED\","
            + "\"roundTripMicros\":300,\"result\":null,\"error\":\"chunk 3 failed 4 attempts\"}").outcome());
        assertEquals(LoadJob.Outcome.LOST, judge("{\"job\":1,\"submittedAtMicros\":5,\"status\":\"NO_ANSWER\"}").outcome());
    }

    @Test
    void aLineForAJobTheClientWasNotGivenIsAnError() {
        assertThrows(IllegalStateException.class, () -> judge(completed(0, 1000, 1000, 5, 2000).replace("\"job\":0",
            "\"job\":7")));
    }

    @Test
    void aPhaseCountsExactAnswersPerSecondFromItsFirstSubmitAndLeavesRejectionsOutOfItsLatency() throws Exception {
        LoadPhase phase = new LoadPhase(LoadPhase.Kind.MIXED, 1, List.of(
            judge(completed(0, 1000, 1000, 1_000_000, 1_000_000)),
            judge(completed(0, 1000, 1000, 1_000_000, 3_000_000)),
            judge("{\"job\":0,\"submittedAtMicros\":1000000,\"status\":\"REJECTED\",\"roundTripMicros\":100,"
                + "\"result\":null,\"error\":\"full\"}")));

        assertEquals(2, phase.count(LoadJob.Outcome.EXACT));
        assertEquals(1, phase.count(LoadJob.Outcome.REJECTED));
        assertEquals(0, phase.broken());
        assertEquals(3.0, phase.wallSeconds(), 1e-9);
        assertEquals(2 / 3.0, phase.jobsPerSecond(), 1e-9);
        assertEquals(3000, phase.maxMillis(), 1e-9);
        assertEquals(1000, phase.percentileMillis(50), 1);
        assertEquals(2000, phase.chunksAsked());
        assertEquals(2000, phase.chunksDone());
        assertEquals(Map.of("REJECTED: full", 1L), phase.reasons());
    }

    @Test
    void aJobLineReadsBackAsTheSpecItWasWrittenFrom() {
        JobSpec leibniz = JobSpec.of("leibniz-pi").param("terms", 100_000_000L).withChunks(64);
        assertEquals(leibniz, LoadClient.parse(LoadClient.line(leibniz)));
        assertEquals(FLAKY, LoadClient.parse(LoadClient.line(FLAKY)));
        assertEquals("noop 1", LoadClient.line(LoadExperiment.ONE_CHUNK));
        assertThrows(IllegalArgumentException.class, () -> LoadClient.parse("noop 1 terms"));
    }
}
